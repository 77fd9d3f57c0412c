"""Stage 4: Traditional characters, from the script conversion of stage 2."""

from __future__ import annotations

from compliance.models.facts import Fact, TraditionalTextFact
from compliance.models.text import NormalizedText

MAX_RUNS = 50


def extract(text: NormalizedText) -> list[Fact]:
    if not text.changes:
        return []
    if text.script == "traditional":
        first = text.changes[0]
        return [
            TraditionalTextFact(
                whole_document=True,
                count=len(text.changes),
                sample=first.original,
                converted=first.converted,
                start=first.start,
                end=first.end,
            )
        ]
    return [
        TraditionalTextFact(
            whole_document=False,
            count=1,
            sample=change.original,
            converted=change.converted,
            start=change.start,
            end=change.end,
        )
        for change in text.changes[:MAX_RUNS]
    ]
