"""The HTML report in a real headless Chromium (Debian's, driven by Playwright): every finding is
marked at its text, the filters hide marks, a click shows the finding, the draft's own markup
never runs. `make tools` (run by `make test` and `.ci/run`) installs Chromium; without it these tests skip."""

from __future__ import annotations

import pytest
from conftest import FIXTURES, NEEDS_CHROMIUM, check_text, seed_text
from drafts import INJECTED, table_errors, with_script

from compliance.render.html import render_html

pytestmark = NEEDS_CHROMIUM

DRAFTS = {
    "broken-2021": lambda: (FIXTURES / "report_2021_broken.txt").read_text(encoding="utf-8"),
    "seed-000": lambda: seed_text("000"),
    "table-errors": table_errors,
}

# For each finding number: the text of its marked segments in page order, its pin's offset, the
# line it sits on, and whether the pin is displayed.
MARKS = """() => {
  const marks = {};
  for (const li of document.querySelectorAll("li.finding")) {
    const id = li.dataset.id;
    const segments = [...document.querySelectorAll("#draft mark[data-f]")]
      .filter((m) => m.dataset.f.split(" ").includes(id));
    const pin = document.getElementById("mark-" + id);
    marks[id] = {
      text: segments.map((m) => m.textContent).join(""),
      highlighted: segments.filter((m) => getComputedStyle(m).backgroundColor !== "rgba(0, 0, 0, 0)").length,
      segments: segments.length,
      at: Number(pin.dataset.at),
      line: Number(pin.closest("[id^=L]").id.slice(1)),
      pinShown: pin.offsetParent !== null,
      listed: !li.hidden,
    };
  }
  return marks;
}"""


def open_report(browser, tmp_path, text, name="report"):
    report = check_text(text)
    page_file = tmp_path / f"{name}.html"
    page_file.write_text(render_html(report, text), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(page_file.as_uri())
    return report, page, errors


@pytest.mark.parametrize("name", DRAFTS)
def test_every_finding_is_marked_at_its_text(browser, tmp_path, name):
    text = DRAFTS[name]()
    report, page, errors = open_report(browser, tmp_path, text, name)
    marks = page.evaluate(MARKS)
    assert len(marks) == len(report.findings) > 0
    for number, finding in enumerate(report.findings, 1):
        mark = marks[str(number)]
        expected = text[finding.start : finding.end].replace("\n", "").replace("\t", "")
        assert mark["text"] == expected, finding
        assert mark["highlighted"] == mark["segments"]
        assert (mark["at"], mark["line"], mark["pinShown"]) == (finding.start, finding.line, True)
    page.screenshot(path=tmp_path / f"{name}.png", full_page=True)
    assert (tmp_path / f"{name}.png").read_bytes().startswith(b"\x89PNG")
    assert errors == []
    page.close()


def test_filters_hide_marks_and_list_items(browser, tmp_path):
    report, page, errors = open_report(browser, tmp_path, table_errors() + "\nXX\n打印本页\n")
    severities = {str(n): f.severity for n, f in enumerate(report.findings, 1)}
    families = {str(n): f.rule.split("-")[0] for n, f in enumerate(report.findings, 1)}
    assert {"critical", "major", "minor"} <= set(severities.values())
    assert {"CALC", "STYLE"} <= set(families.values())

    page.locator("input[name=severity][value=critical]").uncheck()
    marks = page.evaluate(MARKS)
    for number, mark in marks.items():
        shown = severities[number] != "critical"
        assert (mark["pinShown"], mark["listed"]) == (shown, shown)
        if not shown:  # its segments keep their text but lose the highlight
            assert mark["highlighted"] == 0 and mark["text"]
    assert page.inner_text("#shown-count") == str(sum(s != "critical" for s in severities.values()))

    page.locator("input[name=severity][value=critical]").check()
    page.locator("input[name=family][value=STYLE]").uncheck()
    marks = page.evaluate(MARKS)
    for number, mark in marks.items():
        assert mark["pinShown"] == mark["listed"] == (families[number] != "STYLE")
    page.locator("input[name=family][value=STYLE]").check()
    assert all(mark["pinShown"] and mark["listed"] for mark in page.evaluate(MARKS).values())
    assert errors == []
    page.close()


def test_clicking_a_mark_shows_the_finding_and_links_to_the_list(browser, tmp_path):
    report, page, errors = open_report(browser, tmp_path, table_errors())
    number, finding = next((n, f) for n, f in enumerate(report.findings, 1) if f.rule == "CALC-SUM")
    assert page.locator("#popover").is_hidden()
    page.locator(f"#draft mark[data-f='{number}']").click()
    popover = page.locator("#popover")
    assert popover.is_visible()
    assert finding.message in popover.inner_text() and finding.suggestion in popover.inner_text()
    page.screenshot(path=tmp_path / "popover.png")
    popover.get_by_text("在问题列表中查看").click()
    assert page.evaluate("location.hash") == f"#finding-{number}" and popover.is_hidden()
    # …and the list links back to the mark.
    page.locator(f"#finding-{number} a.where").click()
    assert page.evaluate("location.hash") == f"#mark-{number}"
    page.keyboard.press("Escape")
    assert errors == []
    page.close()


def test_markup_in_the_draft_does_not_run(browser, tmp_path):
    report, page, errors = open_report(browser, tmp_path, with_script())
    assert page.evaluate("window.injected") is None
    assert page.inner_text("#draft").count(INJECTED) == 2
    assert page.locator("#draft img").count() == 0
    # The popover copies the finding, whose message quotes the markup: still text.
    heading = next(n for n, f in enumerate(report.findings, 1) if f.rule == "STRUCT-PART-HEADING")
    page.locator(f"#draft mark[data-f='{heading}']").click()
    assert INJECTED in page.inner_text("#popover")
    assert page.evaluate("window.injected") is None
    page.screenshot(path=tmp_path / "script.png")
    assert errors == []
    page.close()
