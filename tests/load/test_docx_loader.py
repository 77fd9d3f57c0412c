"""Stage 1, .docx: paragraphs and tables in document order, merges resolved, bad files refused."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document

from compliance.errors import InputError
from compliance.load import load


def assert_offsets(source):
    for block in source.blocks:
        assert 0 <= block.start <= block.end <= len(source.text)
        for cell in getattr(block, "cells", []):
            assert source.text[cell.start : cell.end] == cell.text


def build(path):
    """Title, an empty paragraph, a 4×4 table with a horizontal, a vertical and a 2×2 merge,
    a cell with two paragraphs and a nested table, then a closing paragraph."""
    document = Document()
    document.add_paragraph("淮安市人民政府2024年政府信息公开工作年度报告")
    document.add_paragraph("")
    document.add_paragraph("   ")
    document.add_paragraph("二、主动公开政府信息情况")
    table = document.add_table(rows=4, cols=4)
    for r in range(4):
        for c in range(4):
            table.cell(r, c).text = f"{r}{c}"
    table.cell(0, 0).merge(table.cell(0, 1)).text = "信息内容"
    table.cell(1, 0).merge(table.cell(3, 0)).text = "行政\n许可"
    table.cell(2, 2).merge(table.cell(3, 3)).text = "合并"
    cell = table.cell(1, 3)
    cell.text = "第一段"
    cell.add_paragraph("second\tpart")
    nested = cell.add_table(rows=1, cols=2)
    nested.cell(0, 0).text = "内"
    nested.cell(0, 1).text = "表"
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    document.save(path)
    return path


def test_document_order_text_and_merges(tmp_path):
    source = load(build(tmp_path / "r.docx"))
    assert source.format == "docx" and source.encoding is None
    assert source.text == (
        "淮安市人民政府2024年政府信息公开工作年度报告\n"
        "二、主动公开政府信息情况\n"
        "信息内容\t\t02\t03\n"
        "行政许可\t11\t12\t第一段second part内表\n"
        "\t21\t合并\t\n"
        "\t31\t\t\n"
        "三、收到和处理政府信息公开申请情况"
    )
    kinds = [b.kind for b in source.blocks]
    assert kinds == ["paragraph", "paragraph", "table", "paragraph"]
    table = source.blocks[2]
    grid = {(c.row, c.col): c for c in table.cells}
    assert len(grid) == 16
    assert (grid[0, 0].text, grid[0, 0].colspan, grid[0, 0].rowspan) == ("信息内容", 2, 1)
    assert grid[0, 1].text == "" and grid[0, 1].merged_into == (0, 0)
    assert (grid[1, 0].rowspan, grid[1, 0].colspan) == (3, 1)
    assert grid[2, 0].merged_into == (1, 0) and grid[3, 0].merged_into == (1, 0)
    assert (grid[2, 2].rowspan, grid[2, 2].colspan) == (2, 2)
    assert {grid[p].merged_into for p in [(2, 3), (3, 2), (3, 3)]} == {(2, 2)}
    assert source.text[table.start : table.end].count("\n") == 3
    assert all(line.count("\t") == 3 for line in source.text[table.start : table.end].split("\n"))
    assert_offsets(source)


def test_wrong_extension_docx_is_read_as_docx(tmp_path):
    path = build(tmp_path / "r.docx")
    renamed = tmp_path / "report.txt"
    renamed.write_bytes(path.read_bytes())
    assert load(renamed).format == "docx"


def _docx_bytes(tmp_path) -> bytes:
    return build(tmp_path / "source.docx").read_bytes()


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda data: data[: len(data) // 2], "不是有效的 .docx（不是有效的 zip 压缩包）"),
        (lambda data: _zip({"readme.txt": b"hello"}), "是 zip 压缩包，不是 .docx"),
        (lambda data: _zip({"word/document.xml": b"<w:document"}), "不是有效的 .docx"),
        (lambda data: bytes(range(256)) * 4, "不是有效的 .docx（不是 zip 压缩包）"),
        (
            lambda data: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500),
            "不支持 .doc（Word 97-2003）文件，请另存为 .docx",
        ),
    ],
)
def test_bad_docx_gives_one_line_reason(tmp_path, make, reason):
    path = tmp_path / "bad.docx"
    path.write_bytes(make(_docx_bytes(tmp_path)))
    with pytest.raises(InputError) as error:
        load(path)
    assert error.value.reason.startswith(reason) and "\n" not in error.value.reason


def test_docx_without_text(tmp_path):
    path = tmp_path / "empty.docx"
    document = Document()
    document.add_paragraph("")
    document.save(path)
    with pytest.raises(InputError, match="未找到文字"):
        load(path)


def test_content_controls_and_text_box_fallbacks(tmp_path):
    """Text inside a content control is body text; a text box's VML fallback is not read twice."""
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    mc = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    document = Document()
    document.add_paragraph("正文")
    body = document.element.body
    body.insert(0, parse_xml(f"<w:sdt {w}><w:sdtContent><w:p><w:r><w:t>封面</w:t></w:r></w:p></w:sdtContent></w:sdt>"))
    box = (
        f"<w:p {w} {mc}><w:r><mc:AlternateContent><mc:Choice Requires='wps'><w:t>文本框</w:t></mc:Choice>"
        "<mc:Fallback><w:t>文本框</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>"
    )
    body.insert(2, parse_xml(box))
    document.save(tmp_path / "r.docx")
    assert load(tmp_path / "r.docx").text == "封面\n正文\n文本框"
