"""Stage 1, .txt/.md: exact decoded text, encoding detection, line blocks and text tables."""

from __future__ import annotations

import codecs

import pytest

from compliance.errors import InputError
from compliance.load import load

SIMPLIFIED = "淮安市人民政府2024年政府信息公开工作年度报告\n一、总体情况\n规章\t1\t0\t11\n"
TRADITIONAL = "淮安市人民政府2024年政府資訊公開工作年度報告\n一、總體情況\n全年收取費用0元。\n"


def assert_offsets(source):
    """Every block and cell is a slice of the one text."""
    for block in source.blocks:
        assert 0 <= block.start <= block.end <= len(source.text)
        for cell in getattr(block, "cells", []):
            assert source.text[cell.start : cell.end] == cell.text
            assert block.start <= cell.start <= cell.end <= block.end


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (SIMPLIFIED.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + SIMPLIFIED.encode("utf-16-le"), "utf-16"),
        (codecs.BOM_UTF16_BE + SIMPLIFIED.encode("utf-16-be"), "utf-16"),
        (SIMPLIFIED.encode("utf-16-le"), "utf-16"),
        (SIMPLIFIED.encode("utf-16-be"), "utf-16"),
        (SIMPLIFIED.encode("gbk"), "gb18030"),
        (SIMPLIFIED.encode("gb18030"), "gb18030"),
        (TRADITIONAL.encode("big5"), "big5"),
    ],
)
def test_encodings_are_detected(tmp_path, data, encoding):
    source = load(write(tmp_path, "r.txt", data))
    expected = TRADITIONAL if encoding == "big5" else SIMPLIFIED
    assert (source.text, source.encoding, source.format) == (expected, encoding, "txt")


@pytest.mark.parametrize("text", ["规章 1 0 11", "行政许可", "政府信息公开", "第二十条第（五）项"])
def test_short_gbk_texts_are_not_taken_for_big5(tmp_path, text):
    assert load(write(tmp_path, "r.txt", text.encode("gbk"))).text == text


def test_text_is_the_file_with_newlines_normalised(tmp_path):
    data = "一、总体情况\r\n  正文第一行\r\r\n\n二、主动公开政府信息情况\r".encode()
    source = load(write(tmp_path, "r.txt", data))
    assert source.text == "一、总体情况\n  正文第一行\n\n\n二、主动公开政府信息情况\n"
    assert [source.text[b.start : b.end] for b in source.blocks] == [
        "一、总体情况",
        "  正文第一行",
        "二、主动公开政府信息情况",
    ]
    assert all(b.kind == "paragraph" for b in source.blocks)


def test_tab_rows_form_one_table_with_ragged_rows(tmp_path):
    text = "二、主动公开政府信息情况\n信息内容\t本年制发件数\t本年废止件数\n规章\t1\n\t 2 \t\n结束\n"
    source = load(write(tmp_path, "r.txt", text.encode()))
    kinds = [b.kind for b in source.blocks]
    assert kinds == ["paragraph", "table", "paragraph"]
    table = source.blocks[1]
    assert source.text[table.start : table.end] == "信息内容\t本年制发件数\t本年废止件数\n规章\t1\n\t 2 \t"
    assert [[c.text for c in row] for row in table.rows] == [
        ["信息内容", "本年制发件数", "本年废止件数"],
        ["规章", "1"],
        ["", "2", ""],
    ]
    assert all(c.merged_into is None for c in table.cells)
    assert_offsets(source)


def test_markdown_pipe_table(tmp_path):
    text = "# 报告\n| 信息内容 | 数量 |\n|---|:--:|\n| 规章 | 1 |\n正文\n"
    source = load(write(tmp_path, "r.md", text.encode()))
    assert source.format == "md"
    table = source.blocks[1]
    assert source.text[table.start : table.end] == "| 信息内容 | 数量 |\n|---|:--:|\n| 规章 | 1 |"
    assert [[c.text for c in row] for row in table.rows] == [["信息内容", "数量"], ["规章", "1"]]
    assert [c.row for c in table.cells] == [0, 0, 1, 1]
    assert_offsets(source)


def test_sha256_and_path_as_given(tmp_path):
    import hashlib

    data = SIMPLIFIED.encode("gbk")
    path = write(tmp_path, "r.txt", data)
    source = load(str(path))
    assert source.sha256 == hashlib.sha256(data).hexdigest() and source.path == str(path)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "文件为空"),
        (b" \r\n\t\n", "文件为空"),
        ("\u3000\n".encode(), "文件为空"),
        (codecs.BOM_UTF8, "文件为空"),
        (bytes(range(256)) * 10, "不是文本文件（二进制数据）"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "不是文本文件（二进制数据）"),
        ("报告".encode() + b"\x01\x02\x03\x04\x05\x06\x07\x08" * 10, "不是文本文件（二进制数据）"),
        (b"\xfe\xfd\xfc" * 50, "不是文本文件（二进制数据）"),
        (b"\xff\xfe" + "\ue000\ue001\uf8ff".encode("utf-16-le") * 30, "不是文本文件（二进制数据）"),
    ],
)
def test_bad_text_inputs(tmp_path, data, reason):
    with pytest.raises(InputError) as error:
        load(write(tmp_path, "r.txt", data))
    assert error.value.reason == reason


def test_utf8_cut_mid_character_stays_utf8(tmp_path):
    body = "本机关认真落实政府信息公开条例。\n" * 100
    source = load(write(tmp_path, "r.txt", body.encode() + "报".encode()[:2]))
    assert source.encoding == "utf-8" and source.text == body + "\ufffd"


def test_seed_saved_as_gbk_reads_like_the_original(tmp_path):
    from conftest import seed_path

    original = seed_path("001").read_text(encoding="utf-8")
    path = tmp_path / "001.txt"
    path.write_bytes(original.encode("gb18030"))
    source = load(path)
    assert source.text == original and source.encoding == "gb18030"
