"""The three tables, the chart's figures and the carry-over relations of two years, checked
against what the corpus's 淮安洪泽 2023 and 2024 reports state (read by hand from the texts)."""

from __future__ import annotations

import pytest
from compare_pairs import cell, fixture_pair, hongze

from compliance.compare.tables import change_fields

# (table, row, column): (2023, 2024) as the two texts' tables state them.
STATED = {
    ("requests", "new", "natural"): (21, 95),
    ("requests", "new", "total"): (21, 95),
    ("requests", "open", "total"): (0, 50),
    ("requests", "partial", "total"): (4, 9),
    ("requests", "refuse_1", "natural"): (1, 0),
    ("requests", "unable_1", "total"): (10, 31),
    ("requests", "unable_2", "total"): (3, 1),
    ("requests", "total", "total"): (21, 95),
    ("requests", "next", "total"): (0, 0),
    ("active", "normative", "本年制发件数"): (0, 3),
    ("active", "normative", "本年废止件数"): (5, 0),
    ("active", "normative", "现行有效件数"): (5, 8),
    ("active", "licensing", "本年处理决定数量"): (550, 9487),
    ("active", "penalty", "本年处理决定数量"): (4119, 2776),
    ("active", "fees", "本年收费金额（单位：万元）"): (7730.28, 7545),
    ("review", "review", "upheld"): (10, 1),
    ("review", "review", "total"): (0, 2),  # 2023 writes 0 beside 10 and 1: the table as stated
    ("review", "suit_after_review", "upheld"): (5, 2),
    ("review", "suit_after_review", "total"): (0, 3),
}


@pytest.mark.parametrize("suffix", ["txt", "pdf"])
def test_both_years_table_values_are_what_the_reports_state(suffix):
    comparison = hongze(suffix)
    assert (comparison.last.year, comparison.this.year) == (2023, 2024)
    for (table, row, column), (last, this) in STATED.items():
        found = cell(comparison, table, row, column)
        assert (found.last, found.this) == (last, this), (table, row, column)
        assert (found.last_state, found.this_state) == ("ok", "ok")


def test_the_pdfs_compare_as_their_texts_do():
    assert hongze("pdf").tables == hongze("txt").tables
    assert hongze("pdf").carryover == hongze("txt").carryover


@pytest.mark.parametrize(
    ("key", "change", "rate"),
    [
        (("requests", "new", "total"), 74, 352.4),  # 74 / 21
        (("requests", "unable_2", "total"), -2, -66.7),  # −2 / 3
        (("active", "normative", "本年废止件数"), -5, -100.0),
        (("active", "penalty", "本年处理决定数量"), -1343, -32.6),  # −1343 / 4119 = −32.60 %
        (("active", "fees", "本年收费金额（单位：万元）"), -185.28, -2.4),  # −185.28 / 7730.28 = −2.397 %
        (("requests", "open", "total"), 50, None),  # from 0: no rate
        (("review", "suit_after_review", "total"), 3, None),
        (("requests", "next", "total"), 0, None),
    ],
)
def test_change_and_rate(key, change, rate):
    found = cell(hongze(), *key)
    assert (found.change, found.rate) == (change, rate)


def test_change_fields_when_a_year_lacks_the_value():
    assert change_fields(None, 5) == {"last": None, "this": 5, "change": None, "rate": None}
    assert change_fields(4, None) == {"last": 4, "this": None, "change": None, "rate": None}
    assert change_fields(8, 6) == {"last": 8, "this": 6, "change": -2, "rate": -25.0}


def test_rows_are_named_by_the_table_lexicon_with_their_group():
    requests = next(t for t in hongze().tables if t.table == "requests")
    labels = [row.label for row in requests.rows]
    assert "（三）不予公开 1.属于国家秘密" in labels and "（四）无法提供 1.本机关不掌握相关政府信息" in labels
    assert requests.columns == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    review = next(t for t in hongze().tables if t.table == "review")
    assert [row.label for row in review.rows] == ["行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）"]


def test_a_cell_one_year_lacks_is_shown_as_missing():
    """The 2019 format's 表三 has （六）其他处理 where 2021's has three rows."""
    from conftest import FIXTURES, source_of

    from compliance.compare import compare_sources

    last = (FIXTURES / "report_2019.txt").read_text(encoding="utf-8")
    this = (FIXTURES / "report_2021.txt").read_text(encoding="utf-8")
    comparison = compare_sources(source_of(last, "2019.txt"), source_of(this, "2021.txt"))
    other_3 = cell(comparison, "requests", "other_3", "total")
    assert (other_3.last_state, other_3.last, other_3.this_state, other_3.this) == ("missing", None, "ok", 1)
    assert (other_3.change, other_3.rate) == (None, None)


def test_the_chart_figures_add_up_the_table():
    chart = {figure.label: (figure.last, figure.this) for figure in hongze().chart}
    assert chart == {
        "收到申请": (21, 95),  # new + carried: 21 + 0, 95 + 0
        "予以公开": (0, 50),
        "部分公开": (4, 9),
        "不予公开": (3, 3),  # 2023: 1 + 1 + 1; 2024: 1 + 1 + 1
        "无法提供": (13, 32),  # 10 + 3; 31 + 1
        "不予处理": (1, 1),
        "其他处理": (0, 0),
        "行政复议": (0, 2),
        "行政诉讼": (0, 4),  # 直接起诉 0 + 复议后起诉 0; 1 + 3
    }


def test_the_carryover_of_the_corpus_holds():
    """2024's 上年结转 is 0 in every column, as 2023's 结转下年度; 行政规范性文件 in force: 5 + 3 − 0 = 8."""
    checks = hongze().carryover
    carried = [c for c in checks if c.relation == "carried"]
    assert [(c.column, c.this_value, c.expected) for c in carried] == [
        (column, 0, 0) for column in ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    ]
    stock = {
        c.row: (c.previous_value, c.issued, c.repealed, c.this_value, c.expected)
        for c in checks
        if c.relation == "stock"
    }
    assert stock == {"规章": (0, 0, 0, 0, 0), "行政规范性文件": (5, 3, 0, 8, 8)}
    assert all(c.holds and c.difference == 0 for c in checks)
    assert hongze().carryover_notes == []


def test_a_carryover_that_does_not_hold_says_by_how_much():
    """The fixture carries 7 over (6 自然人, 1 商业企业) into its next year, whose 上年结转 says
    the same 7 of the year before: the 6 should be 5 and the 7 6; 25 in force should be 25 + 3 − 1."""
    checks = fixture_pair().carryover
    wrong = {(c.relation, c.column): (c.this_value, c.expected, c.difference) for c in checks if not c.holds}
    assert wrong == {
        ("carried", "自然人"): (6, 5, 1),
        ("carried", "总计"): (7, 6, 1),
        ("stock", "现行有效件数"): (25, 27, -2),
    }
