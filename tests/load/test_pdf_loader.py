"""Stage 1, .pdf: the real reports in shared/corpus read like their pdfplumber renderings;
unusable, encrypted and truncated PDFs are refused with one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import pdf_file

from compliance.errors import InputError
from compliance.load import load

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
PARTS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]
REPORTS = ["huaian-szf-2024", "huaian-hongze-2023", "huaian-hongze-2024"]


def corpus(name: str) -> Path:
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"{path} is missing: the shared/ corpus folder sits beside the repository")
    return path


def table_rows(source):
    return [[[c.text for c in row] for row in b.rows] for b in source.blocks if b.kind == "table"]


@pytest.fixture(scope="module")
def szf():
    return load(corpus("huaian-szf-2024.pdf"))


def test_prose_lines_and_part_headings(szf):
    lines = szf.text.split("\n")
    assert lines[0] == "淮安市人民政府"
    assert lines[1] == "2024 年政府信息公开工作年度报告"
    for part in PARTS:
        assert part in lines
    assert [p for p in PARTS if p in lines] == sorted(PARTS, key=lines.index)  # in document order


def test_page_numbers_are_dropped(szf):
    for page in range(1, 7):
        assert f"- {page} -" not in szf.text
    assert not any(line.strip().isdigit() for line in szf.text.split("\n"))


def test_tables_are_table_blocks(szf):
    tables = table_rows(szf)
    rows = [row for table in tables for row in table]
    assert ["规章", "1", "0", "11"] in rows
    assert ["行政规范性文件", "8", "26", "66"] in rows
    assert ["72", "64", "178", "37", "351", "13", "4", "8", "1", "26", "12", "1", "1", "6", "20"] in rows
    requests = next(t for t in tables if t[0][0].startswith("（本列数据的勾稽关系"))
    # the requests table runs over two pages and stays one table
    assert ["一、本年新收政府信息公开申请数量", "", "", "3001", "53", "0", "0", "61", "4", "3119"] in requests
    assert ["四、结转下年度继续办理", "", "", "103", "0", "0", "0", "0", "0", "103"] in requests
    assert all(len(row) == 10 for row in requests)
    # a caption row across the whole table is a line of its own, as in the text rendering
    assert "第二十条 第（五）项" in szf.text.split("\n")


def test_merged_pdf_cells_point_to_their_origin(szf):
    table = next(b for b in szf.blocks if b.kind == "table" and szf.text[b.start :].startswith("行政复议"))
    grid = {(c.row, c.col): c for c in table.cells}
    assert grid[0, 0].text == "行政复议" and grid[0, 0].colspan == 5
    assert all(grid[0, c].merged_into == (0, 0) and grid[0, c].text == "" for c in range(1, 5))
    assert grid[1, 0].rowspan == 2 and grid[2, 0].merged_into == (1, 0)


def test_offsets_and_same_lines_as_text_rendering():
    for name in REPORTS:
        source = load(corpus(f"{name}.pdf"))
        for block in source.blocks:
            for cell in getattr(block, "cells", []):
                assert source.text[cell.start : cell.end] == cell.text
        rendering = corpus(f"{name}.txt").read_text(encoding="utf-8").split("\n")
        ours = set(source.text.split("\n"))
        table_lines = [line for line in rendering if "\t" in line and line.strip()]
        missing = [line for line in table_lines if line not in ours]
        assert not missing, (name, missing)


def test_font_without_text_mapping_is_refused():
    with pytest.raises(InputError) as error:
        load(corpus("garbled-font.pdf"))
    assert "没有可用的文字" in error.value.reason


PAGES = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
]


def test_encrypted_pdf(tmp_path):
    # A standard security handler whose user password is not empty: unreadable without it.
    security = b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> /P -4 >>"
    path = tmp_path / "locked.pdf"
    path.write_bytes(pdf_file(PAGES + [security], b"/Encrypt 4 0 R /ID [<" + b"33" * 16 + b"> <" + b"33" * 16 + b">] "))
    with pytest.raises(InputError) as error:
        load(path)
    assert error.value.reason == "PDF 已加密"


def test_pdf_without_text_layer(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(pdf_file(PAGES))
    with pytest.raises(InputError) as error:
        load(path)
    assert error.value.reason == "PDF 没有文字层（扫描的图像？）"


@pytest.mark.parametrize("share", [0.1, 0.5, 0.95])
def test_truncated_pdf(tmp_path, share):
    data = corpus("huaian-hongze-2023.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: int(len(data) * share)])
    with pytest.raises(InputError) as error:
        load(path)
    assert error.value.reason.startswith("无法读取 PDF")
