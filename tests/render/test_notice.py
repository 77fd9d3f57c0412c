"""The correction notice (整改通知): a .docx in 公文 layout (GB/T 9704-2012) and Markdown with the
same text, listing the findings at or above a severity with where, basis and fix, the deadline,
issuer and date; bad input is one line and exit 2; the wording file is validated on load."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner
from conftest import FIXTURES, seed_path
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from cli import main
from compliance.errors import RuleFileError
from compliance.load import load
from compliance.pipeline import check_source
from compliance.render.notice import NoticeError, load_templates, notice_options, write_notice
from compliance.resources import rules_dir

BROKEN = FIXTURES / "report_2021_broken.txt"
# The report names no title; its issuer is found from its signature (苏州市自然资源和规划局).
TITLE = "关于《苏州市自然资源和规划局2021年政府信息公开工作年度报告》存在问题的整改通知"
OPTIONS = ["--from", "苏州市人民政府办公室", "--to", "市XX局", "--deadline", "2022-02-20", "--date", "2022-02-10"]
DEADLINE = "请于2022年2月20日前完成整改并重新发布，将整改情况书面报送苏州市人民政府办公室。"
RANK = {"critical": 0, "major": 1, "minor": 2, "info": 3}


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def notice(tmp_path: Path, report: Path, *extra: str, name: str = "notice.docx"):
    out = tmp_path / name
    result = run("notice", report, *OPTIONS, *extra, "-o", out)
    assert result.exit_code == 0, result.output
    return out


def listed(report: Path, minimum: str = "major"):
    """The findings the notice must list: at or above ``minimum``, most severe first."""
    findings = [f for f in check_source(load(report)).findings if RANK[f.severity] <= RANK[minimum]]
    return sorted(findings, key=lambda f: (RANK[f.severity], f.start))


def east_asian_font(run) -> str:
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def items(paragraphs) -> list[str]:
    """The numbered problems of the .docx ("1.…"), without their numbers."""
    return [p.text.split(".", 1)[1] for p in paragraphs if re.match(r"\d+\.", p.text)]


def markdown_items(text: str) -> list[str]:
    """The numbered problems of the Markdown ("1. …"), without their numbers."""
    return [line.split(". ", 1)[1] for line in text.splitlines() if re.match(r"\d+\. ", line)]


def test_docx_notice_has_the_official_parts_in_order(tmp_path):
    document = Document(
        str(notice(tmp_path, BROKEN, "--number", "苏府办〔2022〕5号", "--contact", "张三，0512-68616020"))
    )
    paragraphs = [p for p in document.paragraphs if p.text]
    texts = [p.text for p in paragraphs]
    assert texts[:4] == ["苏州市人民政府办公室", "苏府办〔2022〕5号", TITLE, "市XX局："]
    masthead, number, title, addressee = paragraphs[:4]
    assert masthead.runs[0].font.color.rgb == (0xFF, 0x00, 0x00)
    assert number.alignment == title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert addressee.paragraph_format.first_line_indent is None  # 主送机关 flush left
    assert texts.index("一、存在的问题") < texts.index("二、整改要求") < texts.index(DEADLINE)
    assert texts[-4:] == ["特此通知。", "苏州市人民政府办公室", "2022年2月10日", "（联系人：张三，0512-68616020）"]
    issuer, date = paragraphs[-3:-1]
    assert issuer.alignment == date.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    # §7.3.5.2: the signature two characters (of 三号) from the margin, the date's first character
    # two right of the signature's: 苏州市人民政府办公室 is 10 wide, 2022年2月10日 6.5 (digits are
    # half), so 3.5 from it.
    assert issuer.paragraph_format.right_indent == Pt(32) and date.paragraph_format.right_indent == Pt(56)
    # The last lines of the text, the signature and the date stay on one page.
    closing = [p.text for p in document.paragraphs].index(DEADLINE)
    kept = [bool(p.paragraph_format.keep_with_next) for p in document.paragraphs[closing:]]
    assert kept == [True] * 5 + [False]  # deadline, 特此通知, blank line, signature, date | 附注
    assert document.core_properties.title == TITLE


@pytest.mark.parametrize(
    ("report", "expected"),
    [
        (BROKEN, ["STYLE-PLACEHOLDER", "STRUCT-PART-MISSING", "STRUCT-TITLE", "STRUCT-PART-ORDER"]),
        ("001", ["TIME-YEAR", "STRUCT-TITLE"]),
    ],
)
def test_docx_lists_each_qualifying_finding_with_where_basis_and_fix(tmp_path, report, expected):
    path = seed_path(report) if report == "001" else report
    findings = listed(path)
    assert [f.rule for f in findings] == expected
    document = Document(str(notice(tmp_path, path)))
    texts = [p.text for p in document.paragraphs]
    assert [lead.rstrip("。") for lead in items(document.paragraphs)] == [f.message.rstrip("。") for f in findings]
    for finding in findings:
        lead = next(i for i, text in enumerate(texts) if finding.message in text and re.match(r"\d+\.", text))
        where, basis, fix = texts[lead + 1 : lead + 4]
        assert where.startswith(f"问题位置：第{finding.line}行")
        if finding.excerpt.strip():
            assert f"原文为“{finding.excerpt.strip()[:20]}" in where
        assert basis.startswith(f"依据：{finding.basis}") and fix.startswith(f"整改要求：{finding.suggestion}")
    assert DEADLINE in texts


def test_seed_report_without_title_is_named_from_its_issuer_and_year(tmp_path):
    document = Document(str(notice(tmp_path, seed_path("001"))))
    assert "关于《宿迁市政务服务管理办公室2017年政府信息公开工作年度报告》存在问题的整改通知" in [
        p.text for p in document.paragraphs
    ]


def test_docx_follows_gbt_9704_page_and_fonts(tmp_path):
    document = Document(str(notice(tmp_path, BROKEN, "--number", "苏府办〔2022〕5号")))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    by_text = {p.text: p for p in document.paragraphs if p.text}
    expected = {
        TITLE: ("方正小标宋简体", 22),
        "苏府办〔2022〕5号": ("仿宋_GB2312", 16),
        "一、存在的问题": ("黑体", 16),
        "（一）违反条例规定或数据错误的问题（2项）": ("楷体_GB2312", 16),
        DEADLINE: ("仿宋_GB2312", 16),
        "2022年2月10日": ("仿宋_GB2312", 16),
    }
    for text, (font, size) in expected.items():
        run = by_text[text].runs[0]
        assert (east_asian_font(run), run.font.size) == (font, Pt(size)), text
    for text in ("一、存在的问题", "（一）违反条例规定或数据错误的问题（2项）", DEADLINE):
        assert by_text[text].paragraph_format.first_line_indent == Pt(32)  # two characters of 三号
    assert by_text[DEADLINE].paragraph_format.line_spacing.pt == pytest.approx(Mm(225).pt / 22, abs=0.1)
    number = [child.tag for child in by_text["苏府办〔2022〕5号"]._p.pPr]  # carries the red rule
    assert number.index(qn("w:pBdr")) < number.index(qn("w:spacing"))  # schema order, or Word refuses the file
    footer = section.footer.paragraphs[0]._p
    assert footer.xpath("./w:fldSimple/@w:instr") == ["PAGE"]


def test_markdown_notice_has_the_same_content(tmp_path):
    text = notice(tmp_path, BROKEN, "--number", "苏府办[2022]5号", name="notice.md").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == f"# {TITLE}"
    assert "苏府办〔2022〕5号" in lines  # brackets put right (GB/T 9704: 六角括号)
    assert "市XX局：" in lines and DEADLINE in lines and "## 二、整改要求" in lines
    assert [n.rstrip("。") for n in markdown_items(text)] == [f.message.rstrip("。") for f in listed(BROKEN)]
    assert "   - 问题位置：第5行（一、总体情况），原文为“XX”。" in lines
    assert text.rstrip().endswith("苏州市人民政府办公室\\\n2022年2月10日")


@pytest.mark.parametrize("minimum", ["critical", "major", "minor"])
def test_min_severity_chooses_the_findings_listed(tmp_path, minimum):
    text = notice(tmp_path, BROKEN, "--min-severity", minimum, name="n.md").read_text(encoding="utf-8")
    findings = listed(BROKEN, minimum)
    assert [item.rstrip("。") for item in markdown_items(text)] == [f.message.rstrip("。") for f in findings]
    assert {f.severity for f in findings} == set(list(RANK)[: RANK[minimum] + 1])  # the fixture has each
    assert ("### （二）不符合年度报告格式要求的问题（2项）" in text) == (minimum != "critical")
    assert ("### （三）不符合公文写作规范的问题" in text) == (minimum == "minor")
    assert f"存在{len(findings)}项需要整改的问题" in text


def test_nothing_to_notify_is_refused_without_writing(tmp_path):
    out = tmp_path / "n.docx"
    result = run("notice", FIXTURES / "report_2021.txt", *OPTIONS, "-o", out)
    assert result.exit_code == 2 and not out.exists()
    assert result.stderr.strip().endswith("report_2021.txt: 没有达到 major 及以上的问题；未写出通知")
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no/such/report.txt", *OPTIONS], "no/such/report.txt"),
        ([BROKEN, *OPTIONS[:5], "2022-13-01"], "--deadline: "),
        (
            [BROKEN, *OPTIONS[:5], "2022-02-01", "--date", "2022-02-10"],
            "整改期限 2022-02-01 早于通知日期 2022-02-10",
        ),
        ([BROKEN, *OPTIONS, "--from", " "], "--from: "),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, args, message):
    out = tmp_path / "n.docx"
    result = run("notice", *args, "-o", out)
    assert result.exit_code == 2 and not out.exists()
    assert result.stderr.startswith("compliance: ") and message in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_unwritable_output_names_the_file(tmp_path):
    result = run("notice", BROKEN, *OPTIONS, "-o", tmp_path / "missing" / "n.docx")
    assert result.exit_code == 2 and "missing/n.docx: 无法写入" in result.stderr


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        (("closing: 特此通知。\n", ""), "closing", "Field required"),
        (("{{ finding.message | sentence }}", "{{ finding.mesage }}"), "item.lead", "finding 没有字段 'mesage'"),
        (("（{{ ordinal }}）", "（{{ ordnial }}）"), "group_heading", "未知的模板变量 'ordnial'"),
        (("请于{{ notice.deadline", "请于{{ notice.deadline }"), "deadline", "模板错误"),
    ],
)
def test_wording_file_errors_name_the_file_and_field(tmp_path, change, field, reason):
    shipped = (rules_dir() / "notice" / "notice.yaml").read_text(encoding="utf-8")
    assert change[0] in shipped
    bad = tmp_path / "wording.yaml"
    bad.write_text(shipped.replace(change[0], change[1]), encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_templates(bad)
    assert str(caught.value).startswith(f"{bad} {field}: {reason}")
    result = run("notice", BROKEN, *OPTIONS, "--templates", bad, "-o", tmp_path / "n.docx")
    assert result.exit_code == 2 and f"{bad} {field}: " in result.stderr


def test_edited_wording_changes_the_notice(tmp_path):
    shipped = (rules_dir() / "notice" / "notice.yaml").read_text(encoding="utf-8")
    wording = tmp_path / "wording.yaml"
    wording.write_text(shipped.replace("特此通知。", "此复。"), encoding="utf-8")
    text = notice(tmp_path, BROKEN, "--templates", wording, name="n.md").read_text(encoding="utf-8")
    assert "此复。" in text and "特此通知。" not in text


def test_write_notice_for_callers_with_a_report(tmp_path):
    # What `screen` calls: a checked Report, options, a path; the format follows the suffix.
    report = check_source(load(BROKEN))
    options = notice_options(
        issuer="苏州市人民政府办公室", addressee="市XX局", deadline="2022-02-20", date="2022-02-10"
    )
    written = write_notice(report, options, tmp_path / "n.md")
    assert (tmp_path / "n.md").read_text(encoding="utf-8").startswith(f"# {written.title}\n")
    write_notice(report, options, tmp_path / "n.docx")
    assert Document(str(tmp_path / "n.docx")).paragraphs
    with pytest.raises(NoticeError, match="没有达到 critical 及以上的问题"):
        write_notice(
            check_source(load(seed_path("000"))),
            options.model_copy(update={"min_severity": "critical"}),
            tmp_path / "x.md",
        )


def test_long_table_excerpts_are_one_shortened_line(tmp_path):
    report = check_source(load(BROKEN))
    row = "行政许可\t1260\t" + "0\t" * 30
    finding = report.findings[0].model_copy(update={"excerpt": row, "severity": "critical"})
    options = notice_options(issuer="甲", addressee="乙", deadline="2022-02-20", date="2022-02-10")
    write_notice(report.model_copy(update={"findings": [finding]}), options, tmp_path / "n.md")
    where = next(line for line in (tmp_path / "n.md").read_text(encoding="utf-8").splitlines() if "问题位置" in line)
    assert "原文为“行政许可 1260 0 0" in where and where.endswith("…”。")


def test_docx_converts_to_pdf_with_libreoffice(tmp_path):
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        pytest.skip(
            "LibreOffice (libreoffice/soffice) is not on PATH (`make tools` installs it): "
            "the .docx → PDF conversion is not tried"
        )
    path = notice(tmp_path, BROKEN, "--number", "苏府办〔2022〕5号")
    subprocess.run(
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "notice.pdf"
    assert pdf.exists()
    with pdfplumber.open(pdf) as document:
        pages = [re.sub(r"\s+", "", page.extract_text() or "") for page in document.pages]  # lines may wrap
    assert "存在问题的整改通知" in pages[0]
    # The signature and the date are laid out on one page, after the end of the text.
    assert "特此通知。苏州市人民政府办公室" in pages[-1] and pages[-1].endswith("2022年2月10日—" + f"{len(pages)}—")


def test_notice_takes_the_checks_options(tmp_path):
    # As check does: --select/--ignore choose the rules, --year and --issuer-kind say what the draft does not.
    only = Document(str(notice(tmp_path, BROKEN, "--select", "STRUCT-PART-MISSING", name="only.docx")))
    assert [lead.rstrip("。") for lead in items(only.paragraphs)] == [
        f.message.rstrip("。") for f in listed(BROKEN) if f.rule == "STRUCT-PART-MISSING"
    ]
    as_2019 = notice(
        tmp_path, BROKEN, "--year", "2019", "--issuer-kind", "government", "--ignore", "STYLE", name="n.md"
    )
    text = as_2019.read_text(encoding="utf-8")
    assert "2019年政府信息公开工作年度报告" in text and "工作考核、社会评议和责任追究" in text and "占位符" not in text


def test_the_refusal_is_english_under_an_english_locale(english, tmp_path):
    options = notice_options(
        issuer="苏州市人民政府办公室", addressee="市XX局", deadline="2022-02-20", date="2022-02-10"
    )
    with pytest.raises(NoticeError, match="no finding at or above critical; no notice written"):
        write_notice(
            check_source(load(seed_path("000"))),
            options.model_copy(update={"min_severity": "critical"}),
            tmp_path / "n.md",
        )
    with pytest.raises(NoticeError, match=re.escape("unknown notice format 'pdf' (use docx or markdown)")):
        write_notice(check_source(load(seed_path("000"))), options, tmp_path / "n.md", "pdf")


def test_a_deadline_before_the_notice_date_in_english(english, tmp_path):
    result = run("notice", BROKEN, *OPTIONS[:5], "2022-02-01", "--date", "2022-02-10", "-o", tmp_path / "n.docx")
    assert result.exit_code == 2
    assert "the deadline 2022-02-01 is before the notice date 2022-02-10" in result.output
