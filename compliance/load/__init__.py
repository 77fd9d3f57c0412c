"""Stage 1: file → ``Source``. The format is sniffed from the content, the extension breaks ties;
every failure is an ``InputError`` naming the file and the reason."""

from __future__ import annotations

import os
import zipfile
from io import BytesIO
from pathlib import Path

from compliance.errors import InputError
from compliance.load.docx import load_docx
from compliance.load.html import load_html
from compliance.load.pdf import load_pdf
from compliance.load.text import load_text
from compliance.models.source import Source

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _sniff(data: bytes, suffix: str, path: str) -> str:
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            raise InputError(path, "corrupt .docx (not a valid zip archive)") from None
        if "word/document.xml" not in names:
            raise InputError(path, "zip archive is not a .docx")
        return "docx"
    if data.startswith(_OLE):
        raise InputError(path, ".doc (Word 97-2003) is not supported; save it as .docx")
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")) or suffix in (".html", ".htm"):
        return "html"
    return "md" if suffix in (".md", ".markdown") else "txt"


def load(path: str | os.PathLike) -> Source:
    name = str(path)
    file = Path(path)
    if file.is_dir():
        raise InputError(name, "is a directory")
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except OSError as error:
        raise InputError(name, f"cannot read ({error.strerror})") from None
    if not data.strip():
        raise InputError(name, "empty file")
    suffix = file.suffix.lower()
    kind = _sniff(data, suffix, name)
    if kind in ("txt", "md") and suffix in (".docx", ".pdf"):
        try:  # a text file saved under the wrong name still reads
            return load_text(data, name, "txt")
        except InputError:
            raise InputError(name, f"corrupt {suffix} (neither a {suffix[1:]} file nor text)") from None
    if kind == "pdf":
        return load_pdf(data, name)
    if kind == "docx":
        return load_docx(data, name)
    if kind == "html":
        return load_html(data, name)
    return load_text(data, name, kind)
