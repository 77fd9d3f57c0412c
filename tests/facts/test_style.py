"""The style rules' edits on the real drafts: they change form only, and one round of safe edits
leaves nothing for these rules to fix (no edit swallowed by another on the same line). The style
and duplicate facts: observations, right or wrong, that the rules judge."""

from __future__ import annotations

import pytest
from conftest import check_text, seed_text

from compliance.edits import apply_edits

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


# --- Observations: the facts say what the draft writes, right or wrong; the rules judge ---------

HEAD = "苏州市交通运输局2021年政府信息公开工作年度报告\n"


def _facts(body: str, kind: str, **context):
    from conftest import source_of

    from compliance.models.config import Overrides
    from compliance.pipeline import describe_source

    return [f for f in describe_source(source_of(HEAD + body), Overrides(**context))[1] if f.kind == kind]


def test_punctuation_counts_the_marks_their_context_wants_changed():
    right, wrong = _facts(
        "一、总体情况\n全年发布信息1,234条，增长12.5%。\n全年发布信息,增长(含转载)。\n", "punctuation"
    )
    assert (right.count, right.marks) == (0, [])  # marks of numbers are observed and right
    assert (wrong.count, wrong.marks, wrong.fixed) == (3, [(",", 1), ("(", 1), (")", 1)], ["，", "（", "）"])


def test_every_document_number_is_observed_with_its_form():
    found = _facts("一、总体情况\n依据苏府办〔2021〕128号、苏府办[2021]第05号和国办发〔201822号。\n", "doc_number")
    assert [(f.form, f.year, f.number, f.corrected) for f in found] == [
        ("〔Y〕N号", 2021, 128, "〔2021〕128号"),
        ("[Y]第0N号", 2021, 5, "〔2021〕5号"),
        ("〔YN号", 2018, 22, "〔2018〕22号"),
    ]


def test_every_contact_is_observed_and_a_well_formed_one_has_no_problem():
    found = _facts(
        "联系电话：0512-68616310，邮箱jtj@suzhou.gov.cn，电话：0512-6861631。\n一、总体情况\n正文。\n", "contact"
    )
    assert sorted((f.what, f.text, f.problem) for f in found) == [
        ("email", "jtj@suzhou.gov.cn", "none"),
        ("phone", "0512-6861631", "short"),
        ("phone", "0512-68616310", "none"),
    ]


def test_heading_ordinals_observe_form_sequence_and_level():
    body = "（一）工作概况\n正文。\n一、总体情况\n1.规章\n正文。\n(3)小项\n正文。\n3.其他\n正文。\n"
    found = _facts(body, "heading_ordinal")
    ordinals = {(f.text, f.aspect): f for f in found}
    assert ordinals["1.", "ordinal"].distance == 0 and ordinals["1.", "ordinal"].difference == 0
    assert (ordinals["(3)", "ordinal"].distance, ordinals["(3)", "ordinal"].standard) == (2, "（3）")
    assert (ordinals["3.", "ordinal"].expected_number, ordinals["3.", "ordinal"].difference) == (2, 1)
    levels = [(f.text, f.level, f.previous_level) for f in found if f.aspect == "level"]
    assert levels == [("（一）", 2, 0), ("一、", 1, 2)]


def test_a_simplified_draft_is_one_script_fact_counting_none():
    (fact,) = _facts("一、总体情况\n正文。\n", "traditional_text")
    assert (fact.scope, fact.count, fact.share) == ("document", 0, 0)
    runs = _facts("一、总体情况\n规范檔案管理。\n", "traditional_text")
    assert [(f.scope, f.sample, f.converted) for f in runs] == [("run", "檔", "档")]


def test_similarity_is_a_whole_percentage_rounded_down():
    import numpy as np

    from compliance.facts.duplicates import similarity

    one, other = np.arange(100, dtype=np.uint32), np.arange(33, 133, dtype=np.uint32)  # 67 shared of 133
    assert similarity(one, other, np.empty(0, dtype=np.uint32)) == 50  # 50.37…
    assert similarity(one, np.arange(50, 150, dtype=np.uint32), np.empty(0, dtype=np.uint32)) == 33  # 50/150
    assert similarity(one[:10], other, np.empty(0, dtype=np.uint32)) == 0  # too few to compare
