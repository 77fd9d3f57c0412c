"""Stage 1: .docx → Source. Body paragraphs and tables in document order, one line per
non-empty paragraph; tables as tab rows with gridSpan/vMerge merges resolved; a table nested
in a cell is flattened into that cell's text."""

from __future__ import annotations

import io

from compliance.errors import InputError
from compliance.load.blocks import TextBuilder, resolve_spans
from compliance.models.source import Source

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Wrappers whose children are body content (content controls, custom XML, smart tags).
_WRAPPERS = {f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}smartTag"}


def _text(element, parts: list[str] | None = None) -> str:
    """All text of a paragraph or cell; tabs as spaces, breaks and paragraphs as newlines."""
    parts = [] if parts is None else parts
    for node in element.iterchildren():
        tag = node.tag
        if tag == f"{_W}t":
            parts.append(node.text or "")
        elif tag in (f"{_W}tab", f"{_W}ptab"):
            parts.append(" ")
        elif tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif tag == _MC_FALLBACK or tag in (f"{_W}delText", f"{_W}instrText"):
            continue  # a text box's fallback copy would repeat its text
        else:
            if tag == f"{_W}p" and parts:
                parts.append("\n")
            _text(node, parts)
    return "".join(parts)


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


def _rows(table) -> list[list[tuple[str, int, int]]]:
    """(text, rowspan, colspan) per cell as written; vMerge continuations extend the cell above."""
    written: list[list[list]] = []  # [text, rowspan, colspan, grid column, continues]
    for tr in _children(table, f"{_W}tr"):
        row, col = [], 0
        skipped = _span(tr.find(f"{_W}trPr"), "gridBefore")
        for _ in range(int(skipped) if skipped and skipped.isdigit() else 0):
            row.append(["", 1, 1, col, False])
            col += 1
        for tc in _children(tr, f"{_W}tc"):
            props = tc.find(f"{_W}tcPr")
            span, merge = _span(props, "gridSpan"), _span(props, "vMerge")
            colspan = int(span) if span and span.isdigit() else 1
            row.append([_text(tc), 1, colspan, col, merge is not None and merge != "restart"])
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
    return [[(text, rowspan, colspan) for text, rowspan, colspan, _, continues in row if not continues] for row in written]


def _body(element, builder: TextBuilder) -> None:
    for child in element.iterchildren():
        if child.tag == f"{_W}p":
            for line in _text(child).split("\n"):
                builder.paragraph(line)
        elif child.tag == f"{_W}tbl":
            builder.table(resolve_spans(_rows(child)))
        elif child.tag in _WRAPPERS:
            _body(child, builder)


def load_docx(data: bytes, path: str) -> Source:
    from docx import Document  # imported here: only .docx inputs pay for it

    try:
        body = Document(io.BytesIO(data)).element.body
    except Exception as error:  # python-docx lets zipfile, lxml and OPC errors through
        detail = str(error).splitlines()[0][:120] if str(error) else type(error).__name__
        raise InputError(path, f"corrupt .docx ({detail})") from error
    builder = TextBuilder()
    _body(body, builder)
    if builder.empty:
        raise InputError(path, "no text found")
    return builder.source(path, "docx", data)
