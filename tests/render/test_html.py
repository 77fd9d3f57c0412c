"""The HTML report without a browser: every finding marked at its span in the draft's own text,
overlaps split into segments, tables as tables, the draft's markup shown as text, no external
asset. (tests/render/test_html_browser.py runs the page in Chromium.)"""

from __future__ import annotations

import re

import lxml.html
import pytest
from conftest import FIXTURES, check_text, seed_text
from drafts import INJECTED, table_errors, with_script

from compliance.models.findings import Finding
from compliance.render.html import render_html


def _page(text: str, **context):
    report = check_text(text, **context)
    return report, lxml.html.fromstring(render_html(report, text))


def marks_of(page) -> dict[int, dict]:
    """For each finding number: its segments' text and starts, its pin's offset and line."""
    found: dict[int, dict] = {}
    for segment in page.xpath("//main//mark[@data-f]"):
        for number in segment.get("data-f").split():
            entry = found.setdefault(int(number), {"text": "", "starts": []})
            entry["text"] += segment.text_content()
            entry["starts"].append(int(segment.get("data-start")))
    for pin in page.xpath("//main//a[contains(@class, 'pin')]"):
        entry = found.setdefault(int(pin.get("data-n")), {"text": "", "starts": []})
        line = next(a for a in pin.iterancestors() if (a.get("id") or "").startswith("L"))
        entry.update(pin=int(pin.get("data-at")), line=int(line.get("id")[1:]), pin_id=pin.get("id"))
    return found


def assert_marked_where_found(report, page, text: str) -> None:
    marks = marks_of(page)
    assert set(marks) == set(range(1, len(report.findings) + 1))
    for number, finding in enumerate(report.findings, 1):
        mark = marks[number]
        # Line breaks and tabs separate lines and cells; they are not text inside a mark.
        assert mark["text"] == re.sub(r"[\n\t]", "", text[finding.start : finding.end]), finding
        assert mark["pin"] == finding.start and mark["line"] == finding.line
        if finding.end > finding.start:
            assert mark["starts"][0] == finding.start
        assert mark["pin_id"] == f"mark-{number}"
        item = page.get_element_by_id(f"finding-{number}")
        assert item.xpath(".//a/@href")[0] == f"#mark-{number}"
        assert finding.message in item.text_content() and finding.suggestion in item.text_content()


@pytest.mark.parametrize(
    "draft",
    [
        lambda: (FIXTURES / "report_2021_broken.txt").read_text(encoding="utf-8"),
        lambda: seed_text("000"),
        table_errors,
    ],
    ids=["broken-2021", "seed-000", "table-errors"],
)
def test_every_finding_is_marked_at_its_span(draft):
    text = draft()
    report, page = _page(text)
    assert report.findings
    assert_marked_where_found(report, page, text)
    # The page shows the whole draft: its text content is the draft without line breaks and tabs
    # (pins and line numbers are CSS-generated, not text).
    assert page.xpath("string(//main)").replace("\n", "") == re.sub(r"[\n\t]", "", text)


def test_overlapping_nested_empty_and_multiline_spans_become_segments():
    text = "甲乙丙丁戊己庚辛壬癸\n第二行"
    report = check_text(text, year=2021)

    def finding(rule, severity, start, end):
        return Finding(
            rule=rule,
            severity=severity,
            message=f"{rule}消息",
            basis="",
            line=1,
            start=start,
            end=end,
            excerpt=text[start:end],
            suggestion=f"{rule}建议",
        )

    findings = [
        finding("CALC-SUM", "minor", 0, 6),  # 甲乙丙丁戊己
        finding("XREF-REPEAT", "critical", 2, 4),  # 丙丁, nested in the first
        finding("TIME-YEAR", "major", 4, 8),  # 戊己庚辛, overlaps the first
        finding("STRUCT-TITLE", "major", 8, 8),  # nothing at 壬: a pin only
        finding("STYLE-RESIDUE", "info", 8, 13),  # 壬癸, the line break, 第二
    ]
    report = report.model_copy(update={"findings": findings})
    page = lxml.html.fromstring(render_html(report, text))
    segments = [(m.text_content(), m.get("data-f"), m.get("class")) for m in page.xpath("//main//mark")]
    assert segments == [
        ("甲乙", "1", "seg sev-minor"),
        ("丙丁", "1 2", "seg sev-critical"),  # coloured by the worst finding covering it
        ("戊己", "1 3", "seg sev-major"),
        ("庚辛", "3", "seg sev-major"),
        ("壬癸", "5", "seg sev-info"),
        ("第二", "5", "seg sev-info"),
    ]
    line = page.get_element_by_id("L1")
    pins = [(p.get("id"), p.get("data-at")) for p in line.xpath(".//a[contains(@class, 'pin')]")]
    assert pins == [("mark-1", "0"), ("mark-2", "2"), ("mark-3", "4"), ("mark-4", "8"), ("mark-5", "8")]
    assert line.text_content() == "甲乙丙丁戊己庚辛壬癸"
    # The empty span's pin sits between 辛 and 壬.
    pin = page.get_element_by_id("mark-4")
    assert pin.getprevious().text_content() == "庚辛" and pin.getnext().getnext().text_content() == "壬癸"
    assert [m.get("data-f") for m in page.get_element_by_id("L2").xpath(".//mark")] == ["5"]


def test_draft_markup_is_shown_as_text_never_as_markup():
    text = with_script()
    report, page = _page(text)
    html = render_html(report, text)
    assert "<script>window.injected" not in html and "<img src=x" not in html
    assert "&lt;script&gt;window.injected = true&lt;/script&gt;" in html
    assert len(page.xpath("//script")) == 1 and not page.xpath("//img")
    assert page.xpath("string(//main)").count(INJECTED) == 2
    # The heading finding quotes the markup in its message: in the list and in the pin's title.
    heading = next(n for n, f in enumerate(report.findings, 1) if f.rule == "STRUCT-PART-HEADING")
    assert INJECTED in page.get_element_by_id(f"finding-{heading}").text_content()
    assert INJECTED in page.get_element_by_id(f"mark-{heading}").get("title")
    assert_marked_where_found(report, page, text)


def test_tab_rows_are_tables_with_the_faulty_cells_flagged():
    text = table_errors()
    report, page = _page(text)
    tables = page.xpath("//main/table")
    tab_lines = [line for line in text.split("\n") if "\t" in line]
    assert sum(len(t.xpath("./tr")) for t in tables) == len(tab_lines)
    rows = {int(tr.get("id")[1:]): tr for t in tables for tr in t.xpath("./tr")}
    for number, line in enumerate(text.split("\n"), 1):
        if "\t" in line:
            assert [td.text_content() for td in rows[number].xpath("./td")] == line.split("\t")
    wrong_total = next(f for f in report.findings if f.rule == "CALC-SUM")
    blank_total = next(f for f in report.findings if f.rule == "CALC-CELL")
    flagged = page.xpath("//main//td[contains(@class, 'flagged')]")
    assert [td.text_content() for td in flagged] == ["", "5"]  # in document order: 表三, then 表四
    number = report.findings.index(wrong_total) + 1
    assert flagged[1].get("data-f") == str(number) and "sev-critical" in flagged[1].get("class")
    assert flagged[1].xpath(".//mark")[0].text_content() == "5"
    # The blank total: a pin inside the empty cell at the end of the （七）总计 row.
    pin = page.get_element_by_id(f"mark-{report.findings.index(blank_total) + 1}")
    assert pin.getparent() is flagged[0] and flagged[0].getnext() is None
    assert "（七）总计" in flagged[0].getparent().text_content()


def test_header_filters_lists_and_not_checked():
    text = (FIXTURES / "report_2021_broken.txt").read_text(encoding="utf-8")
    report, page = _page(text)
    header = page.xpath("string(//header)")
    assert "（无标题）" in header and "不合格" in header and f"得分 {report.summary.score}" in header
    assert "严重 2" in re.sub(r"\s+", " ", header)
    severities = page.xpath("//input[@name='severity']/@value")
    families = page.xpath("//input[@name='family']/@value")
    assert severities == ["critical", "major", "minor", "info"] and families == ["STRUCT", "STYLE"]
    items = page.xpath("//li[contains(@class, 'finding')]")
    assert [(li.get("data-severity"), li.get("data-family")) for li in items] == [
        (f.severity, f.rule.split("-")[0]) for f in report.findings
    ]
    assert [h.text_content() for h in page.xpath("//div[@class='part-group']/h3")][:2] == [
        "（正文各部分之前）",
        "一、总体情况",
    ]
    not_checked = page.get_element_by_id("not-checked").text_content()
    assert all(item.reason in not_checked for item in report.not_checked)


def test_page_is_self_contained():
    text = (FIXTURES / "report_2021_broken.txt").read_text(encoding="utf-8")
    _report, page = _page(text)
    assert not page.xpath("//*[@src] | //link | //iframe | //object")
    assert all(href.startswith("#") for href in page.xpath("//@href"))
    style = page.xpath("string(//style)")
    assert "@import" not in style and "url(" not in style


def test_clean_report_says_so():
    text = (FIXTURES / "report_2021.txt").read_text(encoding="utf-8")
    report, page = _page(text)
    assert not report.findings
    assert page.xpath("string(//section[@id='findings'])").count("未发现问题") == 1
    assert not page.xpath("//main//mark | //main//a")
