"""The same report as .txt, .docx and .html reads the same: same parts, tables, structure findings."""

from __future__ import annotations

import pytest
from builders import to_docx, to_html
from conftest import CORPUS, FIXTURES, shared_file

from compliance.load import load
from compliance.normalize import normalize
from compliance.parse import parse
from compliance.pipeline import check, check_source

FIXTURE_NAMES = ["report_2021.txt", "report_2019.txt", "report_2021_broken.txt"]


def _shape(source):
    tree = parse(normalize(source.text).text)
    parts = [s.heading.marker + s.heading.title for s in tree.sections]
    tables = [[[c.text for c in row] for row in n.rows] for n in tree.walk() if n.kind == "table"]
    return tree.title.text if tree.title else None, parts, tables


def _structure_findings(report):
    return sorted((f.rule, f.message) for f in report.findings)


@pytest.mark.parametrize("name", FIXTURE_NAMES)
def test_txt_docx_html_agree(name, tmp_path):
    text = (FIXTURES / name).read_text(encoding="utf-8")
    txt = load(FIXTURES / name)
    docx = load(to_docx(text, tmp_path / "report.docx"))
    html = load(to_html(text, tmp_path / "report.html"))
    assert docx.format == "docx" and html.format == "html"
    expected = _shape(txt)
    assert _shape(docx) == expected
    assert _shape(html) == expected
    findings = _structure_findings(check_source(txt))
    assert _structure_findings(check_source(docx)) == findings
    assert _structure_findings(check_source(html)) == findings


def test_fixture_2021_is_clean_and_broken_one_has_each_injected_defect():
    assert check(FIXTURES / "report_2021.txt").findings == []
    assert check(FIXTURES / "report_2019.txt").findings == []
    broken = check(FIXTURES / "report_2021_broken.txt")
    rules = sorted(f.rule for f in broken.findings)
    assert rules == sorted(
        [
            "STRUCT-TITLE",
            "STRUCT-PART-MISSING",
            "STRUCT-PART-ORDER",
            "STRUCT-PART-HEADING",
            "STYLE-PLACEHOLDER",
            "STYLE-RESIDUE",
        ]  # 打印本页 / 关闭窗口: one block
    )
    (missing,) = [f for f in broken.findings if f.rule == "STRUCT-PART-MISSING"]
    assert "政府信息公开行政复议、行政诉讼情况" in missing.message


def test_docx_merged_cells_are_resolved(tmp_path):
    text = (FIXTURES / "report_2021.txt").read_text(encoding="utf-8")
    source = load(to_docx(text, tmp_path / "report.docx"))
    requests = next(b for b in source.blocks if b.kind == "table" and b.cells[0].text.startswith("（本列数据"))
    cell = {(c.row, c.col): c for c in requests.cells}
    assert (cell[0, 0].rowspan, cell[0, 0].colspan) == (3, 3)
    assert cell[2, 2].merged_into == (0, 0) and cell[2, 2].text == ""
    assert cell[0, 3].text == "申请人情况" and cell[0, 3].colspan == 7
    outcome = next(c for c in requests.cells if c.text == "三、本年度办理结果")
    assert outcome.rowspan == 22  # （一）（二）, 8+3+5+3 numbered sub-rows, （七）总计 (2021 format)
    for c in requests.cells:
        assert source.text[c.start : c.end] == c.text


@pytest.mark.parametrize("name", ["huaian-szf-2024", "huaian-hongze-2023", "huaian-hongze-2024"])
def test_real_pdfs_parse_into_six_parts(name):
    source = load(shared_file(CORPUS / f"{name}.pdf"))
    title, parts, tables = _shape(source)
    assert title and title.endswith("政府信息公开工作年度报告")
    assert [p[:2] for p in parts] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    assert "- 1 -" not in source.text and "\n1\n" not in source.text
    assert any(row[0] == "规章" for table in tables for row in table)
    assert any(len([c for c in row if c.isdigit()]) == 15 for table in tables for row in table)
    # The same parts as the published text rendering of the same PDF.
    assert parts == _shape(load(CORPUS / f"{name}.txt"))[1]
