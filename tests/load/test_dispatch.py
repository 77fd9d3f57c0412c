"""Stage 1 entry point: the format is sniffed from the content; failures are one-line InputErrors."""

from __future__ import annotations

from pathlib import Path

import pytest

import compliance.load as loader
from compliance.errors import InputError
from compliance.load import load

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
REPORT = "淮安市人民政府2024年政府信息公开工作年度报告\n一、总体情况\n"


def reason_of(path) -> str:
    with pytest.raises(InputError) as error:
        load(path)
    assert str(path) in str(error.value) and "\n" not in str(error.value)
    return error.value.reason


def test_missing_file_and_directory(tmp_path):
    assert reason_of(tmp_path / "nope.docx") == "文件不存在"
    assert reason_of(tmp_path) == "是文件夹，不是文件"


@pytest.mark.parametrize(
    ("name", "data", "fmt"),
    [
        ("r.txt", REPORT.encode(), "txt"),
        ("r.md", REPORT.encode(), "md"),
        ("r", REPORT.encode(), "txt"),
        ("r.html", REPORT.encode(), "txt"),  # no markup at all: it is text
        ("r.pdf", REPORT.encode("gbk"), "txt"),
        ("r.docx", REPORT.encode(), "txt"),
        ("r.txt", b"<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
        ("r.HTM", b"<div><p>x</p></div>", "html"),
    ],
)
def test_content_decides_the_format(tmp_path, name, data, fmt):
    path = tmp_path / name
    path.write_bytes(data)
    assert load(path).format == fmt


def test_pdf_with_a_wrong_extension(tmp_path):
    source = CORPUS / "huaian-hongze-2024.pdf"
    if not source.exists():
        pytest.skip(f"{source} is missing: the shared/ corpus folder sits beside the repository")
    path = tmp_path / "report.docx"
    path.write_bytes(source.read_bytes())
    assert load(path).format == "pdf"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        (
            "r.doc",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
            "不支持 .doc（Word 97-2003）文件，请另存为 .docx",
        ),
        (
            "r.docx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
            "不支持 .doc（Word 97-2003）文件，请另存为 .docx",
        ),
        ("r.rtf", b"{\\rtf1\\ansi \\f0 report}", "不支持 RTF 文件，请另存为 .docx"),
        ("r.docx", b"PK\x03\x04" + bytes(100), "不是有效的 .docx（不是有效的 zip 压缩包）"),
        ("r.pdf", bytes(range(256)) * 4, "不是有效的 PDF（没有 %PDF 文件头）"),
        ("r.pdf", b"%PDF-1.7\n%junk", "无法读取 PDF（文件损坏或不完整）"),
        ("r.txt", b"\n\n  \n", "文件为空"),
    ],
)
def test_unreadable_inputs(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(data)
    assert reason_of(path) == reason


def test_library_failures_become_input_errors(tmp_path, monkeypatch):
    def broken(*args):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(loader, "load_html", broken)
    path = tmp_path / "r.html"
    path.write_text("<html><body><p>x</p></body></html>", encoding="utf-8")
    assert reason_of(path) == "无法读取文件（RecursionError）"


def test_path_like_and_str_give_the_same_source(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(REPORT, encoding="utf-8")
    by_path, by_str = load(path), load(str(path))
    assert by_path == by_str and by_path.path == str(path)
