"""Stage 1: .html → Source. One line per block element (p, div, h1–h6, li, br…), whitespace
collapsed; tables as tab rows with rowspan/colspan resolved; scripts, styles, navigation,
headers, footers, share bars and comments dropped. Layout tables (a page wrapped in a table)
are read as ordinary blocks, not as a table."""

from __future__ import annotations

import codecs
import re

from compliance.errors import InputError
from compliance.load.blocks import TextBuilder, resolve_spans
from compliance.load.text import decode
from compliance.models.source import Source

_DROP = {"script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "iframe",
         "button", "select", "head", "svg", "object", "embed", "map", "textarea", "input"}
_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "blockquote", "pre",
           "dt", "dd", "ul", "ol", "dl", "center", "main", "body", "tr", "td", "th", "caption", "figure",
           "figcaption", "hr", "address", "details", "summary", "fieldset", "legend", "table"}
_JUNK_TOKEN = re.compile(r"breadcrumb|crumbs|footer|share|(?:^|[^a-z])(?:nav|menu)|(?:nav|menu)(?:$|[^a-z])")
# A source line break between two CJK characters is no space (CSS segment-break rule).
_CJK_BREAK = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])[ \t\r\f]*\n\s*(?=[\u3000-\u9fff\uff00-\uffef])")
_SPACE = re.compile(r"[ \t\r\n\f\v\u00a0\u200b]+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Pages declared GB2312/GBK routinely use characters only the superset has.
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "big5": "big5hkscs"}
# A cell longer than this holds a page's content: the table is layout, not data.
_LAYOUT_CELL_CHARS = 400


def _is_junk(element) -> bool:
    if not isinstance(element.tag, str):
        return True  # comments and processing instructions
    tag = element.tag.lower()
    if tag in _DROP or (element.get("role") or "").lower() == "navigation":
        return True
    if tag in ("body", "html"):
        return False  # a body class like "has-navbar" must not drop the page
    if re.search(r"display\s*:\s*none", element.get("style") or "", re.I):
        return True
    # camelCase ids ("mainNav") count as separate tokens
    names = " ".join(filter(None, (element.get("id"), element.get("class"))))
    return bool(_JUNK_TOKEN.search(re.sub(r"([a-z])([A-Z])", r"\1 \2", names).lower()))


def _decode(data: bytes, path: str) -> tuple[str, str]:
    """BOM first, then <meta charset>, then detection as for plain text."""
    declared = _META_CHARSET.search(data[:4096])
    if declared and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        name = declared.group(1).decode("ascii").lower()
        name = _ALIASES.get(name, name)
        try:
            return data.decode(name), codecs.lookup(name).name
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration: detect instead
    return decode(data, path)


class _Walker:
    def __init__(self) -> None:
        self.builder = TextBuilder()
        self.line: list[str] = []

    def flush(self) -> None:
        # The leading full-width spaces of a Chinese paragraph are indentation, not text.
        text = _SPACE.sub(" ", _CJK_BREAK.sub("", "".join(self.line))).strip(" \u3000")
        self.line = []
        if text:
            self.builder.paragraph(text)

    def cell_text(self, element) -> str:
        """A table cell's text; nested blocks become line breaks (cleaned by the builder)."""
        parts = [element.text or ""]
        for child in element:
            if not _is_junk(child):
                block = child.tag in _BLOCKS or child.tag == "br"
                parts.append(("\n" if block else "") + self.cell_text(child) + ("\n" if block else ""))
            parts.append(child.tail or "")
        text = "".join(parts)
        return "\n".join(_SPACE.sub(" ", line).strip() for line in text.split("\n"))

    def _cells(self, element) -> list[list]:
        rows = element.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
        return [[td for td in tr if isinstance(td.tag, str) and td.tag in ("td", "th")] for tr in rows]

    def table(self, element) -> None:
        rows = self._cells(element)
        cells = [td for row in rows for td in row]
        layout = (
            max((len(row) for row in rows), default=0) <= 1
            or any(td.xpath(".//table") for td in cells)
            or any(len(td.text_content()) > _LAYOUT_CELL_CHARS for td in cells)
        )
        for caption in element.xpath("./caption"):
            self.walk(caption)
            self.flush()
        if layout:
            for td in cells:
                self.walk(td)
                self.flush()
            return
        spans = [[(self.cell_text(td), _int(td.get("rowspan")), _int(td.get("colspan"))) for td in row] for row in rows]
        self.builder.table(resolve_spans(spans))

    def walk(self, element) -> None:
        if _is_junk(element):
            return
        tag = element.tag
        if tag == "table":
            self.flush()
            self.table(element)
            return
        if tag == "pre":
            self.flush()
            for line in element.text_content().split("\n"):
                self.line.append(line)
                self.flush()
            return
        if tag in _BLOCKS or tag == "br":
            self.flush()
        self.line.append(element.text or "")
        for child in element:
            self.walk(child)
            self.line.append(child.tail or "")
        if tag in _BLOCKS:
            self.flush()


def _int(value: str | None) -> int:
    digits = re.match(r"\s*(\d+)", value or "")
    return int(digits.group(1)) if digits else 1


def load_html(data: bytes, path: str) -> Source:
    import lxml.html  # imported here: only .html inputs pay for it

    text, encoding = _decode(data, path)
    # lxml refuses str input that carries an XML encoding declaration, and control characters.
    text = _CONTROL.sub("", _XML_DECLARATION.sub("", text.lstrip("\ufeff"), count=1))
    if not text.strip():
        raise InputError(path, "empty file")
    try:
        root = lxml.html.document_fromstring(text)
    except Exception as error:  # lxml raises ParserError on hopeless documents
        raise InputError(path, f"not a readable HTML document ({type(error).__name__})") from error
    walker = _Walker()
    body = root.find("body")
    walker.walk(body if body is not None else root)
    walker.flush()
    if walker.builder.empty:
        raise InputError(path, "no text found")
    return walker.builder.source(path, "html", data, encoding)
