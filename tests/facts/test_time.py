"""Years and dates (compliance/facts/time.py) on hand-made text and the real documents: what is
found, where (spans back to the original), and what is reported unavailable."""

from __future__ import annotations

import re

import pytest
from conftest import CORPUS, FIXTURES, SEEDS, check_text, seed_text, shared_file

from compliance import facts as stage
from compliance.models.config import Overrides
from compliance.models.facts_time import date_readings, days_in_month
from compliance.normalize import normalize
from compliance.parse import parse
from compliance.rulebook import default_rulebook

KINDS = ("year_mention", "plan_year", "date", "publication")
REAL = [SEEDS / name for name in sorted(p.name for p in SEEDS.glob("*.txt"))] + sorted(CORPUS.glob("*.txt"))
REAL += [FIXTURES / "report_2021.txt", FIXTURES / "report_2019.txt"]


def _extract(text: str, **context):
    normalized = normalize(text)
    _, found, unavailable = stage.extract(parse(normalized.text), normalized, default_rulebook(), Overrides(**context))
    return normalized, [f for f in found if f.kind in KINDS], {u.fact: u.reason for u in unavailable}


def _of(found, kind):
    return [f for f in found if f.kind == kind]


def _original(normalized, fact) -> str:
    start, end = normalized.to_original(fact.start, fact.end)
    return normalized.original[start:end]


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_every_fact_points_at_the_text_it_quotes(path):
    normalized, found, _ = _extract(shared_file(path).read_text(encoding="utf-8"))
    for fact in found:
        # The shown text is the original span without its line breaks; the edit keeps them.
        assert re.sub(r"\s*\n\s*", "", _original(normalized, fact)) == fact.text, fact
        if hasattr(fact, "replacement") and fact.replacement == fact.text:
            assert fact.replacement == _original(normalized, fact)
        if hasattr(fact, "original"):
            assert fact.original == _original(normalized, fact)


def test_seed_001_compares_2017_with_itself():
    normalized, found, _ = _extract(seed_text("001"))
    (period,) = [f for f in _of(found, "year_mention") if f.role == "period"]
    assert period.offset == 0 and period.text == "2017年1月1日至2017年12月31日"
    (comparison,) = [f for f in _of(found, "year_mention") if f.role == "comparison"]
    assert (comparison.text, comparison.year, comparison.expected, comparison.offset) == ("比2017年", 2017, 2016, 1)
    assert (comparison.corrected, comparison.replacement) == ("比2016年", "比2016年")
    assert _original(normalized, comparison) == "比2017年"


def test_pdf_line_breaks_inside_the_period_are_kept_by_the_edit():
    text = (
        "洪泽区人民政府\n2024 年政府信息公开工作年度报告\n"
        "本报告由区政府办公室编制。报告中所列数据统计期限自 2024 年 1 月 1 日\n"
        "起至 2023 年 12 月 31 日止。如对本报告有疑问，请与淮安\n市洪泽区人民政府办公室联系。\n"
    )
    normalized, found, _ = _extract(text)
    (period,) = [f for f in _of(found, "year_mention") if f.role == "period"]
    assert (period.year, period.expected, period.offset) == (2023, 2024, -1)
    assert period.text == "2024 年 1 月 1 日起至 2023 年 12 月 31 日"
    assert period.replacement == "2024 年 1 月 1 日\n起至 2024 年 12 月 31 日"
    assert _original(normalized, period) == "2024 年 1 月 1 日\n起至 2023 年 12 月 31 日"


def test_traditional_seed_keeps_its_own_text_in_fixes():
    _normalized, found, _ = _extract(seed_text("003"), year=2014)
    (relative,) = _of(found, "year_mention")
    assert (relative.role, relative.text, relative.replacement) == ("relative", "今年(2013年)", "今年(2014年)")
    _, found, _ = _extract(seed_text("000"), year=2019)
    (plan,) = _of(found, "plan_year")
    assert (plan.part, plan.text, plan.year, plan.expected, plan.offset) == (
        "六、存在问题和改进措施",
        "2019年",
        2019,
        2020,
        -1,
    )


def test_plan_years_of_the_real_reports_are_next_year():
    for text in (
        seed_text("000"),
        (FIXTURES / "report_2021.txt").read_text(encoding="utf-8"),
        shared_file(CORPUS / "huaian-hongze-2024.txt").read_text(encoding="utf-8"),
    ):
        _, found, _ = _extract(text)
        plans = _of(found, "plan_year")
        assert plans and all(p.offset == 0 for p in plans), plans


def test_citations_history_and_points_in_the_year_are_no_claims():
    text = (
        "苏州市交通运输局2017年政府信息公开工作年度报告\n一、总体情况\n"
        "依据《2017年工作要点》〔2017年〕比上年增长，比2016年增加，比2017年初增长，较2017年6月增加，2016年成立。\n"
    )
    _, found, _ = _extract(text)
    assert [(f.role, f.text, f.offset) for f in _of(found, "year_mention")] == [
        ("title", "2017年", 0),
        ("comparison", "比2016年", 0),
    ]


def test_an_earlier_base_year_is_observed_and_left_alone():
    text = "苏州市交通运输局2017年政府信息公开工作年度报告\n一、总体情况\n2017年公开信息50条，比2015年增加。\n"
    _, found, _ = _extract(text)
    (comparison,) = [f for f in _of(found, "year_mention") if f.role == "comparison"]
    assert (comparison.year, comparison.expected, comparison.offset, comparison.corrected) == (
        2015,
        2016,
        -1,
        "比2015年",
    )
    assert not [f for f in check_text(text).findings if f.rule == "TIME-YEAR"]


def test_date_readings():
    assert date_readings("2019531") == [(2019, 5, 31)]
    assert date_readings("20190531") == [(2019, 5, 31)]
    assert date_readings("2019111") == [(2019, 1, 11), (2019, 11, 1)]
    assert date_readings("2020229") == [(2020, 2, 29)]
    assert date_readings("2019229") == []  # 2019 is a common year
    assert date_readings("2019505") == []  # 5月05日: a stray zero, not a date written out
    assert date_readings("2019999") == []
    assert date_readings("1231") == [(None, 12, 31)]  # "至1231日": no year


def test_days_in_month():
    assert (days_in_month(None, 2), days_in_month(2020, 2), days_in_month(2021, 2), days_in_month(2021, 4)) == (
        29,
        29,
        28,
        30,
    )
    assert days_in_month(None, 13) == days_in_month(2021, 0) == 0  # no such month


def test_every_date_is_observed_with_its_calendar():
    text = (
        "苏州市交通运输局2021年政府信息公开工作年度报告\n一、总体情况\n"
        "截至2021年2月30日，我局共收到13月的数据，4月31日完成汇总，2021年2月29日上线，3月0日，2020年2月29日，6月。\n"
    )
    _, found, _ = _extract(text)
    dates = [
        (f.text, f.form, f.year, f.month, f.day, f.has_day, f.days_in_month, f.days_over) for f in _of(found, "date")
    ]
    assert dates == [
        ("2021年2月30日", "written", 2021, 2, 30, True, 28, 2),
        ("13月", "written", 0, 13, 0, False, 0, 0),
        ("4月31日", "written", 0, 4, 31, True, 30, 1),
        ("2021年2月29日", "written", 2021, 2, 29, True, 28, 1),
        ("3月0日", "written", 0, 3, 0, True, 31, -31),
        ("2020年2月29日", "written", 2020, 2, 29, True, 29, 0),
        ("6月", "written", 0, 6, 0, False, 30, -30),
    ]
    messages = [f.message for f in check_text(text).findings if f.rule == "TIME-DATE"]
    assert messages == [
        "日期“2021年2月30日”不存在：2月没有30日",
        "日期“13月”不存在：一年没有13月",
        "日期“4月31日”不存在：4月没有31日",
        "日期“2021年2月29日”不存在：2021年不是闰年，2月没有29日",
        "日期“3月0日”不存在：3月没有0日",
    ]


def test_seed_004_damaged_date_but_not_the_document_number():
    normalized, found, _ = _extract(seed_text("004"))
    (damaged,) = [f for f in _of(found, "date") if f.form == "digits"]
    assert (damaged.text, damaged.original, damaged.year, damaged.month, damaged.day, damaged.readings) == (
        "2019531",
        "2019531",
        2019,
        5,
        31,
        1,
    )
    assert "〔201919" in normalized.original and _original(normalized, damaged) == "2019531"


def test_digits_with_two_readings_and_without_a_year():
    _, found, _ = _extract(
        "苏州市交通运输局2021年政府信息公开工作年度报告\n一、总体情况\n《方案》于2019111印发，统计期限为201911日至1231日。\n"
    )
    digits = [
        (f.text, f.year, f.month, f.day, f.readings, f.other_month, f.other_day, f.day_mark)
        for f in _of(found, "date")
        if f.form == "digits"
    ]
    assert digits == [
        ("2019111", 2019, 1, 11, 2, 11, 1, False),
        ("201911", 2019, 1, 1, 1, 0, 0, True),
        ("1231", 0, 12, 31, 1, 0, 0, True),
    ]


def test_publication_against_the_deadline():
    _normalized, found, unavailable = _extract((FIXTURES / "report_2021.txt").read_text(encoding="utf-8"))
    (publication,) = _of(found, "publication")
    assert (publication.text, publication.deadline, publication.days_after_deadline) == (
        "2022年1月20日",
        "2022-01-31",
        -11,
    )
    assert (publication.deadline_year, publication.deadline_month, publication.deadline_day) == (2022, 1, 31)
    assert publication.basis_ref == "OGI2019-049" and "publication" not in unavailable
    _, found, _ = _extract((FIXTURES / "report_2021.txt").read_text(encoding="utf-8"), issuer_kind="government")
    assert (_of(found, "publication")[0].deadline, _of(found, "publication")[0].days_after_deadline) == (
        "2022-03-31",
        -70,
    )


def test_what_cannot_be_checked_is_said():
    _, found, unavailable = _extract(seed_text("003"))  # no signature date, truncated before the problems part
    assert (unavailable["publication"], unavailable["plan_year"]) == ("no-publication-date", "no-problems-part")
    text = "2021年政府信息公开工作年度报告\n一、总体情况\n2021年，认真落实条例规定。\n2022年6月30日\n"
    _, found, unavailable = _extract(text)
    assert unavailable["publication"] == "issuer-kind-unknown" and not _of(found, "publication")
    text = (
        "政府信息公开工作年度报告\n本报告由本局编制。\n一、总体情况\n本局落实条例。\n"
        "二、主动公开\n比2017年增长。2019531\n"
    )
    _, found, unavailable = _extract(text)
    assert set(unavailable) >= {"year_mention", "plan_year", "publication"}
    assert [f.kind for f in found] == ["date"]  # dates need no report year
    report = check_text(text)
    not_checked = {n.rule: n.reason for n in report.not_checked}
    assert not_checked["TIME-YEAR"] == "报告年度不明，未核对年份"
    assert not_checked["TIME-PLAN-YEAR"] == "报告年度不明，未核对计划年度"
    assert not_checked["TIME-DEADLINE"] == "报告年度不明，未核对发布时限"
    assert "TIME-DATE" not in not_checked
    assert [f.rule for f in report.findings if f.rule.startswith("TIME")] == ["TIME-DATE"]


def test_clean_real_documents_have_no_time_findings():
    for path in REAL:
        if path.name.startswith(("001_", "004_")):
            continue
        report = check_text(shared_file(path).read_text(encoding="utf-8"), name=str(path), force=True)  # 002: 工作要点
        assert not [f for f in report.findings if f.rule.startswith("TIME")], path.name
