"""Stage 1: file → ``Source`` (one extracted text, blocks with offsets into it).

The format is sniffed from the content; the extension only breaks ties, so a file with a wrong
extension is read as what it is. Every failure is an ``InputError`` naming the file and a
one-line reason; no other exception leaves ``load``.

Nothing an input holds can make loading hang or eat memory (issue 14): only regular files are
read (a FIFO or a device is refused at once), and every limit of ``Limits`` (the file's size, the
extracted text's length, what a .docx or PDF unpacks to, a PDF's pages and the operations of a
page) refuses the file with an ``InputTooLarge`` that names the limit."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from compliance.errors import InputError, InputTooLarge
from compliance.i18n import _
from compliance.load.blocks import megabytes
from compliance.load.docx import is_docx, load_docx
from compliance.load.html import load_html
from compliance.load.pdf import load_pdf
from compliance.load.text import load_text
from compliance.models.config import Limits
from compliance.models.source import Source, SourceFormat

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


def _sniff(data: bytes, suffix: str, path: str, limits: Limits) -> SourceFormat:
    if data.startswith(b"%PDF") or data[:1024].lstrip().startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        if not is_docx(data, path, limits):
            raise InputError(path, _("是 zip 压缩包，不是 .docx"))
        return "docx"
    if data.startswith(_OLE):
        raise InputError(path, _("不支持 .doc（Word 97-2003）文件，请另存为 .docx"))
    if data.lstrip().startswith(b"{\\rtf"):
        raise InputError(path, _("不支持 RTF 文件，请另存为 .docx"))
    head = _head(data)
    if _HTML_START.match(head) or (suffix in (".html", ".htm", ".xhtml") and _HTML_TAG.search(head)):
        return "html"
    return "md" if suffix in (".md", ".markdown") else "txt"


def _too_large(name: str, size: int, limits: Limits) -> InputTooLarge:
    reason = _("文件过大：{size}，超过 {most:g} MB").format(size=megabytes(size), most=limits.max_input_mb)
    return InputTooLarge(name, reason, "max-input-mb")


def read(path: str | os.PathLike, limits: Limits | None = None) -> bytes:
    """The bytes of an input file, or an ``InputError`` naming it: only a regular file (a FIFO,
    socket or device is refused before anything is read from it), of at most ``max-input-mb``
    (checked before reading, and while reading, should the file grow)."""
    limits = limits or Limits()
    name = str(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        # O_NONBLOCK: opening a FIFO does not wait for a writer; the type is checked on the
        # descriptor itself, so a file swapped for a FIFO after a check cannot block either.
        descriptor = os.open(path, flags)
    except FileNotFoundError:
        raise InputError(name, _("文件不存在")) from None
    except IsADirectoryError:
        raise InputError(name, _("是文件夹，不是文件")) from None
    except PermissionError:
        if Path(path).is_dir():
            raise InputError(name, _("是文件夹，不是文件")) from None
        raise InputError(name, _("没有读取权限")) from None
    except OSError as error:
        raise InputError(name, _("无法读取（{error}）").format(error=error.strerror or type(error).__name__)) from None
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(name, _("是文件夹，不是文件"))
        if not stat.S_ISREG(mode):
            kind = _("管道") if stat.S_ISFIFO(mode) else _("套接字") if stat.S_ISSOCK(mode) else _("设备")
            raise InputError(name, _("不是普通文件（{kind}）").format(kind=kind))
        size = os.fstat(descriptor).st_size
        if size > limits.max_input_bytes:
            raise _too_large(name, size, limits)
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)
        with os.fdopen(descriptor, "rb", closefd=False) as file:
            data = file.read(limits.max_input_bytes + 1)
        if len(data) > limits.max_input_bytes:  # it grew while being read
            raise _too_large(name, len(data), limits)
        return data
    except OSError as error:
        raise InputError(name, _("无法读取（{error}）").format(error=error.strerror or type(error).__name__)) from None
    finally:
        os.close(descriptor)


def load(path: str | os.PathLike, limits: Limits | None = None) -> Source:
    """Read one report file into a ``Source``; raise ``InputError`` if it cannot be read, an
    ``InputTooLarge`` if it goes beyond ``limits`` (the defaults of ``Limits`` if not given)."""
    limits = limits or Limits()
    return load_bytes(read(path, limits), str(path), limits)


def load_bytes(data: bytes, name: str, limits: Limits | None = None) -> Source:
    """A file's content (``name`` gives the extension and the name in errors) → ``Source``."""
    limits = limits or Limits()
    if len(data) > limits.max_input_bytes:
        raise _too_large(name, len(data), limits)
    if not data.strip():
        raise InputError(name, _("文件为空"))
    suffix = Path(name).suffix.lower()
    try:
        kind = _sniff(data, suffix, name, limits)
        if kind == "pdf":
            return load_pdf(data, name, limits)
        if kind == "docx":
            return load_docx(data, name, limits)
        if kind == "html":
            return load_html(data, name, limits)
        try:
            return load_text(data, name, kind, limits)
        except InputTooLarge:
            raise
        except InputError:
            # Content that is neither text nor the format its extension claims: name the format.
            if suffix == ".docx":
                raise InputError(name, _("不是有效的 .docx（不是 zip 压缩包）")) from None
            if suffix == ".pdf":
                raise InputError(name, _("不是有效的 PDF（没有 %PDF 文件头）")) from None
            raise
    except InputError:
        raise
    except MemoryError:
        raise InputError(name, _("无法读取文件（内存不足）")) from None
    except Exception as error:  # a library failing on input it was not built for: still one line
        raise InputError(name, _("无法读取文件（{error}）").format(error=type(error).__name__)) from error
