"""The style rules' edits on the real drafts: they change form only, and one round of safe edits
leaves nothing for these rules to fix (no edit swallowed by another on the same line)."""

from __future__ import annotations

import pytest

from compliance.edits import apply_edits
from conftest import check_text, seed_text

STYLE = ("STYLE-PUNCT", "STYLE-ORDINAL", "STYLE-DOCNO", "STYLE-CONTACT")
HALF_WIDTH = set(",;:?!()." + "\"'" + "「」『』")


# Seed 004 is a 工作要点, not a report: the style rules hold for any official text (--force).
@pytest.mark.parametrize("seed", ["000", "001", "003", "004"])
def test_one_round_of_safe_edits_leaves_no_style_fix(seed):
    text = seed_text(seed)
    fixed = apply_edits(text, [f.edit for f in check_text(text, force=True).findings if f.edit])
    left = [f for f in check_text(fixed, force=True).findings if f.rule in STYLE and f.edit]
    assert left == [], [(f.rule, f.excerpt) for f in left]


@pytest.mark.parametrize("seed", ["000", "001", "003", "004"])
def test_punctuation_edits_change_only_the_marks(seed):
    text = seed_text(seed)
    for finding in (f for f in check_text(text, force=True).findings if f.rule == "STYLE-PUNCT"):
        before, after = text[finding.edit.start : finding.edit.end], finding.edit.replacement
        assert len(before) == len(after)
        assert {a for a, b in zip(before, after) if a != b} <= HALF_WIDTH
