"""Stage 1: .txt / .md → Source. The text is the decoded file (newlines normalised to \\n).

Encodings: a BOM (UTF-8, UTF-16) decides; then strict UTF-8; then GB18030 or Big5, whichever
decodes and reads as Chinese (charset-normalizer ranks them when both decode)."""

from __future__ import annotations

import codecs
import hashlib
import re

from charset_normalizer import from_bytes

from compliance.errors import InputError
from compliance.models.source import Cell, ParagraphBlock, Source, TableBlock

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_SEPARATOR = re.compile(r"^\s*\|?[\s:|-]+\|?\s*$")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 shows as NUL bytes in every other position."""
    if len(data) < 4 or data.count(0) < len(data) // 4:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    return "utf-16-le" if odd > even * 4 else "utf-16-be" if even > odd * 4 else None


def decode(data: bytes, path: str) -> tuple[str, str]:
    """(text, encoding name) or an InputError."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name), name
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return data.decode(utf16), "utf-16"
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise InputError(path, "not a text file (binary data)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = {}
    for name in ("gb18030", "big5"):
        try:
            candidates[name] = data.decode(name)
        except UnicodeDecodeError:
            continue
    if len(candidates) > 1:
        best = from_bytes(data, cp_isolation=list(candidates)).best()
        chosen = best.encoding.replace("_", "") if best else "gb18030"
        chosen = "big5" if "big5" in chosen else "gb18030"
        return candidates[chosen], chosen
    if candidates:
        (name, text), = candidates.items()
        return text, name
    raise InputError(path, "not a text file (binary data or an unknown encoding)")


def _looks_binary(text: str) -> bool:
    sample = text[:4000]
    return bool(sample) and len(_CONTROL.findall(sample)) > len(sample) * 0.01


def _text_blocks(text: str) -> list:
    """Paragraph per line; consecutive tab or pipe rows form a table."""
    blocks, table, position = [], None, 0
    for row_index, line in enumerate(text.split("\n")):
        start, end = position, position + len(line)
        position = end + 1
        is_row = ("\t" in line and line.strip()) or _PIPE_ROW.match(line)
        if not is_row:
            table = None
            if line.strip():
                blocks.append(ParagraphBlock(start=start, end=end))
            continue
        if table is None:
            table = TableBlock(start=start, end=end)
            blocks.append(table)
        table.end = end
        if _PIPE_SEPARATOR.match(line) and "\t" not in line:
            continue
        if "\t" in line:
            pieces, offset = line.split("\t"), start
        else:
            inner = line.index("|") + 1
            pieces, offset = line[inner : line.rindex("|")].split("|"), start + inner
        row = max((c.row for c in table.cells), default=-1) + 1
        for col, piece in enumerate(pieces):
            lead = len(piece) - len(piece.lstrip())
            value = piece.strip()
            table.cells.append(Cell(row=row, col=col, text=value, start=offset + lead, end=offset + lead + len(value)))
            offset += len(piece) + 1
    return blocks


def load_text(data: bytes, path: str, fmt: str) -> Source:
    text, encoding = decode(data, path)
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if _looks_binary(text):
        raise InputError(path, "not a text file (binary data)")
    if not text.strip():
        raise InputError(path, "empty file")
    return Source(
        path=path,
        format=fmt,
        encoding=encoding,
        sha256=hashlib.sha256(data).hexdigest(),
        text=text,
        blocks=_text_blocks(text),
    )
