"""Stage 1: .html → Source. Paragraph-level text and tables (rowspan/colspan resolved);
scripts, styles, navigation, headers, footers and share bars dropped."""

from __future__ import annotations

import re

from compliance.errors import InputError
from compliance.load.blocks import TextBuilder, resolve_spans
from compliance.load.text import decode
from compliance.models.source import Source

_DROP = {"script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form",
         "iframe", "button", "select", "head", "svg"}
_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "blockquote",
           "pre", "dt", "dd", "ul", "ol", "dl", "center", "main", "body", "td", "th", "caption", "figure"}
_JUNK_NAME = re.compile(r"(^|[\s_-])(nav|navbar|menu|breadcrumbs?|footer|share|sharebar)($|[\s_-])", re.I)
_SPACE = re.compile(r"[ \t\r\n\f\v]+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.I)


def _is_junk(element) -> bool:
    if not isinstance(element.tag, str) or element.tag.lower() in _DROP:
        return True
    if (element.get("role") or "").lower() == "navigation":
        return True
    return bool(_JUNK_NAME.search(" ".join(filter(None, (element.get("id"), element.get("class"))))))


class _Walker:
    def __init__(self) -> None:
        self.builder = TextBuilder()
        self.line: list[str] = []

    def flush(self) -> None:
        text = _SPACE.sub(" ", "".join(self.line)).strip(" \u3000")
        self.line = []
        if text:
            self.builder.paragraph(text)

    def inline_text(self, element) -> str:
        """A table cell's text (nested blocks become line breaks, cleaned later)."""
        parts = [element.text or ""]
        for child in element:
            if not _is_junk(child):
                parts.append(("\n" if child.tag in _BLOCKS or child.tag == "br" else "") + self.inline_text(child))
            parts.append(child.tail or "")
        return _SPACE.sub(lambda m: "\n" if "\n" in m.group() else " ", "".join(parts))

    def table(self, element) -> None:
        rows = [
            [
                (self.inline_text(td), int(td.get("rowspan") or 1), int(td.get("colspan") or 1))
                for td in tr
                if isinstance(td.tag, str) and td.tag in ("td", "th")
            ]
            for tr in element.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
        ]
        self.builder.table(resolve_spans(rows))

    def walk(self, element) -> None:
        if _is_junk(element):
            return
        if element.tag == "table":
            self.flush()
            self.table(element)
            return
        if element.tag in _BLOCKS or element.tag == "br":
            self.flush()
        self.line.append(element.text or "")
        for child in element:
            self.walk(child)
            self.line.append(child.tail or "")
        if element.tag in _BLOCKS:
            self.flush()


def load_html(data: bytes, path: str) -> Source:
    import lxml.html  # imported here: only .html inputs pay for it

    declared = _META_CHARSET.search(data[:4096])
    try:
        text = data.decode(declared.group(1).decode()) if declared else decode(data, path)[0]
    except (LookupError, UnicodeDecodeError):
        text = decode(data, path)[0]
    try:
        root = lxml.html.document_fromstring(text)
    except Exception as error:  # lxml raises ParserError on empty or hopeless documents
        raise InputError(path, f"not a readable HTML document ({error})") from error
    walker = _Walker()
    body = root.find("body")
    walker.walk(body if body is not None else root)
    walker.flush()
    if not walker.builder.parts:
        raise InputError(path, "no text found")
    encoding = declared.group(1).decode().lower() if declared else None
    return walker.builder.source(path, "html", data, encoding)
