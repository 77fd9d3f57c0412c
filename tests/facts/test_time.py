"""Years and dates (compliance/facts/time.py) on hand-made text and the real documents: what is
found, where (spans back to the original), and what is reported unavailable."""

from __future__ import annotations

import re

import pytest

from compliance import facts as stage
from compliance.models.config import Overrides
from compliance.models.facts_time import date_readings, impossible_date
from compliance.normalize import normalize
from compliance.parse import parse
from compliance.rulebook import default_rulebook
from conftest import CORPUS, FIXTURES, SEEDS, check_text, seed_text, shared_file

KINDS = ("year_mention", "plan_year", "date_issue", "publication")
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


def test_seed_001_compares_2017_with_itself():
    normalized, found, _ = _extract(seed_text("001"))
    (period,) = [f for f in _of(found, "year_mention") if f.role == "period"]
    assert period.agrees and period.text == "2017年1月1日至2017年12月31日"
    (comparison,) = [f for f in _of(found, "year_mention") if f.role == "comparison"]
    assert (comparison.text, comparison.agrees, comparison.expected) == ("比2017年", False, 2016)
    assert (comparison.corrected, comparison.replacement) == ("比2016年", "比2016年")
    assert _original(normalized, comparison) == "比2017年"


def test_pdf_line_breaks_inside_the_period_are_kept_by_the_edit():
    text = ("洪泽区人民政府\n2024 年政府信息公开工作年度报告\n本报告由区政府办公室编制。报告中所列数据统计期限自 2024 年 1 月 1 日\n"
            "起至 2023 年 12 月 31 日止。如对本报告有疑问，请与淮安\n市洪泽区人民政府办公室联系。\n")
    normalized, found, _ = _extract(text)
    (period,) = [f for f in _of(found, "year_mention") if f.role == "period"]
    assert not period.agrees and period.year == 2023
    assert period.text == "2024 年 1 月 1 日起至 2023 年 12 月 31 日"
    assert period.replacement == "2024 年 1 月 1 日\n起至 2024 年 12 月 31 日"
    assert _original(normalized, period) == "2024 年 1 月 1 日\n起至 2023 年 12 月 31 日"


def test_traditional_seed_keeps_its_own_text_in_fixes():
    normalized, found, _ = _extract(seed_text("003"), year=2014)
    (relative,) = _of(found, "year_mention")
    assert (relative.role, relative.text, relative.replacement) == ("relative", "今年(2013年)", "今年(2014年)")
    _, found, _ = _extract(seed_text("000"), year=2019)
    (plan,) = _of(found, "plan_year")
    assert (plan.part, plan.text, plan.expected, plan.agrees) == ("六、存在问题和改进措施", "2019年", 2020, False)


def test_plan_years_of_the_real_reports_are_next_year():
    for text in (seed_text("000"), (FIXTURES / "report_2021.txt").read_text(encoding="utf-8"),
                 shared_file(CORPUS / "huaian-hongze-2024.txt").read_text(encoding="utf-8")):
        _, found, _ = _extract(text)
        plans = _of(found, "plan_year")
        assert plans and all(p.agrees for p in plans), plans


def test_citations_history_and_points_in_the_year_are_no_claims():
    text = ("苏州市交通运输局2017年政府信息公开工作年度报告\n一、总体情况\n"
            "依据《2017年工作要点》〔2017年〕比上年增长，比2016年增加，比2017年初增长，较2017年6月增加，2016年成立。\n")
    _, found, _ = _extract(text)
    assert [(f.role, f.text, f.agrees) for f in _of(found, "year_mention")] == [
        ("title", "2017年", True), ("comparison", "比2016年", True)]


def test_date_readings():
    assert date_readings("2019531") == ["2019年5月31日"]
    assert date_readings("20190531") == ["2019年5月31日"]
    assert date_readings("2019111") == ["2019年1月11日", "2019年11月1日"]
    assert date_readings("2020229") == ["2020年2月29日"]
    assert date_readings("2019229") == []  # 2019 is a common year
    assert date_readings("2019505") == []  # 5月05日: a stray zero, not a date written out
    assert date_readings("2019999") == []


def test_impossible_dates():
    assert impossible_date(None, 13, None) == "一年没有13月"
    assert impossible_date(None, 2, 30) == "2月没有30日"
    assert impossible_date(2021, 2, 29) == "2021年不是闰年，2月没有29日"
    assert impossible_date(None, 2, 29) == impossible_date(2020, 2, 29) == ""
    assert impossible_date(2021, 4, 31) == "4月没有31日"


def test_seed_004_damaged_date_but_not_the_document_number():
    normalized, found, _ = _extract(seed_text("004"))
    (damaged,) = _of(found, "date_issue")
    assert (damaged.text, damaged.corrected, damaged.replacement) == ("2019531", "2019年5月31日", "2019年5月31日")
    assert "〔201919" in normalized.original and _original(normalized, damaged) == "2019531"


def test_publication_against_the_deadline():
    normalized, found, unavailable = _extract((FIXTURES / "report_2021.txt").read_text(encoding="utf-8"))
    (publication,) = _of(found, "publication")
    assert (publication.text, publication.deadline, publication.late) == ("2022年1月20日", "2022-01-31", False)
    assert publication.basis_ref == "OGI2019-049" and "publication" not in unavailable
    _, found, _ = _extract((FIXTURES / "report_2021.txt").read_text(encoding="utf-8"), issuer_kind="government")
    assert _of(found, "publication")[0].deadline == "2022-03-31"


def test_what_cannot_be_checked_is_said():
    _, found, unavailable = _extract(seed_text("003"))  # no signature date, truncated before the problems part
    assert unavailable["publication"] == "报告未写明发布日期（落款日期），未核对发布时限"
    assert unavailable["plan_year"].startswith("未找到“存在的主要问题及改进情况”部分")
    text = "2021年政府信息公开工作年度报告\n一、总体情况\n2021年，认真落实条例规定。\n2022年6月30日\n"
    _, found, unavailable = _extract(text)
    assert "政府还是部门" in unavailable["publication"] and not _of(found, "publication")
    text = "政府信息公开工作年度报告\n本报告由本局编制。\n一、总体情况\n本局落实条例。\n二、主动公开\n比2017年增长。2019531\n"
    _, found, unavailable = _extract(text)
    assert set(unavailable) >= {"year_mention", "plan_year", "publication"}
    assert [f.kind for f in found] == ["date_issue"]  # dates need no report year
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
