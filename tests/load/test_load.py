"""Stage 1: every input form reads into the same model, and bad inputs fail with one clear line."""

from __future__ import annotations

import io
import zipfile

import pytest

from compliance.errors import InputError
from compliance.load import load
from conftest import CORPUS, seed_path, shared_file

REPORT = "苏州市交通运输局2021年政府信息公开工作年度报告\n一、总体情况\n2021年，我局认真落实《条例》规定。\n"


def _blocks_point_at_their_text(source):
    for block in source.blocks:
        assert 0 <= block.start <= block.end <= len(source.text)
        for cell in getattr(block, "cells", []):
            assert source.text[cell.start : cell.end] == cell.text


@pytest.mark.parametrize(
    ("encoding", "data_of"),
    [
        ("utf-8", lambda t: t.encode("utf-8")),
        ("utf-8-sig", lambda t: t.encode("utf-8-sig")),
        ("utf-16", lambda t: t.encode("utf-16")),
        ("utf-16", lambda t: t.encode("utf-16-le")),
        ("gb18030", lambda t: t.encode("gbk")),
        ("gb18030", lambda t: t.encode("gb18030")),
    ],
)
def test_text_encodings(tmp_path, encoding, data_of):
    path = tmp_path / "report.txt"
    path.write_bytes(data_of(REPORT))
    source = load(path)
    assert source.text == REPORT and source.encoding == encoding and source.format == "txt"


def test_big5_traditional_text(tmp_path):
    text = "蘇州市2018年政府信息公開工作年度報告\n一、概述\n2018年，我市全面推進政務公開，加強組織領導。\n"
    path = tmp_path / "report.txt"
    path.write_bytes(text.encode("big5"))
    source = load(path)
    assert source.text == text and source.encoding == "big5"


def test_seed_gbk_copy_reads_like_the_original(tmp_path):
    original = seed_path("001").read_text(encoding="utf-8")
    path = tmp_path / "001.txt"
    path.write_bytes(original.encode("gb18030"))
    assert load(path).text == original


def test_crlf_and_text_tables(tmp_path):
    path = tmp_path / "r.md"
    path.write_bytes("一、总体情况\r\n信息内容\t本年制发件数\r\n规章\t1\r\n| 项目 | 数量 |\r\n|---|---|\r\n| 许可 | 2 |\r\n".encode())
    source = load(path)
    assert "\r" not in source.text and source.format == "md"
    kinds = [b.kind for b in source.blocks]
    assert kinds == ["paragraph", "table"]
    table = source.blocks[1]
    assert [c.text for c in table.cells] == ["信息内容", "本年制发件数", "规章", "1", "项目", "数量", "许可", "2"]
    _blocks_point_at_their_text(source)


def test_html_drops_scripts_navigation_and_footer(tmp_path):
    page = (
        "<html><head><title>t</title><style>p{}</style></head><body>"
        "<nav>首页 | 政务公开</nav><div class='breadcrumb'>当前位置：首页</div>"
        "<script>var a='<p>不是正文</p>';</script><h1>苏州市2021年政府信息公开工作年度报告</h1>"
        "<p>一、总体情况</p><p>2021年，我市<b>认真</b>落实条例。</p>"
        "<table><tr><td rowspan='2'>行政处罚</td><td>85</td></tr><tr><td>3</td></tr></table>"
        "<div id='footer'>联系我们</div><!-- 注释 --></body></html>"
    )
    path = tmp_path / "r.html"
    path.write_text(page, encoding="utf-8")
    source = load(path)
    assert source.text == "苏州市2021年政府信息公开工作年度报告\n一、总体情况\n2021年，我市认真落实条例。\n行政处罚\t85\n\t3"
    table = source.blocks[-1]
    assert table.cells[0].rowspan == 2 and table.cells[2].merged_into == (0, 0)
    _blocks_point_at_their_text(source)


def test_html_gbk_meta_charset(tmp_path):
    path = tmp_path / "r.htm"
    path.write_bytes("<html><head><meta charset='gbk'></head><body><p>一、总体情况</p></body></html>".encode("gbk"))
    assert load(path).text == "一、总体情况"


def test_wrong_extension_is_read_by_content(tmp_path):
    path = tmp_path / "report.docx"
    path.write_text("<!DOCTYPE html><html><body><p>一、总体情况</p></body></html>", encoding="utf-8")
    assert load(path).format == "html"
    path.write_text(REPORT, encoding="gbk")
    assert load(path).text == REPORT
    text_as_pdf = tmp_path / "report.txt"
    text_as_pdf.write_bytes(shared_file(CORPUS / "huaian-hongze-2023.pdf").read_bytes())
    assert load(text_as_pdf).format == "pdf"


def _docx_bytes() -> bytes:
    from docx import Document

    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph("一、总体情况")
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b"  \n\t\n", "empty file"),
        ("junk.txt", bytes(range(256)) * 20, "not a text file"),
        ("truncated.docx", None, "corrupt .docx"),
        ("fake.docx", bytes(range(256)) * 8, "corrupt .docx"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "Word 97-2003"),
        ("notes.zip", None, "zip archive is not a .docx"),
        ("broken.pdf", b"%PDF-1.4\n%broken", "cannot read PDF"),
    ],
)
def test_bad_inputs_give_one_line_errors(tmp_path, name, content, reason):
    if name == "truncated.docx":
        content = _docx_bytes()[:2000]
    if name == "notes.zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("readme.txt", "hello")
        content = buffer.getvalue()
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as error:
        load(path)
    assert reason in error.value.reason and str(path) in str(error.value)
    assert "\n" not in str(error.value)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="is a directory"):
        load(tmp_path)


def test_pdf_without_usable_text_is_refused():
    with pytest.raises(InputError, match="no usable text"):
        load(shared_file(CORPUS / "garbled-font.pdf"))


def test_pdf_reads_like_its_text_rendering():
    source = load(shared_file(CORPUS / "huaian-szf-2024.pdf"))
    lines = set(source.text.split("\n"))
    assert {"一、总体情况", "二、主动公开政府信息情况", "六、其他需要报告的事项"} <= lines
    assert "规章\t1\t0\t11" in lines
    assert "72\t64\t178\t37\t351\t13\t4\t8\t1\t26\t12\t1\t1\t6\t20" in lines
    assert "- 3 -" not in source.text
    _blocks_point_at_their_text(source)
