"""Stage 4: Traditional characters, from the script conversion of stage 2 → traditional_text
facts: the whole draft when it was read as Traditional, else each run of Traditional characters
(at most ``MAX_RUNS``), else one fact that counts none; STYLE-SCRIPT judges a count above 0."""

from __future__ import annotations

import math

from compliance.models.facts import Fact
from compliance.models.facts_style import TraditionalTextFact
from compliance.models.text import NormalizedText

MAX_RUNS = 50


def extract(text: NormalizedText) -> list[Fact]:
    share = math.floor(text.traditional_ratio * 1000)
    if not text.changes:
        return [TraditionalTextFact(scope="document", count=0, share=share, sample="", converted="", start=0, end=0)]
    if text.script == "traditional":
        first = text.changes[0]
        return [
            TraditionalTextFact(
                scope="document",
                count=len(text.changes),
                share=share,
                sample=first.original,
                converted=first.converted,
                start=first.start,
                end=first.end,
            )
        ]
    return [
        TraditionalTextFact(
            scope="run",
            count=1,
            share=share,
            sample=change.original,
            converted=change.converted,
            start=change.start,
            end=change.end,
        )
        for change in text.changes[:MAX_RUNS]
    ]
