"""Writing a fixed text: in the input's encoding and line endings when it was a text file."""

from __future__ import annotations

import codecs

from compliance.i18n import _
from compliance.models.source import Source

_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _codec(encoding: str, original: bytes) -> tuple[str, bytes]:
    """The codec to write with and the BOM to put first. The loader names every UTF-16 input
    "utf-16": keep its byte order, and its BOM if it had one."""
    if encoding != "utf-16":
        return encoding, b""
    bom = original[:2] if original[:2] in _UTF16_BOMS else b""
    big_endian = bom == codecs.BOM_UTF16_BE or (not bom and original[0::2].count(0) > original[1::2].count(0))
    return ("utf-16-be" if big_endian else "utf-16-le"), bom


def _newline(original: str) -> str:
    """The input's most frequent line ending (the loader turned them all into \\n)."""
    crlf = original.count("\r\n")
    counts = {"\r\n": crlf, "\r": original.count("\r") - crlf, "\n": original.count("\n") - crlf}
    return max(counts, key=lambda ending: (counts[ending], ending == "\n"))


def encode_text(fixed: str, source: Source, original: bytes) -> tuple[bytes, list[str]]:
    """The fixed text as bytes for a text file, and notes on what could not be kept.

    A .txt/.md input keeps its encoding (GB18030 stays GB18030) and its line endings; the text
    extracted from a .docx, .html or .pdf is written as UTF-8 with \\n."""
    if source.format not in ("txt", "md") or not source.encoding:
        return fixed.encode("utf-8"), []
    codec, bom = _codec(source.encoding, original)
    text = fixed.replace("\n", _newline(original[len(bom) :].decode(codec, errors="replace")))
    try:
        return bom + text.encode(codec), []
    except UnicodeEncodeError as error:
        # Big5 has no Simplified characters: a script fix cannot stay in it.
        sample = error.object[error.start : error.end]
        return text.encode("utf-8"), [
            _("已按 UTF-8 写出：{encoding} 无法编码“{sample}”").format(encoding=source.encoding, sample=sample)
        ]
