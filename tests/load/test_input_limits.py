"""Issue 14, stage 1: an input never makes loading hang or eat memory, and reads right. Every
limit of ``Limits`` refuses in one line naming the limit (``InputTooLarge``); FIFOs and devices are
refused at once; UTF-16 without a BOM, deep HTML and entity references in a .docx read right.

The bad inputs are built here, small: a zip or a PDF that declares or unpacks to a lot is a few
kilobytes, and each test runs in well under a few seconds."""

from __future__ import annotations

import io
import os
import re
import struct
import threading
import time
import zipfile
import zlib

import pytest
from builders import pdf_file
from docx import Document

from compliance.errors import InputError, InputTooLarge
from compliance.load import load, load_bytes, read
from compliance.models.config import Config, Limits

REPORT = "淮安市人民政府2024年政府信息公开工作年度报告\n一、总体情况\n本年度共受理申请12件。\n"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def refusal(path, limits: Limits | None = None) -> InputError:
    with pytest.raises(InputError) as error:
        load(path, limits)
    assert str(path) in str(error.value) and "\n" not in str(error.value)
    return error.value


def too_large(path, limit: str, limits: Limits | None = None) -> str:
    error = refusal(path, limits)
    assert isinstance(error, InputTooLarge) and error.limit == limit and error.reason.endswith(f"({limit})")
    return error.reason


def quickly(function, seconds: float = 5.0):
    """Run ``function`` in a thread; fail (instead of hanging the suite) if it does not return."""
    result: dict = {}

    def run():
        try:
            result["value"] = function()
        except BaseException as error:  # noqa: BLE001 - handed to the test
            result["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    start = time.perf_counter()
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    if "error" in result:
        raise result["error"]
    return result["value"], time.perf_counter() - start


# -- the limits as configuration ------------------------------------------------------------------


def test_limits_are_configuration_with_defaults():
    limits = Config().limits
    assert limits == Limits() and limits.max_input_mb == 20 and limits.max_input_bytes == 20 * 1024 * 1024
    config = Config.model_validate({"limits": {"max-input-mb": 5, "max-text-chars": 1000}})
    assert config.limits.max_input_mb == 5 and config.limits.max_text_chars == 1000
    assert Limits(max_input_mb=1).max_input_mb == 1  # by field name too
    with pytest.raises(ValueError):
        Limits(max_input_mb=0)
    with pytest.raises(ValueError):
        Config.model_validate({"limits": {"max-input-gb": 5}})


# -- any file ----------------------------------------------------------------------------------


def test_file_larger_than_the_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.txt"
    with open(path, "wb") as file:
        file.truncate(21 * 1024 * 1024)  # sparse: 21 MB that take no room and no time
    reason = too_large(path, "max-input-mb")
    assert reason.startswith("文件过大：21.0 MB，超过 20 MB")
    small = tmp_path / "r.txt"
    small.write_bytes(REPORT.encode() * 100)
    assert too_large(small, "max-input-mb", Limits(max_input_mb=0.001)).startswith("文件过大：0.0 MB")
    assert load(small, Limits(max_input_mb=1)).text.startswith("淮安市")
    with pytest.raises(InputTooLarge):
        load_bytes(small.read_bytes(), str(small), Limits(max_input_mb=0.001))


def test_text_longer_than_the_limit_is_refused(tmp_path):
    path = tmp_path / "r.txt"
    path.write_bytes(REPORT.encode() * 10)
    reason = too_large(path, "max-text-chars", Limits(max_text_chars=100))
    assert reason == f"文字过长：{len(REPORT) * 10:,} 字，超过 100 字 (max-text-chars)"
    assert load(path).text == REPORT * 10


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_fifo_is_refused_at_once(tmp_path):
    fifo = tmp_path / "report.txt"
    os.mkfifo(fifo)  # nobody writes to it: reading it would block forever
    with pytest.raises(InputError) as error:
        quickly(lambda: load(fifo))
    assert error.value.reason == "不是普通文件（管道）"


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_device_is_refused_at_once(device):
    with pytest.raises(InputError) as error:
        quickly(lambda: read(device))
    assert error.value.reason == "不是普通文件（设备）"


def test_directory_and_missing_file(tmp_path):
    assert refusal(tmp_path).reason == "是文件夹，不是文件"
    assert refusal(tmp_path / "nope.txt").reason == "文件不存在"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("r.txt", ("一、总体情况\n|" + " " * 300_000 + "x|\n").encode()),  # no |---| line: was quadratic
        ("r.md", ("| a |\n|" + "-" * 300_000 + "|\n| 1 |\n").encode()),
    ],
)
def test_long_lines_load_in_linear_time(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    (source, elapsed) = quickly(lambda: load(path), 10)
    assert source.text and elapsed < 2


def test_docx_cell_with_a_long_run_of_spaces_loads_in_linear_time(tmp_path):
    document = Document()
    document.add_paragraph("淮安市人民政府2024年政府信息公开工作年度报告")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "收到" + " " * 300_000 + "申请\n12件"  # \s*\n\s* over the run: quadratic
    table.cell(0, 1).text = "1"
    path = tmp_path / "spaces.docx"
    document.save(path)
    (source, elapsed) = quickly(lambda: load(path), 10)
    assert source.text.splitlines()[1] == "收到" + " " * 300_000 + "申请12件\t1" and elapsed < 2


# -- text encodings -----------------------------------------------------------------------------

CHINESE = (
    "平潭综合实验区管委会二〇二三年政府信息公开工作年度报告。"
    "“放管服”改革深入推进，全年主动公开政府信息一千二百条；依申请公开办结率百分之百。"
)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(
    "text", [CHINESE, CHINESE + "\n第二段：2023年收到申请12件。\n", "政府信息公开" * 3], ids=["line", "lines", "short"]
)
def test_utf16_without_bom_is_read(tmp_path, codec, text):
    # Chinese in UTF-16 has no NUL byte unless ASCII or a code point like U+4E00 puts one in.
    path = tmp_path / "r.txt"
    path.write_bytes(text.encode(codec))
    source = load(path)
    assert (source.text, source.encoding) == (text, "utf-16")


def test_gbk_and_big5_stay_what_they_are(tmp_path):
    path = tmp_path / "r.txt"
    path.write_bytes(CHINESE.encode("gbk"))
    assert (load(path).text, load(path).encoding) == (CHINESE, "gb18030")


# -- .docx --------------------------------------------------------------------------------------


def docx_bytes(paragraphs=("淮安市人民政府2024年政府信息公开工作年度报告", "一、总体情况")) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rezip(data: bytes, replace: dict[str, bytes] | None = None, extra: dict[str, bytes] | None = None) -> bytes:
    """The package with some members replaced and others added."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, (replace or {}).get(info.filename, source.read(info)))
        for name, content in (extra or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def document_xml(body: str, doctype: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<w:document {W}><w:body>{body}</w:body></w:document>'.encode()
    )


def bomb(path, size_mb: int, member: str = "word/document.xml") -> int:
    """A .docx whose main part inflates to ``size_mb`` megabytes of empty paragraphs, written in
    chunks (the test never holds it whole); returns the size of the file."""
    base = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in base.infolist():
            if info.filename != member:
                target.writestr(info.filename, base.read(info))
        with target.open(member, "w") as part:
            part.write(f"<w:document {W}><w:body>".encode())
            chunk = b"<w:p/>" * (1024 * 1024 // 6)
            for _ in range(size_mb):
                part.write(chunk)
            part.write(b"</w:body></w:document>")
    return os.path.getsize(path)


def test_docx_that_inflates_to_hundreds_of_megabytes_is_refused_before_unpacking(tmp_path):
    path = tmp_path / "bomb.docx"
    assert bomb(path, 300) < 1024 * 1024  # under a megabyte on disk, 300 MB of <w:p/> inside
    (error, elapsed) = quickly(lambda: refusal(path), 5)
    assert isinstance(error, InputTooLarge) and error.limit == "max-unpacked-mb"
    assert re.match(r"\.docx 解压后为 300\.\d MB，超过 50 MB", error.reason)
    assert elapsed < 2


def test_docx_member_that_compresses_too_well_is_refused(tmp_path):
    path = tmp_path / "dense.docx"
    bomb(path, 20)  # under the total, but 20 MB from a few kilobytes
    reason = too_large(path, "max-ratio")
    assert reason.startswith(".docx 的成员 word/document.xml 解压后是原大小的 ") and "倍，超过 100 倍" in reason


def test_docx_with_too_many_entries_is_refused_before_its_directory_is_read(tmp_path):
    path = tmp_path / "many.docx"
    path.write_bytes(rezip(docx_bytes(), extra={f"extra/item{i}.xml": b"<a/>" for i in range(1_001)}))
    reason = too_large(path, "max-docx-entries")
    assert reason.startswith(".docx 的 zip 条目过多：1,0") and reason.endswith("超过 1,000 个 (max-docx-entries)")
    assert load(path, Limits(max_docx_entries=2_000)).text.startswith("淮安市")


def _declare(data: bytes, member: str, size: int) -> bytes:
    """The archive with ``member``'s uncompressed size declared as ``size`` in its local header
    and the central directory: a lie about what it unpacks to."""
    data = bytearray(data)
    name = member.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            name_at = start + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(name)] == name:
                struct.pack_into("<I", data, start + offset, size)
            start += 4
    return bytes(data)


def test_docx_member_that_declares_less_than_it_holds_is_read_no_further(tmp_path):
    path = tmp_path / "liar.docx"
    bomb(path, 200)
    path.write_bytes(_declare(path.read_bytes(), "word/document.xml", 1000))  # says 1 kB, holds 200 MB
    (error, elapsed) = quickly(lambda: refusal(path), 5)
    assert error.reason.startswith("不是有效的 .docx") and elapsed < 2  # read up to what it declares: checksum fails


def test_docx_entity_references_read_right(tmp_path):
    doctype = '<!DOCTYPE w:document [<!ENTITY org "淮安市">]>'
    runs = "<w:p><w:r><w:t>前&#x4E2D;后&#20013;&amp;&lt;完</w:t></w:r></w:p><w:p><w:r><w:t>前&org;后</w:t></w:r></w:p>"
    path = tmp_path / "entities.docx"
    path.write_bytes(rezip(docx_bytes(), {"word/document.xml": document_xml(runs, doctype)}))
    # character references and XML's own entities are read; an entity a DTD declares is never
    # expanded, but stays as written, and the text after it is read
    assert load(path).text == "前中后中&<完\n前&org;后"


def test_docx_external_entity_is_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("机密内容", encoding="utf-8")
    doctype = f'<!DOCTYPE w:document [<!ENTITY leak SYSTEM "{secret.as_uri()}">]>'
    path = tmp_path / "xxe.docx"
    path.write_bytes(
        rezip(
            docx_bytes(),
            {"word/document.xml": document_xml("<w:p><w:r><w:t>开头&leak;结尾</w:t></w:r></w:p>", doctype)},
        )
    )
    text = load(path).text
    assert "机密" not in text and text == "开头&leak;结尾"


@pytest.mark.parametrize("levels", [3, 10])
def test_docx_billion_laughs_is_not_expanded(tmp_path, levels):
    entities = '<!ENTITY a0 "哈哈哈哈哈哈哈哈哈哈">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, levels)
    )
    path = tmp_path / "laughs.docx"
    body = f"<w:p><w:r><w:t>笑&a{levels - 1};止</w:t></w:r></w:p>"
    path.write_bytes(
        rezip(docx_bytes(), {"word/document.xml": document_xml(body, f"<!DOCTYPE w:document [{entities}]>")})
    )

    def outcome():
        try:
            return load(path).text
        except InputError as error:
            return error.reason

    (result, elapsed) = quickly(outcome, 5)
    # never expanded: read as written, or (libxml2 counting the amplification the declarations
    # would give) refused as a damaged file, in one line and at once
    assert result in (f"笑&a{levels - 1};止",) or result.startswith("不是有效的 .docx（Maximum entity amplification")
    assert elapsed < 2


def test_docx_with_too_much_text_is_refused(tmp_path):
    path = tmp_path / "long.docx"
    path.write_bytes(docx_bytes(["政府信息公开" * 100] * 10))
    assert too_large(path, "max-text-chars", Limits(max_text_chars=1_000)).startswith("文字过长：1,")


# -- PDF ----------------------------------------------------------------------------------------


def pdf_bytes(contents: list[bytes], flate: bool = True) -> bytes:
    """A minimal PDF: one page per content stream, Helvetica as F1."""
    count = len(contents)
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for i, content in enumerate(contents):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
            f"/Contents {5 + 2 * i} 0 R >>".encode()
        )
        data = _deflate([content]) if flate else content
        objects.append(
            b"<< /Length %d%s >>\nstream\n" % (len(data), b" /Filter /FlateDecode" if flate else b"")
            + data
            + b"\nendstream"
        )
    return pdf_file(objects)


def _deflate(chunks) -> bytes:
    packer = zlib.compressobj(9)
    return b"".join(packer.compress(chunk) for chunk in chunks) + packer.flush()


def text_page(line: str = "Annual report 2024", lines: int = 1) -> bytes:
    shown = b"".join(b"(%s) Tj 0 -14 Td " % line.encode() for _ in range(lines))
    return b"BT /F1 12 Tf 72 720 Td " + shown + b"ET"


def test_pdf_builder_gives_a_readable_pdf(tmp_path):
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf_bytes([text_page("Page one"), text_page("Page two")]))
    assert load(path).text == "Page one\nPage two"


def test_pdf_with_too_many_pages_is_refused(tmp_path):
    path = tmp_path / "pages.pdf"
    path.write_bytes(pdf_bytes([text_page(f"Section {i}") for i in range(6)]))
    assert too_large(path, "max-pdf-pages", Limits(max_pdf_pages=5)) == "PDF 超过 5 页 (max-pdf-pages)"
    assert load(path, Limits(max_pdf_pages=6)).text == "\n".join(f"Section {i}" for i in range(6))


def test_pdf_page_with_two_million_text_operations_stops_at_the_limit(tmp_path):
    path = tmp_path / "ops.pdf"
    page = b"BT /F1 1 Tf " + b"(a) Tj " * 2_000_000 + b"ET"
    path.write_bytes(pdf_bytes([page]))
    assert os.path.getsize(path) < 200_000  # a few tens of kilobytes, as in the issue
    (error, elapsed) = quickly(lambda: refusal(path), 20)
    assert isinstance(error, InputTooLarge) and elapsed < 10  # this one also unpacks 700 times its size
    (error, elapsed) = quickly(lambda: refusal(path, Limits(max_ratio=1_000)), 20)
    assert error.reason == "PDF 第 1 页的操作超过 200,000 个 (max-pdf-page-operations)" and elapsed < 10
    small = tmp_path / "small.pdf"
    small.write_bytes(pdf_bytes([text_page(lines=30)]))
    assert too_large(small, "max-pdf-page-operations", Limits(max_pdf_page_operations=100)).startswith("PDF 第 1 页")


def test_pdf_operations_of_all_pages_are_limited(tmp_path):
    path = tmp_path / "pages.pdf"
    path.write_bytes(pdf_bytes([text_page(lines=20) for _ in range(10)]))
    limits = Limits(max_pdf_page_operations=1_000, max_pdf_operations=2_000)
    assert too_large(path, "max-pdf-operations", limits).startswith("PDF 的操作超过 2,000 个（至第 ")


def test_pdf_stream_that_inflates_too_far_is_measured_before_it_is_unpacked(tmp_path):
    path = tmp_path / "bomb.pdf"
    spaces = b" " * (1024 * 1024)
    content = _deflate([text_page().replace(b"ET", b"")] + [spaces] * 60 + [b"ET"])  # 60 MB of spaces
    data = pdf_bytes([b"PLACEHOLDER"], flate=False).replace(
        b"<< /Length 11 >>\nstream\nPLACEHOLDER",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content,
    )
    path.write_bytes(data)
    assert os.path.getsize(path) < 200_000
    (error, elapsed) = quickly(lambda: refusal(path), 10)
    assert isinstance(error, InputTooLarge) and error.limit in ("max-unpacked-mb", "max-ratio") and elapsed < 5
    assert (
        too_large(path, "max-unpacked-mb", Limits(max_ratio=10_000)) == "PDF 的数据流解压后超过 50 MB (max-unpacked-mb)"
    )
    assert "倍，超过 100 倍" in too_large(path, "max-ratio", Limits(max_unpacked_mb=100))
    assert load(path, Limits(max_unpacked_mb=100, max_ratio=10_000)).text == "Annual report 2024"


def test_pdf_stream_damaged_at_the_end_is_read_in_linear_time(tmp_path):
    # pdfminer reads a damaged Flate stream byte by byte, joining bytes one at a time (quadratic)
    content = _deflate([text_page(lines=2).replace(b"ET", b"") + b" " * 3_000_000 + b"ET"])[:-6]
    data = pdf_bytes([b"PLACEHOLDER"], flate=False).replace(
        b"<< /Length 11 >>\nstream\nPLACEHOLDER",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content,
    )
    path = tmp_path / "damaged.pdf"
    path.write_bytes(data)
    (source, elapsed) = quickly(lambda: load(path, Limits(max_ratio=10_000)), 10)
    assert source.text.startswith("Annual report 2024") and elapsed < 5


# -- HTML ---------------------------------------------------------------------------------------


def nested(depth: int, tag: str = "div") -> bytes:
    return (
        f"<html><body><p>开头</p>{f'<{tag}>' * depth}深处的文字{f'</{tag}>' * depth}<p>后面的文字</p></body></html>"
    ).encode()


@pytest.mark.parametrize("depth", [254, 255, 300, 1_500, 2_000])
def test_deep_html_reads_right(tmp_path, depth):
    path = tmp_path / "deep.html"
    path.write_bytes(nested(depth))
    assert load(path).text == "开头\n深处的文字\n后面的文字"


def test_deep_inline_html_and_deep_tables_read_right(tmp_path):
    path = tmp_path / "deep.html"
    path.write_bytes(nested(1_500, "span"))
    assert load(path).text == "开头\n深处的文字\n后面的文字"
    cell = "<table><tr><td>{}</td><td>右</td></tr></table>"
    inner = "核心"
    for _ in range(300):
        inner = cell.format(inner)
    path.write_bytes(f"<html><body><p>开头</p>{inner}<p>后面</p></body></html>".encode())
    text = load(path).text
    assert text.startswith("开头\n核心") and text.endswith("后面") and text.count("右") == 300


def test_html_deeper_than_the_parser_reads_is_refused(tmp_path):
    path = tmp_path / "deeper.html"
    path.write_bytes(nested(5_000))
    (error, elapsed) = quickly(lambda: refusal(path), 10)
    assert error.reason.startswith("HTML 嵌套过深，无法读取") and elapsed < 5


def test_html_with_too_much_text_is_refused(tmp_path):
    path = tmp_path / "long.html"
    path.write_bytes(("<html><body>" + "<p>政府信息公开工作年度报告</p>" * 200 + "</body></html>").encode())
    assert too_large(path, "max-text-chars", Limits(max_text_chars=1_000)).startswith("文字过长：1,")
