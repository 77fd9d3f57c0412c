"""Fact kinds about content copied between reports (extracted by compliance/facts/duplicates.py
from the other reports a check is given: last year's with ``--previous``, the set in ``screen``)."""

from __future__ import annotations

from typing import Literal

from compliance.models.facts import Fact


class DuplicatePartFact(Fact):
    """A part of this report with enough prose to compare, and the closest part of the other
    reports (last year's, the set's).

    ``similarity``: Jaccard similarity of the two parts' sampled character 5-grams (digits folded,
    wording shared by much of the set removed), a whole percentage rounded down; the span is the
    part's heading."""

    kind: Literal["duplicate_part"] = "duplicate_part"
    part: str
    other_title: str  # the other report's title, "" when it has none
    other_file: str  # its file name
    other_path: str
    other_part: str
    similarity: int
    relation: Literal["previous_year", "same_set"]
