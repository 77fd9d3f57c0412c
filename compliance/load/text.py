"""Stage 1: .txt / .md → Source. The text is the decoded file with only a BOM stripped and \\r\\n
and \\r turned into \\n: every offset refers to that newline-normalised text.

Encodings: a BOM (UTF-8, UTF-16) decides; then UTF-16 by its NUL-byte pattern; then strict UTF-8;
then GB18030, Big5 or UTF-16 (either byte order), whichever decodes and reads as common Chinese:
Chinese in UTF-16 has few NUL bytes (only its ASCII characters have one), so the pattern alone
misses it.

charset-normalizer was measured against this scoring (benchmarks/encoding_detection.py) on every
text the tests read (tests/, samples/, ../shared seeds and corpus, each also re-encoded as GB18030,
Big5 and BOM-less UTF-16) and the byte strings the tests build: it misread three of the six short
GBK texts (as Big5 or Korean), where this scoring reads all 298 cases right. It was faster on long
GB18030 files only (24 against 52 ms over 277 kB, about 0.4 ms a document), so it is not used,
nor a dependency."""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from functools import lru_cache

from compliance.errors import InputError
from compliance.i18n import _
from compliance.load.blocks import check_length
from compliance.models.config import Limits
from compliance.models.source import ParagraphBlock, Source, SourceFormat, TableBlock

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Characters whose category looks_binary asks: not ASCII, nor the main block of CJK ideographs
# (all assigned since Unicode 14, Python 3.11's) — most of a report, never odd.
_MAYBE_ODD = re.compile(r"[^\x00-\x7f\u4e00-\u9fff]")
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
# |---|:--:| (^\s*\|?[\s:|-]+\|?\s*$ says no more and backtracks quadratically on long blank runs)
_PIPE_SEPARATOR = re.compile(r"[\s:|-]+")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 puts a NUL beside every ASCII character, all on the same side of the pair."""
    zeros_even, zeros_odd = data[0::2].count(0), data[1::2].count(0)
    if len(data) % 2 or zeros_even + zeros_odd < max(2, len(data) // 100):
        return None
    # CJK code points like U+4E00 put a NUL on the other side now and then.
    if zeros_odd >= 4 * zeros_even:
        return "utf-16-le"
    return "utf-16-be" if zeros_even >= 4 * zeros_odd else None


# UTF-16 read in the right byte order is almost all common characters; in the wrong one, or
# binary data read as UTF-16, it is rare ideographs, Hangul, symbols and unassigned code points.
_UTF16_PLAUSIBLE = 0.8


def _utf16_scored(data: bytes) -> dict[str, tuple[str, float]]:
    """UTF-16 readings of ``data`` (either byte order) that read as Chinese, with their score."""
    found: dict[str, tuple[str, float]] = {}
    if len(data) % 2:
        return found
    for name in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        score = _readable(text)
        if score >= _UTF16_PLAUSIBLE and not looks_binary(text):
            found[name] = (text, score)
    return found


def _readable(text: str) -> float:
    """Share of characters a Chinese text in either script uses: printable ASCII, line breaks,
    general and CJK punctuation (“”、。), full-width forms, and common ideographs (GB2312, Big5
    level 1)."""
    sample = text[:5000]
    good = 0
    for ch in sample:
        if (
            " " <= ch < "\x7f"
            or ch in "\t\n\r"
            or "\u2000" <= ch <= "\u206f"
            or "\u3000" <= ch <= "\u303f"
            or "\uff00" <= ch <= "\uffef"
        ):
            good += 1
        elif "\u4e00" <= ch <= "\u9fff":
            good += _common(ch)
    return good / max(len(sample), 1)


@lru_cache(maxsize=16384)
def _common(ch: str) -> bool:
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        pass
    try:
        return ch.encode("big5")[0] <= 0xC6
    except UnicodeEncodeError:
        return False


def _plausibility(text: str, encoding: str) -> float:
    """Share of characters an ordinary Chinese document uses: ASCII, CJK punctuation, and
    ideographs from the common level of the charset (GB2312, Big5 level 1). A wrong guess
    between GBK and Big5 decodes into rare characters, symbols and private-use code points."""
    sample = text[:5000]
    good = 0
    for ch in sample:
        if ch < "\x80" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef":
            good += 1
        elif "\u4e00" <= ch <= "\u9fff":
            try:
                raw = ch.encode("gb2312" if encoding == "gb18030" else "big5")
            except UnicodeEncodeError:
                continue
            good += encoding == "gb18030" or raw[0] <= 0xC6
    return good / max(len(sample), 1)


def _binary(path: str) -> InputError:
    return InputError(path, _("不是文本文件（二进制数据）"))


def decode(data: bytes, path: str) -> tuple[str, str]:
    """(text, encoding name) or an InputError."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                raise _binary(path) from None
    if b"\x00" in data:  # UTF-16 or binary: the byte order that reads as text, else the NULs' side
        if utf16 := _utf16_scored(data):
            text, _score = max(utf16.values(), key=lambda reading: reading[1])
            return text, "utf-16"
        if order := _utf16_without_bom(data):
            try:
                return data.decode(order), "utf-16"
            except UnicodeDecodeError:
                pass
        raise _binary(path)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        # A stray byte or a file cut mid-character is still UTF-8; GBK read as UTF-8 breaks everywhere.
        if text.count("\ufffd") <= len(text) // 1000:
            return text, "utf-8"
    scored = _utf16_scored(data)
    for name in ("gb18030", "big5"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        scored[name] = (text, _plausibility(text, name))
    if not scored:
        raise _binary(path)
    preference = ("big5", "utf-16-be", "utf-16-le", "gb18030")  # on equal scores, the last wins
    name = max(scored, key=lambda n: (scored[n][1], preference.index(n)))
    return scored[name][0], "utf-16" if name.startswith("utf-16") else name


def looks_binary(text: str) -> bool:
    """Control characters, or code points no text uses (unassigned, private use, surrogates):
    what binary data turns into when some encoding happens to decode it."""
    sample = text[:4000]
    if not sample:
        return False
    odd = sum(1 for ch in _MAYBE_ODD.findall(sample) if unicodedata.category(ch) in ("Cn", "Co", "Cs"))
    return len(_CONTROL.findall(sample)) > len(sample) * 0.01 or odd > len(sample) * 0.05


def _row_cells(line: str, start: int, row: int) -> list[dict]:
    """Cells of a tab row, or of a Markdown pipe row without its outer pipes, as the fields of
    ``Cell`` (the ``TableBlock`` validates them all at once)."""
    if "\t" in line:
        pieces, offset = line.split("\t"), start
    else:
        inner = line.index("|") + 1
        pieces, offset = line[inner : line.rindex("|")].split("|"), start + inner
    cells = []
    for col, piece in enumerate(pieces):
        lead = len(piece) - len(piece.lstrip())
        value = piece.strip()
        cells.append({"row": row, "col": col, "text": value, "start": offset + lead, "end": offset + lead + len(value)})
        offset += len(piece) + 1
    return cells


def text_blocks(text: str) -> list:
    """A paragraph per non-empty line; runs of tab rows or pipe rows form a table (rows keep
    the cell counts they have: browser copies drop merged cells)."""
    blocks: list = []
    table: dict | None = None  # the fields of the table being read (validated with the others at the end)
    rows = 0
    position = 0
    for line in text.split("\n"):
        start, end = position, position + len(line)
        position = end + 1
        if not (("\t" in line and line.strip()) or _PIPE_ROW.match(line)):
            table = None
            if line.strip():
                blocks.append(ParagraphBlock(start=start, end=end))
            continue
        if table is None:
            table, rows = {"start": start, "end": end, "cells": []}, 0
            blocks.append(table)
        table["end"] = end
        if "\t" not in line and _PIPE_SEPARATOR.fullmatch(line):
            continue  # the |---| line stays inside the block span, but has no cells
        table["cells"] += _row_cells(line, start, rows)
        rows += 1
    return [TableBlock.model_validate(b) if isinstance(b, dict) else b for b in blocks]


def load_text(data: bytes, path: str, fmt: SourceFormat, limits: Limits | None = None) -> Source:
    text, encoding = decode(data, path)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if looks_binary(text):
        raise _binary(path)
    if not text.strip():
        raise InputError(path, _("文件为空"))
    check_length(len(text), path, (limits or Limits()).max_text_chars)
    return Source(
        path=path,
        format=fmt,
        encoding=encoding,
        sha256=hashlib.sha256(data).hexdigest(),
        text=text,
        blocks=text_blocks(text),
    )
