"""Fact kinds about content copied between reports (extracted by compliance/facts/duplicates.py
from the other reports a check is given: last year's with ``--previous``, the set in ``screen``)."""

from __future__ import annotations

from typing import Literal

from compliance.models.facts import Fact


class DuplicatePartFact(Fact):
    """A part of this report whose prose is largely the same as a part of another report.

    ``similarity``: Jaccard similarity ×100 of the two parts' sampled character 5-grams (digits
    folded, wording shared by much of the set removed); the span is the part's heading."""

    kind: Literal["duplicate_part"] = "duplicate_part"
    part: str
    other: str  # how messages name the other report: 《its title》, else “its file name”
    other_path: str
    other_part: str
    similarity: int
    relation: Literal["previous_year", "same_set"]
