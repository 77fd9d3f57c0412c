"""Figures in prose: read from real text in every form, checked against the tables and themselves."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from builders import to_docx, to_html
from conftest import CORPUS, FIXTURES, SEED_FILES, SEEDS, check_text, shared_file

from compliance.facts.figures import lexicon, read
from compliance.load import load
from compliance.normalize import normalize
from compliance.parse import parse
from compliance.pipeline import check, check_source

FIGURE_RULES = ("XREF-PROSE-TABLE", "XREF-REPEAT", "CALC-PERCENT", "CALC-BREAKDOWN")


def _figures(text: str, year: int | None = None):
    figures, breakdowns, _ = read(parse(normalize(text).text), year)
    return figures, breakdowns


def _ours(report):
    return [f for f in report.findings if f.rule in FIGURE_RULES]


def _as(form: str, text: str, tmp_path):
    if form == "txt":
        path = tmp_path / "report.txt"
        path.write_text(text, encoding="utf-8")
        return load(path)
    return load((to_docx if form == "docx" else to_html)(text, tmp_path / f"report.{form}"))


def test_lexicon_loads_and_its_patterns_compile():
    lex = lexicon()
    for term in lex.terms:
        for pattern in filter(None, (term.pattern, term.requires, term.exclude)):
            re.compile(pattern)
    assert {"new", "received", "closed", "review", "suit", "upheld"} <= {t.id for t in lex.terms}


@pytest.mark.parametrize(
    ("sentence", "value", "unit", "approx"),
    [
        ("全年受理政府信息公开申请1,234件。", Decimal(1234), "件", False),
        ("全年受理政府信息公开申请１２３件。", Decimal(123), "件", False),
        ("全年受理政府信息公开申请一百二十三件。", Decimal(123), "件", False),
        ("全市共受理政府信息公开申请 3119 件，均已答复。", Decimal(3119), "件", False),
        ("累计入库“双公示”信息22.9万条。", Decimal(229000), "条", False),
        ("主动公开各类政府信息 5500 余条。", Decimal(5500), "条", True),
        ("全年收取信息处理费 3940 元。", Decimal(3940), "元", False),
        ("占办结总数的59.4%。", Decimal("59.4"), "%", False),
    ],
)
def test_numbers_in_their_written_forms(sentence, value, unit, approx):
    (figure,), _ = _figures("一、总体情况\n" + sentence)
    assert (figure.value, figure.unit, figure.approx) == (value, unit, approx)


def test_ordinals_years_and_codes_are_not_figures():
    figures, _ = _figures(
        "一、总体情况\n2024 年，我市蝉联全省第1名，电话：0517-83605210，国令第 711 号，一是加强领导。"
    )
    assert figures == []


def test_spans_point_at_the_number_in_every_real_document():
    paths = (
        [SEEDS / name for name in SEED_FILES.values()] + sorted(CORPUS.glob("*.txt")) + sorted(FIXTURES.glob("*.txt"))
    )
    for path in map(shared_file, paths):
        text = normalize(load(path).text).text
        figures, _, _ = read(parse(text), None)
        assert figures or path.name.startswith("00"), path.name
        for figure in figures:
            assert text[figure.start : figure.end] == figure.number, (path.name, figure.text)


def test_clauses_name_table_quantities():
    figures, breakdowns = _figures(shared_file(CORPUS / "huaian-szf-2024.txt").read_text(encoding="utf-8"), 2024)
    named = {f.text: f.key for f in figures if f.key}
    assert named["3119 件"] == "received|total|" and named["3050 件"] == "closed|total|"
    assert named["34 件"] == "carried|total|" and named["103 件"] == "next|total|"  # "另有103件顺延到下年度"
    assert named["72 件"] == "upheld|total|review"
    assert named["5 件"] == "corrected|total|direct_suit,suit_after_review"
    assert [(b.whole.text, len(b.parts), b.exhaustive) for b in breakdowns] == [
        ("3050 件", 1, False),
        ("351件", 4, True),
        ("46 件", 4, True),
    ]


def test_seed_000_consistent_figures_give_at_most_one_hint():
    report = check(shared_file(SEEDS / SEED_FILES["000"]))  # Traditional: converted before facts
    (hint,) = _ours(report)
    assert (hint.rule, hint.severity, hint.excerpt) == ("CALC-BREAKDOWN", "info", "389000")
    assert "440800条" in hint.message and hint.edit is None


def test_seed_001_growth_rate_is_right():
    assert _ours(check(shared_file(SEEDS / SEED_FILES["001"]))) == []


@pytest.mark.parametrize("name", ["huaian-szf-2024", "huaian-hongze-2023", "huaian-hongze-2024"])
@pytest.mark.parametrize("suffix", ["txt", "pdf"])
def test_real_reports_that_agree_with_their_tables(name, suffix):
    assert _ours(check(shared_file(CORPUS / f"{name}.{suffix}"))) == []


VARIANTS = [
    # (fixture, prose as written, as edited, rules expected, the excerpt, the replacement)
    ("report_2021.txt", "共办结143件", "共办结148件", ["XREF-PROSE-TABLE"], "148", "143"),
    ("report_2021.txt", "占办结总数的59.4%", "占办结总数的69.4%", ["CALC-PERCENT"], "69.4", "59.4"),
    (
        "report_2021.txt",
        "其中结果维持2件、结果纠正1件",
        "其中结果维持3件、结果纠正1件",
        ["CALC-BREAKDOWN", "XREF-PROSE-TABLE"],
        "3",
        "2",
    ),
    (
        "report_2019.txt",
        "全年新收政府信息公开申请358件",
        "全年新收政府信息公开申请385件",
        ["XREF-PROSE-TABLE"],
        "385",
        "358",
    ),
    ("report_2019.txt", "其中结果维持5件", "其中结果维持5件（均获维持）", ["XREF-PROSE-TABLE"], "均获维持", None),
]


@pytest.mark.parametrize("form", ["txt", "docx", "html"])
@pytest.mark.parametrize(("name", "before", "after", "rules", "excerpt", "replacement"), VARIANTS)
def test_edited_prose_is_caught_in_every_form(form, name, before, after, rules, excerpt, replacement, tmp_path):
    text = (FIXTURES / name).read_text(encoding="utf-8")
    assert _ours(check_source(_as(form, text, tmp_path))) == []
    assert before in text
    source = _as(form, text.replace(before, after, 1), tmp_path)
    findings = _ours(check_source(source))
    assert sorted(f.rule for f in findings) == rules
    for finding in findings:
        assert source.text[finding.start : finding.end] == finding.excerpt
    (main,) = [f for f in findings if f.rule == rules[-1]]
    assert main.excerpt == excerpt
    if replacement:
        assert main.edit.replacement == replacement and main.edit.safe is False


def test_without_its_table_prose_is_not_checked_but_said_so():
    lines = (FIXTURES / "report_2021.txt").read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("（本列数据"))
    end = next(i for i, line in enumerate(lines) if line.startswith("四、结转下年度继续办理"))
    report = check_text("\n".join(lines[:start] + lines[end + 1 :]).replace("共办结143件", "共办结148件"))
    assert not [f for f in report.findings if f.rule == "XREF-PROSE-TABLE"]
    reasons = {n.rule: n.reason for n in report.not_checked}
    assert "表三" in reasons["XREF-PROSE-TABLE"]


def test_a_2007_report_has_no_tables_to_compare_and_says_nothing_about_it():
    report = check_text("苏州市交通运输局2018年政府信息公开工作年度报告\n一、概述\n全年受理政府信息公开申请120件。\n")
    assert "XREF-PROSE-TABLE" not in {n.rule for n in report.not_checked}


def test_fact_count_stays_small():
    from conftest import source_of

    from compliance.pipeline import describe_source

    text = shared_file(SEEDS / SEED_FILES["000"]).read_text(encoding="utf-8")
    _, facts = describe_source(source_of(text))
    # one fact per figure compared, share, restatement or breakdown — tens, not one per character
    ours = [f for f in facts if f.kind in ("prose_table", "prose_repeat", "stated_percent", "breakdown")]
    assert len(ours) <= 40


# Prose as real reports phrase it, every figure consistent with report_2021.txt's tables.
RESTATED = """全年共收到政府信息公开申请149件（含上年结转7件），其中网上申请120件、信函申请22件、当面申请7件。
从申请人类型看，自然人提出申请120件，法人或其他组织提出申请22件。
办理结果方面，予以公开72件，部分公开13件，不予公开11件，因本机关不掌握相关信息等原因无法提供35件，不予处理9件，其他处理3件，按时答复率100%。
本机关收到并处理政府信息公开申请142件，较上年增加12件，增长9.2%；依申请公开办理时限平均缩短至10个工作日。
2021年共收到政府信息公开申请142件，同比下降5.3%，其中自然人申请120件，占84.5%。
共办理人大代表建议和政协委员提案56件，办结率100%。全年受理行政许可申请1260件。
全年因政府信息公开被申请行政复议4件（维持2件，纠正1件，尚在审理1件），被提起行政诉讼3件，其中一审判决维持2件，复议后起诉1件。
通过行政复议案件倒逼整改，纠正不规范答复问题12个。公民、法人或其他组织提出政府信息公开申请142件。
新闻发布会12场，政策解读9篇，其中图解4篇、视频解读5篇。全年收取信息处理费0元。
全年受理、办结政府信息公开申请143件，予以公开、部分公开共85件；因政府信息公开被申请行政复议、提起行政诉讼共7件。"""


def _with_prose(prose: str) -> str:
    text = (FIXTURES / "report_2021.txt").read_text(encoding="utf-8")
    return text.replace("（三）政府信息管理。", prose + "\n（三）政府信息管理。", 1)


def test_prose_phrased_as_real_reports_phrase_it_gives_nothing():
    assert _ours(check_text(_with_prose(RESTATED))) == []


@pytest.mark.parametrize(
    ("before", "after", "rule"),
    [
        # 表三's 法人 columns: 22 new, 23 with the carried-over one; 25 fits neither
        ("法人或其他组织提出申请22件", "法人或其他组织提出申请25件", "XREF-PROSE-TABLE"),
        ("无法提供35件", "无法提供36件", "XREF-PROSE-TABLE"),
        ("尚在审理1件", "尚在审理2件", "XREF-PROSE-TABLE"),
        ("予以公开、部分公开共85件", "予以公开、部分公开共86件", "XREF-PROSE-TABLE"),
        ("占84.5%", "占86.5%", "CALC-PERCENT"),
        ("政策解读9篇，其中图解4篇、视频解读5篇", "政策解读9篇，其中图解4篇、视频解读6篇", "CALC-BREAKDOWN"),
    ],
)
def test_one_changed_figure_in_that_prose_is_found(before, after, rule):
    findings = _ours(check_text(_with_prose(RESTATED.replace(before, after, 1))))
    assert [f.rule for f in findings] == [rule]
    assert findings[0].excerpt in after


def test_consistent_prose_is_observed_not_silent():
    """Every figure the tables give a value for, every stated share and breakdown is a fact, right
    or wrong (issue 12): the rules judge their difference, error and excess."""
    from conftest import source_of

    from compliance.pipeline import describe_source

    _, observed = describe_source(source_of(_with_prose(RESTATED)))
    prose = [f for f in observed if f.kind == "prose_table"]
    assert len(prose) >= 10 and all(f.difference == 0 for f in prose)
    assert {f.statement for f in prose} == {"figure"} and all(f.readings for f in prose)
    shares = [f for f in observed if f.kind == "stated_percent"]
    assert shares and all(f.error == 0 for f in shares)  # 增长9.2% of an increase of 12 has no base: no fact
    breakdowns = [f for f in observed if f.kind == "breakdown"]
    assert breakdowns and all(f.excess <= 0 for f in breakdowns)
    repeats = [f for f in observed if f.kind == "prose_repeat"]
    assert all(f.difference == 0 for f in repeats)


def test_a_wrong_share_is_off_by_units_of_its_last_digit():
    from conftest import source_of

    from compliance.pipeline import describe_source

    _, observed = describe_source(source_of(_with_prose(RESTATED.replace("占84.5%", "占86.5%"))))
    (share,) = [f for f in observed if f.kind == "stated_percent" and f.error]
    assert (share.value, share.base, share.computed, share.error) == ("120", "142", "84.5", 20)


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("共受理申请1,234件，办结12.5%", ["1,234", "12.5"]),
        ("第3条规定5件", ["5"]),  # an article number is no figure
        ("A12件，B-3件", ["3"]),  # glued to a letter: no figure
        ("1.2.3件", []),  # a dotted number: no figure
        ("二十三件、一百零五条、十件", ["二十三", "一百零五", "十"]),
        ("第十五件", []),
        ("１２件", ["１２"]),
        ("3件\n4件", ["3", "4"]),
    ],
)
def test_numbers_as_the_figure_pattern_reads_them(text, numbers):
    """The figure pattern opens with the number's first character (so re skips to it) and looks
    back from there: what it reads is what a look-behind before the number read."""
    figures, _ = _figures(text)
    assert [f.number for f in figures] == numbers
