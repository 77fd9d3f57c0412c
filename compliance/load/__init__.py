"""Stage 1: file → ``Source`` (one extracted text, blocks with offsets into it).

The format is sniffed from the content; the extension only breaks ties, so a file with a wrong
extension is read as what it is. Every failure is an ``InputError`` naming the file and a
one-line reason; no other exception leaves ``load``."""

from __future__ import annotations

import os
import re
import zipfile
from io import BytesIO
from pathlib import Path

from compliance.errors import InputError
from compliance.load.docx import load_docx
from compliance.load.html import load_html
from compliance.load.pdf import load_pdf
from compliance.load.text import load_text
from compliance.models.source import Source

__all__ = ["load", "load_bytes", "read"]

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_START = re.compile(r"^(?:\s|<\?xml[^>]*>|<!--.*?-->)*<(?:!doctype\s+html|html|head|body|meta)\b", re.I | re.S)
_HTML_TAG = re.compile(r"<(?:p|div|table|br|span|body|head|title)\b", re.I)


def _head(data: bytes) -> str:
    """The first kilobyte as text, whatever the encoding, for sniffing only."""
    chunk = data[:2048]
    if chunk.startswith((b"\xff\xfe", b"\xfe\xff")) or chunk[1:200:2].count(0) > 20 or chunk[0:200:2].count(0) > 20:
        le = chunk.startswith(b"\xff\xfe") or chunk[1:200:2].count(0) > chunk[0:200:2].count(0)
        return chunk.decode("utf-16-le" if le else "utf-16-be", errors="ignore").lstrip("\ufeff")
    return chunk.decode("utf-8", errors="ignore").lstrip("\ufeff")


def _zip_kind(data: bytes, path: str) -> str:
    try:
        names = zipfile.ZipFile(BytesIO(data)).namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise InputError(path, "corrupt .docx (not a valid zip archive)") from None
    if "word/document.xml" not in names:
        raise InputError(path, "zip archive is not a .docx")
    return "docx"


def _sniff(data: bytes, suffix: str, path: str) -> str:
    if data.startswith(b"%PDF") or data[:1024].lstrip().startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data, path)
    if data.startswith(_OLE):
        raise InputError(path, ".doc (Word 97-2003) is not supported; save it as .docx")
    if data.lstrip().startswith(b"{\\rtf"):
        raise InputError(path, "RTF is not supported; save it as .docx")
    head = _head(data)
    if _HTML_START.match(head) or (suffix in (".html", ".htm", ".xhtml") and _HTML_TAG.search(head)):
        return "html"
    return "md" if suffix in (".md", ".markdown") else "txt"


def read(path: str | os.PathLike) -> bytes:
    """The bytes of an input file, or an ``InputError`` naming it."""
    name = str(path)
    file = Path(path)
    try:
        if file.is_dir():
            raise InputError(name, "is a directory")
        return file.read_bytes()
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except PermissionError:
        raise InputError(name, "permission denied") from None
    except OSError as error:
        raise InputError(name, f"cannot read ({error.strerror or type(error).__name__})") from None


def load(path: str | os.PathLike) -> Source:
    """Read one report file into a ``Source``; raise ``InputError`` if it cannot be read."""
    return load_bytes(read(path), str(path))


def load_bytes(data: bytes, name: str) -> Source:
    """A file's content (``name`` gives the extension and the name in errors) → ``Source``."""
    if not data.strip():
        raise InputError(name, "empty file")
    suffix = Path(name).suffix.lower()
    kind = _sniff(data, suffix, name)
    try:
        if kind == "pdf":
            return load_pdf(data, name)
        if kind == "docx":
            return load_docx(data, name)
        if kind == "html":
            return load_html(data, name)
        try:
            return load_text(data, name, kind)
        except InputError:
            # Content that is neither text nor the format its extension claims: name the format.
            if suffix == ".docx":
                raise InputError(name, "corrupt .docx (not a zip archive)") from None
            if suffix == ".pdf":
                raise InputError(name, "corrupt PDF (no %PDF header)") from None
            raise
    except InputError:
        raise
    except Exception as error:  # a library failing on input it was not built for: still one line
        raise InputError(name, f"cannot read file ({type(error).__name__})") from error
