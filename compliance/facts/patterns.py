"""Stage 4: pattern hits — the regexes of ``rules/lexicon/patterns.yaml`` run over the text.

Regular expressions run here, never in the rules engine (durable-rules' ``$mt`` is anchored,
ASCII-only for classes and crashes on CJK ranges)."""

from __future__ import annotations

import re
from functools import cache

from compliance.models.facts import PatternHitFact
from compliance.models.rulespec import PatternSet

# Enough to show every kind of problem; a draft full of one mistake needs no thousand facts.
MAX_HITS_PER_SET = 50
_SAMPLE = 40


@cache
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.MULTILINE)


def extract(text: str, pattern_sets: dict[str, PatternSet]) -> list[PatternHitFact]:
    facts: list[PatternHitFact] = []
    for name, pattern_set in pattern_sets.items():
        hits = sorted(
            (
                (m.start(), -m.end(), pattern, m.group().strip())
                for pattern in pattern_set.patterns
                for m in _compiled(pattern).finditer(text)
                if m.group().strip()
            ),
        )
        covered = -1
        kept = 0
        for start, negative_end, pattern, matched in hits:
            if start < covered or kept == MAX_HITS_PER_SET:
                continue  # overlapping hits of several patterns are one problem
            lead = text.find(matched, start)
            previous = facts[-1] if facts and facts[-1].pattern_set == name else None
            if (
                pattern_set.merge_adjacent
                and previous
                and not text[previous.end : lead].strip()
                and text.count("\n", previous.end, lead) == 1
            ):
                previous.text, previous.end = text[previous.start : lead + len(matched)], lead + len(matched)
                previous.lines += 1
            else:
                facts.append(
                    PatternHitFact(
                        pattern_set=name,
                        pattern=pattern,
                        text=matched,
                        start=lead,
                        end=lead + len(matched),
                        sample=matched[:_SAMPLE],
                    )
                )
                kept += 1
            covered = -negative_end
    return facts
