"""What drafts, paths and options hold that broke the renderers (issue 14), each with its minimal
input: a finding over an empty line (HTML)."""

from __future__ import annotations

import re

import lxml.html
from click.testing import CliRunner

from cli import main
from compliance.render.html import render_html
from conftest import FIXTURES, check_text

BROKEN = FIXTURES / "report_2021_broken.txt"
# What XML 1.0 forbids in a document (lxml refuses a string holding one).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def with_findings(report, *spans: tuple[int, int], text: str):
    """``report`` with copies of its first finding at ``spans`` of ``text``."""
    first = report.findings[0]
    findings = [first.model_copy(update={"start": s, "end": e, "excerpt": text[s:e], "line": text.count("\n", 0, s) + 1})
                for s, e in spans]
    return report.model_copy(update={"findings": findings})


# --- HTML: a finding over an empty line ----------------------------------------------------------

def test_a_finding_spanning_an_empty_line_renders(tmp_path):
    """The minimal input of the crash: `府\\n\\n报告`, a finding from 府 to 报告 over the empty
    line (the empty line became a run without pieces, and the template read its first piece)."""
    text = "府\n\n报告"
    report = with_findings(check_text(text), (0, len(text)), text=text)
    page = lxml.html.fromstring(render_html(report, text))
    lines = {div.get("id"): div for div in page.xpath("//main/div[@class='line']")}
    assert lines["L2"].text_content() == "" and not lines["L2"].xpath(".//mark")
    assert [m.text_content() for m in page.xpath("//main//mark")] == ["府", "报告"]
    assert page.xpath("//main//a[@id='mark-1']/@data-at") == ["0"]


def test_a_finding_spanning_an_empty_table_cell_renders():
    text = "标题\n项目\t\t数量\n"
    start = text.index("项目")
    report = with_findings(check_text(text), (start, start + len("项目\t\t数量")), text=text)
    page = lxml.html.fromstring(render_html(report, text))
    cells = page.xpath("//main//table//td")
    assert [cell.text_content() for cell in cells] == ["项目", "", "数量"]


def test_the_draft_of_the_crash_checks_as_html(tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text("府\n\n报告", encoding="utf-8")
    out = tmp_path / "draft.html"
    result = CliRunner().invoke(main, ["check", str(draft), "--format", "html", "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 1, result.output  # findings, and a page
    assert lxml.html.fromstring(out.read_text(encoding="utf-8")).xpath("//main/div[@id='L3']")

