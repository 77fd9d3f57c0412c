"""Each part's similarity and the paragraphs copied unchanged from last year, the prose figures of
both years, and the warnings of a pair that is not two years of one issuer."""

from __future__ import annotations

import unicodedata

from compare_pairs import PROBLEMS, REWORDED, REWRITTEN, SPACED, fixture_pair, hongze
from conftest import CORPUS, FIXTURES, shared_file, source_of

from compliance.compare import compare_files, compare_sources
from compliance.compare.text import MIN_COPIED


def _parts(comparison):
    return {part.key: part for part in comparison.parts}


def test_exactly_the_unchanged_paragraphs_are_marked_copied():
    paragraphs = [p for part in fixture_pair().parts for p in part.paragraphs]
    changed = [p for p in paragraphs if REWORDED[1] in p.text or p.text == REWRITTEN]
    assert len(changed) == 2
    for paragraph in paragraphs:
        long_enough = len("".join(unicodedata.normalize("NFKC", paragraph.text).split())) >= MIN_COPIED
        assert paragraph.copied == (paragraph not in changed and long_enough), paragraph.text
    # Spaces and full-width digits are no change; the short date line is copied but not marked.
    assert next(p for p in paragraphs if SPACED[1] in p.text).copied
    assert [p.copied for p in paragraphs if p.text == "2022年1月20日"] == [False]
    # The preamble, five of 一's six paragraphs, the prose of 三 and 四, 六's sentence.
    assert sum(p.copied for p in paragraphs) == 9


def test_similarity_per_part():
    parts = _parts(fixture_pair())
    assert parts["request"].similarity == 100  # its prose after the table, unchanged
    assert 60 <= parts["overview"].similarity < 100  # one word of one paragraph of six changed
    assert parts["problems"].similarity < 20  # rewritten
    assert parts["active"].similarity is None  # tables and their labels: too little prose
    assert parts["other"].similarity is None  # one short sentence
    assert [p.text for p in parts["problems"].paragraphs] == [REWRITTEN]
    assert parts["problems"].last_heading == parts["problems"].this_heading == "五、存在的主要问题及改进情况"
    assert not any(p.text.startswith(PROBLEMS) for part in parts.values() for p in part.paragraphs)


def test_parts_of_the_corpus_are_matched_by_their_heading():
    parts = _parts(hongze())
    assert list(parts) == [
        "（正文各部分之前）",
        "overview",
        "active",
        "request",
        "review_litigation",
        "problems",
        "other",
    ]
    assert 0 < parts["overview"].similarity < 100
    # The preamble's first sentence is the same in both years; the second names another year.
    assert [p.copied for p in parts["（正文各部分之前）"].paragraphs] == [True, False]
    assert not any(p.copied for p in parts["overview"].paragraphs)


def test_a_part_only_last_year_has_comes_last_without_paragraphs():
    last = (FIXTURES / "report_2021.txt").read_text(encoding="utf-8")
    this = last.replace("苏州市自然资源和规划局2021年", "苏州市自然资源和规划局2022年", 1)
    this = this[: this.index("六、其他需要报告的事项")]
    part = compare_sources(source_of(last, "a.txt"), source_of(this, "b.txt")).parts[-1]
    assert (part.key, part.last_heading, part.this_heading) == ("other", "六、其他需要报告的事项", None)
    assert (part.similarity, part.paragraphs) == (None, [])


def test_figures_stated_in_both_years_side_by_side():
    figures = {figure.name: figure for figure in hongze().figures}
    received = figures["受理（收到）申请"]
    assert (received.last_statement.text, received.this_statement.text) == ("21 件", "17 件")
    assert (received.last, received.this, received.change, received.rate) == (21, 17, -4, -19.0)
    fee = figures["全年收取政府信息公开信息处理费"]
    assert (fee.last, fee.this, fee.unit, fee.rate) == (0, 0, "元", None)
    only_2024 = figures["公开政府常务会议"]
    assert (only_2024.last_statement, only_2024.this, only_2024.change) == (None, 7, None)


def test_consecutive_years_of_one_issuer_need_no_warning():
    """洪泽区人民政府 (2023) and 淮安市洪泽区人民政府 (2024) are one issuer."""
    assert hongze().warnings == []


def test_other_issuer_and_not_consecutive_years_are_warned_and_still_compared():
    comparison = compare_files(
        shared_file(CORPUS / "huaian-hongze-2024.txt"), shared_file(CORPUS / "huaian-szf-2024.txt")
    )
    assert comparison.warnings == [
        "两份报告不是相邻两个年度（2024年、2024年），仍作比较",
        "两份报告的发布机关不同（淮安市洪泽区人民政府、淮安市人民政府），仍作比较",
    ]
    assert all(table.rows for table in comparison.tables)
    assert comparison.carryover  # checked all the same
