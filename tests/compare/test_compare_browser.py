"""The comparison page in a real headless Chromium (Debian's, driven by Playwright): both years'
three tables with their changes, the carry-over check and the chart, with no script error and
no request leaving the page. Without Chromium these tests skip."""

from __future__ import annotations

import pytest
from compare_pairs import fixture_pair, hongze
from conftest import NEEDS_CHROMIUM

from compliance.render.comparison import render_comparison

pytestmark = NEEDS_CHROMIUM

TABLES = """() => [...document.querySelectorAll("section.format-table")].map((section) => ({
  id: section.id,
  title: section.querySelector("h2").textContent,
  cells: Object.fromEntries([...section.querySelectorAll("td.cell")].map((td) => [
    td.closest("tr").dataset.row + "/" + td.dataset.column,
    {last: td.dataset.last, this: td.dataset.this, change: td.dataset.change, rate: td.dataset.rate,
     text: td.innerText, changed: td.classList.contains("changed")},
  ])),
}))"""

BARS = """() => [...document.querySelectorAll("#chart svg rect.bar")].map((rect) => ({
  figure: rect.dataset.figure, year: rect.dataset.year, value: rect.dataset.value,
  height: rect.getBBox().height, shown: rect.getBoundingClientRect().width > 0,
}))"""

CHECKS = """() => [...document.querySelectorAll("#carryover tr.check")].map((tr) => ({
  relation: tr.dataset.relation, column: tr.dataset.column, row: tr.dataset.row,
  verdict: tr.querySelector(".verdict").textContent,
}))"""


@pytest.fixture
def open_page(browser, tmp_path):
    pages = []

    def open_comparison(comparison, name="comparison"):
        page_file = tmp_path / f"{name}.html"
        page_file.write_text(render_comparison(comparison, "html"), encoding="utf-8")
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        errors, requests = [], []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

        def record(route):
            requests.append(route.request.url)
            if route.request.url == page_file.as_uri():
                route.continue_()
            else:
                route.abort()  # nothing else may be fetched: the page works offline

        page.route("**/*", record)
        page.goto(page_file.as_uri())
        pages.append(page)
        return page, errors, requests, page_file

    yield open_comparison
    for page in pages:
        page.close()


def test_the_page_shows_both_years_tables_with_their_changes(open_page):
    page, errors, requests, page_file = open_page(hongze())
    tables = page.evaluate(TABLES)
    assert [t["title"] for t in tables] == [
        "表二（主动公开政府信息情况）",
        "表三（收到和处理政府信息公开申请情况）",
        "表四（政府信息公开行政复议、行政诉讼情况）",
    ]
    active, requests_table, review = (t["cells"] for t in tables)
    new = requests_table["new/total"]
    assert (new["last"], new["this"], new["change"], new["rate"], new["changed"]) == (
        "21",
        "95",
        "+74",
        "+352.4%",
        True,
    )
    assert new["text"].split() == ["21", "→", "95", "+74（+352.4%）"]
    fees = active["fees/本年收费金额（单位：万元）"]
    assert (fees["last"], fees["this"], fees["change"], fees["rate"]) == ("7730.28", "7545", "−185.28", "−2.4%")
    assert review["review/upheld"]["change"] == "−9" and review["review/upheld"]["rate"] == "−90.0%"
    unchanged = requests_table["next/total"]
    assert (unchanged["change"], unchanged["rate"], unchanged["changed"]) == ("0", "—", False)
    # 23 rows of 7: both years write （六）其他处理 as one row, without the 2021 format's three.
    assert len(requests_table) == 23 * 7 and "other/total" in requests_table and len(review) == 3 * 5
    page.screenshot(path=page_file.with_suffix(".png"), full_page=True)
    assert errors == [] and requests == [page_file.as_uri()]


def test_the_page_shows_the_carryover_check(open_page):
    page, errors, _, _ = open_page(hongze())
    checks = page.evaluate(CHECKS)
    assert [c["column"] for c in checks if c["relation"] == "carried"] == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]
    assert [c["row"] for c in checks if c["relation"] == "stock"] == ["规章", "行政规范性文件"]
    assert {c["verdict"] for c in checks} == {"相符"}
    page, errors_too, _, _ = open_page(fixture_pair(), "fixture")
    wrong = [(c["relation"], c["column"]) for c in page.evaluate(CHECKS) if c["verdict"] == "不符"]
    assert wrong == [("carried", "自然人"), ("carried", "总计"), ("stock", "现行有效件数")]
    assert errors == errors_too == []


def test_the_chart_has_a_bar_per_figure_and_year_proportional_to_its_value(open_page):
    comparison = hongze()
    page, errors, requests, page_file = open_page(comparison)
    bars = page.evaluate(BARS)
    expected = [
        (f.label, year, value) for f in comparison.chart for year, value in (("last", f.last), ("this", f.this))
    ]
    assert [(b["figure"], b["year"], float(b["value"])) for b in bars] == expected
    assert len(bars) == 2 * 9 and all(b["shown"] for b in bars)
    tallest = max(bars, key=lambda b: float(b["value"]))
    per_unit = tallest["height"] / float(tallest["value"])
    for bar in bars:
        assert bar["height"] == pytest.approx(float(bar["value"]) * per_unit, abs=0.01), bar
    assert {b["figure"] for b in bars if b["height"] == 0} == {"予以公开", "其他处理", "行政复议", "行政诉讼"}
    assert errors == [] and requests == [page_file.as_uri()]


def test_copied_paragraphs_are_marked_on_the_page(open_page):
    page, errors, _, _ = open_page(fixture_pair())
    copied = page.eval_on_selector_all("#parts p.copied", "ps => ps.map((p) => p.textContent)")
    marked = [p.text for part in fixture_pair().parts for p in part.paragraphs if p.copied]
    assert copied == ["照搬上年" + text for text in marked] and len(marked) == 9
    assert page.locator("#parts p.copied").first.is_visible()
    assert errors == []
