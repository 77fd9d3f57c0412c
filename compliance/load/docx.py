"""Stage 1: .docx → Source. Body paragraphs and tables in document order; merges resolved."""

from __future__ import annotations

import io
import zipfile

from compliance.errors import InputError
from compliance.load.blocks import TextBuilder, resolve_spans
from compliance.models.source import Source

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _text(element) -> str:
    """All text of a paragraph or cell, tabs and breaks as spaces."""
    parts = []
    for node in element.iter():
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag in (f"{_W}tab",):
            parts.append(" ")
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
        elif node.tag == f"{_W}p" and parts:
            parts.append("\n")
    return "".join(parts)


def _rows(table) -> list[list[tuple[str, int, int]]]:
    """(text, rowspan, colspan) per cell as written; vMerge continuations extend the cell above."""
    written: list[list[list]] = []
    for tr in table.iterchildren(f"{_W}tr"):
        row, col = [], 0
        for tc in tr.iterchildren(f"{_W}tc"):
            props = tc.find(f"{_W}tcPr")
            span = props.find(f"{_W}gridSpan") if props is not None else None
            merge = props.find(f"{_W}vMerge") if props is not None else None
            colspan = int(span.get(f"{_W}val", "1")) if span is not None else 1
            continued = merge is not None and merge.get(f"{_W}val", "continue") == "continue"
            row.append([_text(tc), 1, colspan, col, continued])
            col += colspan
        written.append(row)
    # Fold vertical continuations into the cell that starts the merge.
    for r, row in enumerate(written):
        for cell in row:
            if not cell[4]:
                continue
            for above in reversed(written[:r]):
                starter = next((c for c in above if c[3] == cell[3] and not c[4]), None)
                if starter is not None:
                    starter[1] += 1
                    break
                if not any(c[3] == cell[3] and c[4] for c in above):
                    break
    return [[(text, rowspan, colspan) for text, rowspan, colspan, _, continued in row if not continued] for row in written]


def load_docx(data: bytes, path: str) -> Source:
    from docx import Document  # imported here: only .docx inputs pay for it

    try:
        body = Document(io.BytesIO(data)).element.body
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise InputError(path, f"corrupt .docx ({type(error).__name__}: {error})".splitlines()[0]) from error
    except Exception as error:  # python-docx raises assorted lxml/opc errors on damaged packages
        raise InputError(path, f"corrupt .docx ({type(error).__name__})") from error
    builder = TextBuilder()
    for child in body.iterchildren():
        if child.tag == f"{_W}p":
            for line in _text(child).split("\n"):
                builder.paragraph(line)
        elif child.tag == f"{_W}tbl":
            builder.table(resolve_spans(_rows(child)))
    if not builder.parts:
        raise InputError(path, "no text found")
    return builder.source(path, "docx", data)
