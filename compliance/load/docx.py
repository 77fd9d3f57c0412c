"""Stage 1: .docx → Source. Body paragraphs and tables in document order, one line per
non-empty paragraph; tables as tab rows with gridSpan/vMerge merges resolved; a table nested
in a cell is flattened into that cell's text."""

from __future__ import annotations

import io

from compliance.errors import InputError
from compliance.load.blocks import TextBuilder, resolve_spans
from compliance.models.source import Source

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
P, TABLE = f"{_W}p", f"{_W}tbl"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Wrappers whose children are body content (content controls, custom XML, smart tags).
_WRAPPERS = {f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}smartTag"}


def pieces(element, out: list | None = None) -> list[tuple[str, object | None]]:
    """The text of a paragraph or cell as (text, w:t element) pieces in reading order; tabs
    (" "), breaks and paragraph ends ("\\n") come from markup and carry no element. ``fix``
    maps offsets back to the w:t elements through these pieces."""
    out = [] if out is None else out
    for node in element.iterchildren():
        tag = node.tag
        if tag == f"{_W}t":
            out.append((node.text or "", node))
        elif tag in (f"{_W}tab", f"{_W}ptab"):
            out.append((" ", None))
        elif tag in (f"{_W}br", f"{_W}cr"):
            out.append(("\n", None))
        elif tag == _MC_FALLBACK or tag in (f"{_W}delText", f"{_W}instrText"):
            continue  # a text box's fallback copy would repeat its text
        else:
            if tag == P and out:
                out.append(("\n", None))
            pieces(node, out)
    return out


def _text(element) -> str:
    """All text of a paragraph or cell; tabs as spaces, breaks and paragraphs as newlines."""
    return "".join(text for text, _ in pieces(element))


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


def _written(table) -> list[list[list]]:
    """Cells as written, [w:tc or None, rowspan, colspan, grid column, continues] per cell;
    vMerge continuations extend the cell above (gridBefore positions have no w:tc)."""
    written: list[list[list]] = []
    for tr in _children(table, f"{_W}tr"):
        row, col = [], 0
        skipped = _span(tr.find(f"{_W}trPr"), "gridBefore")
        for _ in range(int(skipped) if skipped and skipped.isdigit() else 0):
            row.append([None, 1, 1, col, False])
            col += 1
        for tc in _children(tr, f"{_W}tc"):
            props = tc.find(f"{_W}tcPr")
            span, merge = _span(props, "gridSpan"), _span(props, "vMerge")
            colspan = int(span) if span and span.isdigit() else 1
            row.append([tc, 1, colspan, col, merge is not None and merge != "restart"])
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
    return written


def _rows(table) -> list[list[tuple[str, int, int]]]:
    """(text, rowspan, colspan) per cell as written, continuations merged into the cell above."""
    return [
        [(_text(tc) if tc is not None else "", rowspan, colspan) for tc, rowspan, colspan, _, continues in row if not continues]
        for row in _written(table)
    ]


def cell_elements(table) -> list:
    """The w:tc elements whose text the loaded table shows, row by row (not continuations)."""
    return [cell[0] for row in _written(table) for cell in row if cell[0] is not None and not cell[4]]


def body_items(element):
    """Body paragraphs (w:p) and tables (w:tbl) in document order, through content-control wrappers."""
    for child in element.iterchildren():
        if child.tag in (P, TABLE):
            yield child
        elif child.tag in _WRAPPERS:
            yield from body_items(child)


def _body(body, builder: TextBuilder) -> None:
    for item in body_items(body):
        if item.tag == P:
            for line in _text(item).split("\n"):
                builder.paragraph(line)
        else:
            builder.table(resolve_spans(_rows(item)))


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
