"""Stage 1: .html → Source. One line per block element (p, div, h1–h6, li, br…), whitespace
collapsed; tables as tab rows with rowspan/colspan resolved; scripts, styles, navigation,
headers, footers, share bars and comments dropped. Layout tables (a page wrapped in a table)
are read as ordinary blocks, not as a table.

Nesting of any depth reads right: the tree is walked with a stack of its own, never by recursion,
and parsed without libxml2's default depth of 256 (beyond which it drops the rest of the page);
a page nested deeper than libxml2 parses at all (2 048 levels) is refused, never read short."""

from __future__ import annotations

import codecs
import re

from compliance.errors import InputError
from compliance.i18n import _
from compliance.load.blocks import TextBuilder, resolve_spans
from compliance.load.text import decode
from compliance.models.config import Limits
from compliance.models.source import Source

_DROP = {
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "iframe",
    "button",
    "select",
    "head",
    "svg",
    "object",
    "embed",
    "map",
    "textarea",
    "input",
}
_BLOCKS = {
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "section",
    "article",
    "blockquote",
    "pre",
    "dt",
    "dd",
    "ul",
    "ol",
    "dl",
    "center",
    "main",
    "body",
    "tr",
    "td",
    "th",
    "caption",
    "figure",
    "figcaption",
    "hr",
    "address",
    "details",
    "summary",
    "fieldset",
    "legend",
    "table",
}
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
    def __init__(self, path: str = "", max_chars: int | None = None) -> None:
        self.builder = TextBuilder(path=path, max_chars=max_chars)
        self.line: list[str] = []

    def flush(self) -> None:
        # The leading full-width spaces of a Chinese paragraph are indentation, not text.
        text = _SPACE.sub(" ", _CJK_BREAK.sub("", "".join(self.line))).strip(" \u3000")
        self.line = []
        if text:
            self.builder.paragraph(text)

    @staticmethod
    def cell_text(element) -> str:
        """A table cell's text; nested blocks become line breaks (cleaned by the builder). Each
        element's text is cleaned line by line before its parent's is, as a recursion would."""

        def cleaned(text: str) -> str:
            return "\n".join(_SPACE.sub(" ", line).strip() for line in text.split("\n"))

        stack = [(element, [element.text or ""], iter(element))]
        while True:
            node, parts, children = stack[-1]
            child = next(children, None)
            if child is not None:
                if _is_junk(child):
                    parts.append(child.tail or "")
                else:
                    stack.append((child, [child.text or ""], iter(child)))
                continue
            text = cleaned("".join(parts))
            stack.pop()
            if not stack:
                return text
            block = node.tag in _BLOCKS or node.tag == "br"
            outer = stack[-1][1]
            outer.append(("\n" if block else "") + text + ("\n" if block else ""))
            outer.append(node.tail or "")

    def _cells(self, element) -> list[list]:
        rows = element.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
        return [[td for td in tr if isinstance(td.tag, str) and td.tag in ("td", "th")] for tr in rows]

    def _table(self, element, tasks: list) -> None:
        """A table: its captions, then its cells as blocks (a layout table) or as a table."""
        rows = self._cells(element)
        cells = [td for row in rows for td in row]
        layout = (
            max((len(row) for row in rows), default=0) <= 1
            or any(td.xpath(".//table") for td in cells)
            or any(len(td.text_content()) > _LAYOUT_CELL_CHARS for td in cells)
        )
        then: list = []  # in order; pushed reversed, since the stack runs last in, first out
        for caption in element.xpath("./caption"):
            then += [("open", caption), ("flush", None)]
        if layout:
            for td in cells:
                then += [("open", td), ("flush", None)]
        else:
            spans = [
                [(self.cell_text(td), _int(td.get("rowspan")), _int(td.get("colspan"))) for td in row] for row in rows
            ]
            then.append(("table", spans))
        tasks.extend(reversed(then))

    def walk(self, root) -> None:
        """The text of ``root`` (not its tail), in document order."""
        tasks: list = [("open", root)]
        while tasks:
            action, item = tasks.pop()
            if action == "open":
                self._open(item, tasks)
            elif action == "tail":
                self.line.append(item.tail or "")
            elif action == "close":
                if item.tag in _BLOCKS:
                    self.flush()
            elif action == "flush":
                self.flush()
            else:  # "table"
                self.builder.table(resolve_spans(item))

    def _open(self, element, tasks: list) -> None:
        if _is_junk(element):
            return
        tag = element.tag
        if tag == "table":
            self.flush()
            self._table(element, tasks)
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
        tasks.append(("close", element))
        for child in reversed(element):
            tasks += [("tail", child), ("open", child)]


def _int(value: str | None) -> int:
    digits = re.match(r"\s*(\d+)", value or "")
    return int(digits.group(1)) if digits else 1


def load_html(data: bytes, path: str, limits: Limits | None = None) -> Source:
    import lxml.html  # imported here: only .html inputs pay for it

    limits = limits or Limits()
    text, encoding = _decode(data, path)
    # lxml refuses str input that carries an XML encoding declaration, and control characters.
    text = _CONTROL.sub("", _XML_DECLARATION.sub("", text.lstrip("\ufeff"), count=1))
    if not text.strip():
        raise InputError(path, _("文件为空"))
    # huge_tree: libxml2's default depth of 256 would drop everything below it. The HTML parser
    # loads no DTD and expands no entity but HTML's own.
    parser = lxml.html.HTMLParser(huge_tree=True)
    try:
        root = lxml.html.document_fromstring(text, parser=parser)
    except Exception as error:  # lxml raises ParserError on hopeless documents
        raise InputError(path, _("无法读取的 HTML 文档（{error}）").format(error=type(error).__name__)) from error
    if any(entry.type_name == "ERR_RESOURCE_LIMIT" for entry in parser.error_log):
        raise InputError(path, _("HTML 嵌套过深，无法读取（libxml2 只读 2 048 层，页面其余部分会丢失）"))
    walker = _Walker(path, limits.max_text_chars)
    body = root.find("body")
    walker.walk(body if body is not None else root)
    walker.flush()
    if walker.builder.empty:
        raise InputError(path, _("未找到文字"))
    return walker.builder.source(path, "html", data, encoding)
