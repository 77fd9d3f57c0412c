"""What drafts, paths and options hold that broke the renderers (issue 14), each with its minimal
input: a finding over an empty line (HTML), control characters in a .docx notice, a path with
line breaks (Markdown, terminal text), report files whose names need URL-encoding (the screening
summary), control characters and megabyte lines (SARIF, terminal text)."""

from __future__ import annotations

import dataclasses
import io
import json
import re
import time
from urllib.parse import unquote, urljoin, urlparse

import lxml.html
from click.testing import CliRunner
from conftest import FIXTURES, check_text
from docx import Document

from cli import main
from compliance.models.config import Config
from compliance.render.html import render_html
from compliance.render.markdown import render_markdown
from compliance.render.notice import build_notice, notice_options
from compliance.render.notice import render_markdown as notice_markdown
from compliance.render.notice_docx import docx_bytes
from compliance.render.sarif import render_sarif
from compliance.render.text import render_text
from compliance.render.tree import render_tree
from compliance.screen.summary import SummaryRow, render_summary

BROKEN = FIXTURES / "report_2021_broken.txt"
# What XML 1.0 forbids in a document (lxml refuses a string holding one).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def with_findings(report, *spans: tuple[int, int], text: str):
    """``report`` with copies of its first finding at ``spans`` of ``text``."""
    first = report.findings[0]
    findings = [
        first.model_copy(update={"start": s, "end": e, "excerpt": text[s:e], "line": text.count("\n", 0, s) + 1})
        for s, e in spans
    ]
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


# --- .docx notice: characters XML 1.0 forbids ----------------------------------------------------

OPTIONS = dict(
    issuer="苏州市\f人民政府办公室",
    addressee="市XX局\x0b",
    deadline="2099-12-31",
    date="2099-01-01",
    contact="张三\x00，电话：0512-68616310\x1b",
    number="苏府办〔2022〕\x075号",
    min_severity="info",
)


def test_a_notice_with_control_characters_is_a_docx():
    """A form feed (pdftotext's page break) and other control characters in the draft's text that
    reaches the notice and in the options: spaces for the white-space ones, dropped otherwise."""
    text = BROKEN.read_text(encoding="utf-8")
    report = check_text(text)
    odd = [
        f.model_copy(update={"message": f"第一页\f第二页\x01{f.message}\ufffe", "suggestion": f.suggestion + "\x0c"})
        for f in report.findings
    ]
    long_title = report.document.model_copy(update={"title": "某\f" * 400})  # core properties hold 255 characters
    notice = build_notice(
        report.model_copy(update={"findings": odd, "document": long_title}), notice_options(**OPTIONS)
    )
    document = Document(io.BytesIO(docx_bytes(notice)))
    texts = [p.text for p in document.paragraphs]
    assert not any(NOT_XML.search(t) for t in texts)
    assert "苏州市 人民政府办公室" in texts and "（联系人：张三，电话：0512-68616310）" in texts
    assert any(t.startswith("1.第一页 第二页") for t in texts)
    assert len(document.core_properties.title) == 255 and not NOT_XML.search(document.core_properties.title)
    assert notice_markdown(notice)  # the Markdown notice is text: it keeps what the .docx cannot hold


def test_a_draft_with_form_feeds_gets_its_notice(tmp_path):
    draft = tmp_path / "draft.txt"
    text = BROKEN.read_text(encoding="utf-8")
    draft.write_text(
        text.replace("\n二、", "\n\f二、").replace("一、总体情况", "一、总体情况\x01\x02"), encoding="utf-8"
    )
    out = tmp_path / "notice.docx"
    result = CliRunner().invoke(
        main,
        [
            "notice",
            str(draft),
            "--from",
            "苏州市\f人民政府办公室",
            "--to",
            "市XX局\x0b",
            "--deadline",
            "2099-12-31",
            "--date",
            "2099-01-01",
            "--contact",
            "张三\x1b",
            "--min-severity",
            "info",
            "-o",
            str(out),
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert not any(NOT_XML.search(p.text) for p in Document(str(out)).paragraphs)


def test_notice_fonts_from_a_wording_file_are_made_xml_compatible():
    report = check_text(BROKEN.read_text(encoding="utf-8"))
    notice = build_notice(report, notice_options(**OPTIONS))
    notice = dataclasses.replace(notice, fonts={key: f"仿宋\x01{key}" for key in notice.fonts})
    document = Document(io.BytesIO(docx_bytes(notice)))
    assert document.styles["Normal"].font.name == "仿宋body"


# --- Markdown and terminal text: a path with line breaks, control characters ----------------------

HOSTILE_PATH = "草稿\n# 注入的标题\n\n- **严重** `FAKE` 第1行：伪造\x1b[2J\r.txt"


def test_a_path_with_line_breaks_stays_on_its_line_in_markdown():
    report = check_text(BROKEN.read_text(encoding="utf-8"), name=HOSTILE_PATH)
    plain = check_text(BROKEN.read_text(encoding="utf-8"), name="draft.txt")
    markdown = render_markdown(report)
    assert len(markdown.splitlines()) == len(render_markdown(plain).splitlines())
    assert not any(line.startswith(("# 注入", "- **严重** `FAKE`")) for line in markdown.splitlines())
    line = next(line for line in markdown.splitlines() if line.startswith("- 文件："))
    assert "草稿\\n# 注入的标题\\n\\n- **严重**" in line and "\\x1b[2J\\r.txt" in line
    assert not CONTROLS.search(markdown.replace("\n", ""))


def test_draft_text_with_control_characters_stays_on_its_line_in_markdown():
    text = "府\x0c\u2028\x1b[31m报告"
    report = with_findings(check_text(text), (0, len(text)), text=text)
    markdown = render_markdown(report)
    assert not CONTROLS.search(markdown.replace("\n", "")) and "\u2028" not in markdown
    assert "原文：府 \\[31m报告" in markdown


def test_the_terminal_report_writes_control_characters_as_escapes():
    text = BROKEN.read_text(encoding="utf-8")
    report = check_text(text, name=HOSTILE_PATH)
    excerpt = "第一行\n第二行\x1b]0;title\x07\x9b2J"
    report = report.model_copy(update={"findings": [report.findings[0].model_copy(update={"excerpt": excerpt})]})
    for colour in (False, True):
        output = render_text(report, colour=colour)
        drafted = re.sub(r"\x1b\[[0-9;]*m", "", output) if colour else output  # click's own colours
        assert not CONTROLS.search(drafted.replace("\n", ""))
        assert "\\x1b[2J .txt" in output and "第一行 第二行\\x1b]0;title\\x07\\x9b2J" in output
        assert len(output.splitlines()) == len(
            render_text(
                report.model_copy(update={"source": report.source.model_copy(update={"path": "draft.txt"})}),
                colour=colour,
            ).splitlines()
        )


def test_the_section_tree_writes_control_characters_as_escapes():
    from compliance import normalize, parse

    tree = parse.parse(normalize.normalize("标题\x1b[2J\n一、总体情况\x07\n正文\x1b]0;x\x07").text)
    shown = render_tree(tree)
    assert "\x1b" not in shown and "\x07" not in shown and "\\x1b[2J" in shown


# --- the screening summary: links to report files whose names need encoding -----------------------

NAMES = [
    "带 空格.txt",
    "井#号.txt",
    "问?号.txt",
    "百分%25号.txt",
    "各部门/自然资源和规划局.docx",
    "冒号:开头.txt",
    "plain.txt",
    '引号"和<尖括号>.txt',
    "全角\u3000空格\u202e反向.txt",
]


def test_summary_links_open_the_files_they_name(tmp_path):
    rows = []
    for name in NAMES:
        for kind in ("html", "json"):
            target = tmp_path / "reports" / f"{name}.{kind}"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("x", encoding="utf-8")
        rows.append(
            SummaryRow(
                file=name,
                grade="合格",
                score=90,
                report_html=f"reports/{name}.html",
                report_json=f"reports/{name}.json",
                notice=f"notices/{name}.md",
            )
        )
    page = lxml.html.fromstring(render_summary(rows, "筛查", Config()))
    links = page.xpath("//tbody//a/@href")
    assert len(links) == 3 * len(NAMES)
    for href, row in zip(links[::3], rows):
        assert unquote(href) == row.report_html and (tmp_path / unquote(href)).exists()
        assert not re.search(r"[ #?\"<>:]|%(?![0-9A-F]{2})", href), href
    assert [unquote(h) for h in links[1::3]] == [r.report_json for r in rows]
    assert [unquote(h) for h in links[2::3]] == [r.notice for r in rows]
    # What a browser makes of a link is the file's URL relative to the page.
    base = (tmp_path / "summary.html").as_uri()
    for href, row in zip(links[::3], rows):
        assert unquote(urlparse(urljoin(base, href)).path) == str(tmp_path / row.report_html)


# --- SARIF and text: huge lines, control characters -----------------------------------------------


def test_sarif_of_a_megabyte_line_with_many_findings_is_quick_and_exact():
    """A crawler's page can be one line of megabytes; each finding used to count UTF-16 units from
    the start of the text and of its line."""
    text = ("某局" + "𠮷" * 3 + "x\x00\x1b") * 150_000  # 1.2 M characters on one line, astral ones among them
    base = check_text(BROKEN.read_text(encoding="utf-8"))
    spans = [(i * 599, i * 599 + 7) for i in range(2000)]
    report = with_findings(base, *spans, text=text)
    start = time.perf_counter()
    log = json.loads(render_sarif([(report, text)]))
    assert time.perf_counter() - start < 10
    results = log["runs"][0]["results"]

    def units(part: str) -> int:
        return len(part.encode("utf-16-le")) // 2

    for (s, e), result in list(zip(spans, results))[::97]:
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["charOffset"] == units(text[:s]) and region["charLength"] == units(text[s:e])
        assert (region["startLine"], region["startColumn"]) == (1, units(text[:s]) + 1)
        assert region["snippet"]["text"] == text[s:e]  # control characters survive as JSON escapes


def test_text_report_of_a_megabyte_line_is_quick():
    text = "某局工作报告" * 200_000
    report = with_findings(
        check_text(BROKEN.read_text(encoding="utf-8")), *[(i * 600, i * 600 + 6) for i in range(500)], text=text
    )
    start = time.perf_counter()
    output = render_text(report)
    assert time.perf_counter() - start < 5 and len(output.splitlines()) < 2000


def test_section_tree_of_a_table_of_rules_alone(tmp_path):
    """A crawler's table of |---| lines only (a real page: 杨陵 2020) has no cells: `compliance
    parse` shows it as a table with none instead of failing on max() of nothing."""
    draft = tmp_path / "rules-only.txt"
    draft.write_text(
        "杨陵区统计局2020年政府信息公开工作年度报告\n一、总体情况\n|---|---|\n|---|---|\n本年无。\n", encoding="utf-8"
    )
    result = CliRunner().invoke(main, ["parse", str(draft)])
    assert result.exit_code == 0, result.output
    assert re.search(r"table L3 \[\d+:\d+\] \d+×0", result.output), result.output
