"""Stage 1: .docx → Source. Body paragraphs and tables in document order, one line per
non-empty paragraph; tables as tab rows with gridSpan/vMerge merges resolved; a table nested
in a cell is flattened into that cell's text.

The zip archive is checked before anything is unpacked: its entry count (from the end record,
before the central directory is read), the sizes its members declare, in all and against their
packed sizes (``Limits``); then only the main document part is read, in chunks that stop at the
limit whatever the member declares. It is parsed as python-docx parses it (no DTD loaded, no
entity expanded, libxml2's depth and size limits kept): a reference to an entity a DTD declares
stays as written (``&name;``), and the text after it is read."""

from __future__ import annotations

import struct
import zipfile
from io import BytesIO

from compliance.errors import InputError, InputTooLarge
from compliance.i18n import _
from compliance.load.blocks import TextBuilder, megabytes, resolve_spans
from compliance.models.config import Limits
from compliance.models.source import Source

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
P, TABLE = f"{_W}p", f"{_W}tbl"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
MAIN = "word/document.xml"
_RATIO_FLOOR = 1024 * 1024  # members smaller than this unpacked may compress as well as they like
_CHUNK = 1024 * 1024
# Wrappers whose children are body content (content controls, custom XML, smart tags).
_WRAPPERS = {f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}smartTag"}


def pieces(element, out: list | None = None) -> list[tuple[str, object | None]]:
    """The text of a paragraph or cell as (text, w:t element) pieces in reading order; tabs
    (" "), breaks and paragraph ends ("\\n") come from markup and carry no element. ``fix``
    maps offsets back to the w:t elements through these pieces."""
    out = [] if out is None else out
    for node in element.iterchildren():
        tag = node.tag
        if tag == f"{_W}t":
            out.append((node.text or "", node))
            if len(node):  # an entity reference, comment or PI inside the text: the text goes on
                from lxml.etree import Entity

                for inner in node.iterchildren():
                    if inner.tag is Entity:
                        out.append((inner.text or "", None))  # not expanded: as written, "&name;"
                    out.append((inner.tail or "", None))
        elif tag in (f"{_W}tab", f"{_W}ptab"):
            out.append((" ", None))
        elif tag in (f"{_W}br", f"{_W}cr"):
            out.append(("\n", None))
        elif tag == _MC_FALLBACK or tag in (f"{_W}delText", f"{_W}instrText"):
            continue  # a text box's fallback copy would repeat its text
        else:
            if tag == P and out:
                out.append(("\n", None))
            pieces(node, out)
    return out


def _text(element) -> str:
    """All text of a paragraph or cell; tabs as spaces, breaks and paragraphs as newlines."""
    return "".join(text for text, _ in pieces(element))


def _children(element, tag: str):
    """Direct children with ``tag``, looking through content-control wrappers."""
    for child in element.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _span(props, name: str) -> str | None:
    node = props.find(f"{_W}{name}") if props is not None else None
    return None if node is None else node.get(f"{_W}val", "")


def _written(table) -> list[list[list]]:
    """Cells as written, [w:tc or None, rowspan, colspan, grid column, continues] per cell;
    vMerge continuations extend the cell above (gridBefore positions have no w:tc)."""
    written: list[list[list]] = []
    for tr in _children(table, f"{_W}tr"):
        row, col = [], 0
        skipped = _span(tr.find(f"{_W}trPr"), "gridBefore")
        for _gap in range(int(skipped) if skipped and skipped.isdigit() else 0):
            row.append([None, 1, 1, col, False])
            col += 1
        for tc in _children(tr, f"{_W}tc"):
            props = tc.find(f"{_W}tcPr")
            span, merge = _span(props, "gridSpan"), _span(props, "vMerge")
            colspan = int(span) if span and span.isdigit() else 1
            row.append([tc, 1, colspan, col, merge is not None and merge != "restart"])
            col += colspan
        written.append(row)
    for r, row in enumerate(written):
        for cell in row:
            if not cell[4]:
                continue
            starter = None
            for above in reversed(written[:r]):
                twin = next((c for c in above if c[3] == cell[3]), None)
                if twin is None or not twin[4]:
                    starter = twin
                    break
            if starter is None:
                cell[4] = False  # a continuation with nothing above: keep it as its own cell
            else:
                starter[1] += 1
    return written


def _rows(table) -> list[list[tuple[str, int, int]]]:
    """(text, rowspan, colspan) per cell as written, continuations merged into the cell above."""
    return [
        [
            (_text(tc) if tc is not None else "", rowspan, colspan)
            for tc, rowspan, colspan, _, continues in row
            if not continues
        ]
        for row in _written(table)
    ]


def cell_elements(table) -> list:
    """The w:tc elements whose text the loaded table shows, row by row (not continuations)."""
    return [cell[0] for row in _written(table) for cell in row if cell[0] is not None and not cell[4]]


def body_items(element):
    """Body paragraphs (w:p) and tables (w:tbl) in document order, through content-control wrappers."""
    for child in element.iterchildren():
        if child.tag in (P, TABLE):
            yield child
        elif child.tag in _WRAPPERS:
            yield from body_items(child)


def _body(body, builder: TextBuilder) -> None:
    for item in body_items(body):
        if item.tag == P:
            for line in _text(item).split("\n"):
                builder.paragraph(line)
        else:
            builder.table(resolve_spans(_rows(item)))


def _entries(data: bytes) -> int | None:
    """The entry count the zip's end record declares (ZIP64 too), before the central directory
    is read; None if there is no end record (``zipfile`` says what is wrong)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return None
    count = struct.unpack_from("<H", data, end + 10)[0]
    locator = end - 20
    if count == 0xFFFF and locator >= 0 and data[locator : locator + 4] == b"PK\x06\x07":
        record = struct.unpack_from("<Q", data, locator + 8)[0]
        if data[record : record + 4] == b"PK\x06\x06" and record + 40 <= len(data):
            count = struct.unpack_from("<Q", data, record + 32)[0]
    return count


def _too_many(count: int, most: int) -> str:
    return _(".docx 的 zip 条目过多：{count:,} 个，超过 {most:,} 个").format(count=count, most=most)


def _archive(data: bytes, path: str, limits: Limits) -> zipfile.ZipFile:
    """The zip archive, refused if it holds too many members or unpacks too large."""
    most = limits.max_docx_entries
    declared = _entries(data)
    if declared is not None and declared > most:
        raise InputTooLarge(path, _too_many(declared, most), "max-docx-entries")
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError):
        raise InputError(path, _("不是有效的 .docx（不是有效的 zip 压缩包）")) from None
    members = archive.infolist()
    if len(members) > most:
        raise InputTooLarge(path, _too_many(len(members), most), "max-docx-entries")
    unpacked = sum(member.file_size for member in members)
    if unpacked > limits.max_unpacked_bytes:
        reason = _(".docx 解压后为 {size}，超过 {most:g} MB").format(
            size=megabytes(unpacked), most=limits.max_unpacked_mb
        )
        raise InputTooLarge(path, reason, "max-unpacked-mb")
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _RATIO_FLOOR and ratio > limits.max_ratio:
            raise InputTooLarge(
                path,
                _(".docx 的成员 {member} 解压后是原大小的 {ratio:,.0f} 倍，超过 {most:g} 倍").format(
                    member=member.filename, ratio=ratio, most=limits.max_ratio
                ),
                "max-ratio",
            )
    return archive


def is_docx(data: bytes, path: str, limits: Limits | None = None) -> bool:
    """Whether a zip archive is a .docx (it has a main document part); ``InputError`` if it is
    no zip archive, ``InputTooLarge`` if it goes beyond ``limits``."""
    return MAIN in _archive(data, path, limits or Limits()).namelist()


def _read(archive: zipfile.ZipFile, name: str, path: str, limits: Limits) -> bytes:
    """A member's bytes, read in chunks that stop at ``max-unpacked-mb`` even if it declares less."""
    most = limits.max_unpacked_bytes
    chunks, size = [], 0
    with archive.open(name) as member:
        while chunk := member.read(_CHUNK):
            size += len(chunk)
            if size > most:
                reason = _(".docx 的成员 {member} 解压后超过 {most:g} MB").format(
                    member=name, most=limits.max_unpacked_mb
                )
                raise InputTooLarge(path, reason, "max-unpacked-mb")
            chunks.append(chunk)
    return b"".join(chunks)


def _main_part(archive: zipfile.ZipFile, path: str, limits: Limits) -> str:
    """The main document part the package relationships name (word/document.xml as Word writes it)."""
    from docx.oxml.parser import parse_xml

    names = set(archive.namelist())
    if "_rels/.rels" in names:
        try:
            relationships = parse_xml(_read(archive, "_rels/.rels", path, limits))
        except Exception:  # noqa: BLE001  (a damaged relationships part: Word's own name still holds)
            return MAIN
        for relationship in relationships.iter(_RELATIONSHIP):
            target = (relationship.get("Target") or "").lstrip("/")
            external = relationship.get("TargetMode") == "External"
            if (relationship.get("Type") or "").endswith("/officeDocument") and not external and target in names:
                return target
    return MAIN


def load_docx(data: bytes, path: str, limits: Limits | None = None) -> Source:
    from docx.oxml.parser import parse_xml  # imported here: only .docx inputs pay for it

    limits = limits or Limits()
    archive = _archive(data, path, limits)
    try:
        with archive:
            # python-docx's own parser: the tree is the one ``fix`` edits through python-docx
            root = parse_xml(_read(archive, _main_part(archive, path, limits), path, limits))
    except InputError:
        raise
    except Exception as error:  # zipfile, zlib and lxml errors on a damaged package
        detail = str(error).splitlines()[0][:120] if str(error) else type(error).__name__
        raise InputError(path, _("不是有效的 .docx（{detail}）").format(detail=detail)) from error
    body = root.find(f"{_W}body")
    if body is None:
        raise InputError(path, _("不是有效的 .docx（没有正文）"))
    builder = TextBuilder(path=path, max_chars=limits.max_text_chars)
    _body(body, builder)
    if builder.empty:
        raise InputError(path, _("未找到文字"))
    return builder.source(path, "docx", data)
