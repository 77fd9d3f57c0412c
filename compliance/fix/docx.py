"""Writing edits into a .docx: each edited character is traced to the w:t element (the text of a
run) that holds it, and only those texts change, so every run keeps its formatting and the rest
of the package (styles, headers, numbering) is saved as it was read.

An edit over several runs puts its replacement in the first run and removes the rest of its span
from the following ones. Edits the runs cannot carry are skipped with a reason."""

from __future__ import annotations

import io
from typing import Any

from compliance.i18n import N_
from compliance.load.blocks import clean_cell
from compliance.load.docx import P, body_items, cell_elements, pieces
from compliance.models.findings import Edit
from compliance.models.source import Source

CROSSES = N_("跨越段落或表格单元格")
MARKUP = N_("跨越制表符或换行")
MISSING = N_("在文档的文字块中找不到")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

Origin = tuple[Any, int]  # (w:t element or None: a tab or break, index in its text)


def _chars(element) -> list[tuple[str, Origin]]:
    return [(ch, (node, i)) for text, node in pieces(element) for i, ch in enumerate(text)]


def _aligned(shown: str, chars: list[tuple[str, Origin]]) -> list[Origin]:
    """Where each character of ``shown`` comes from. The loader only drops whitespace, turns it
    into spaces or adds spaces where cell lines join, so all other characters match in order."""
    origins, j = [], 0
    for ch in shown:
        while j < len(chars) and chars[j][0] != ch and chars[j][0].isspace() and not ch.isspace():
            j += 1  # whitespace the loader dropped
        if j < len(chars) and (chars[j][0] == ch or (ch.isspace() and chars[j][0].isspace())):
            origins.append(chars[j][1])
            j += 1
        else:
            origins.append((None, 0))  # a space the loader put in
    return origins


def _document_units(body):
    """(text, origins) of every line and table cell as the loader shows them, in order."""
    for item in body_items(body):
        if item.tag == P:
            line: list[tuple[str, Origin]] = []
            for ch, origin in _chars(item) + [("\n", (None, 0))]:
                if ch != "\n":
                    line.append((ch, origin))
                    continue
                shown = "".join(c for c, _ in line).replace("\t", " ").strip()
                if shown:
                    yield shown, _aligned(shown, line)
                line = []
        else:
            for tc in cell_elements(item):
                chars = _chars(tc)
                shown = clean_cell("".join(c for c, _ in chars))
                if shown:
                    yield shown, _aligned(shown, chars)


def _source_units(source: Source):
    """(start, text) of every paragraph line and non-empty table cell of the loaded text; a line
    without the spaces around it, as the document's units are shown (a text draft keeps them)."""
    for block in source.blocks:
        if block.kind == "paragraph":
            line = source.text[block.start : block.end]
            yield block.start + len(line) - len(line.lstrip()), line.strip()
        else:
            yield from ((cell.start, cell.text) for cell in block.cells if cell.merged_into is None and cell.text)


def trace(body, source: Source) -> dict[int, Origin]:
    """Offset in ``source.text`` → origin, for every character inside a line or cell. Units are
    matched in order by their text, so one unit read differently cannot shift the others."""
    units = list(_document_units(body))
    where: dict[int, Origin] = {}
    j = 0
    for start, text in _source_units(source):
        k = next((k for k in range(j, len(units)) if units[k][0] == text), None)
        if k is not None:
            where.update((start + i, origin) for i, origin in enumerate(units[k][1]))
            j = k + 1
    return where


def _paragraph(node):
    while node.tag != P:
        node = node.getparent()
    return node


def _anchor(edit: Edit, where: dict[int, Origin]) -> Origin | None:
    """Where an insertion goes: before the character at its offset, else after the one before."""
    node, index = where.get(edit.start, (None, 0))
    if node is not None:
        return node, index
    node, index = where.get(edit.start - 1, (None, 0))
    return (node, index + 1) if node is not None else None


def _reason(edit: Edit, where: dict[int, Origin], text: str) -> str | None:
    if edit.start == edit.end:
        return None if _anchor(edit, where) else MISSING
    span = range(edit.start, edit.end)
    if any(i not in where for i in span):
        # outside every line and cell: a line or cell separator, or a unit the runs do not hold
        return CROSSES if any(text[i] in "\n\t" and i not in where for i in span) else MISSING
    nodes = [where[i][0] for i in span]
    if len({_paragraph(n) for n in nodes if n is not None}) > 1:
        return CROSSES
    return MARKUP if None in nodes else None


def _set(node, text: str) -> None:
    node.text = text
    node.set(_XML_SPACE, "preserve")  # Word drops a run's leading and trailing spaces otherwise


def _apply(edit: Edit, where: dict[int, Origin]) -> None:
    if edit.start == edit.end:
        anchor = _anchor(edit, where)
        assert anchor is not None  # _reason found it, or the edit is skipped
        node, index = anchor
        _set(node, node.text[:index] + edit.replacement + node.text[index:])
        return
    spans: dict[Any, list[int]] = {}  # w:t → [first, last] index of the span, in text order
    for i in range(edit.start, edit.end):
        node, index = where[i]
        spans.setdefault(node, [index, index])[1] = index
    for position, (node, (first, last)) in enumerate(spans.items()):
        _set(node, node.text[:first] + (edit.replacement if position == 0 else "") + node.text[last + 1 :])


def rewrite_docx(data: bytes, source: Source, edits: list[Edit]) -> tuple[bytes, list[str | None]]:
    """The .docx with ``edits`` (non-overlapping, offsets into ``source.text``) applied, and per
    edit None when it was applied, else why it was skipped."""
    from docx import Document  # imported here: only .docx outputs pay for it

    document = Document(io.BytesIO(data))
    where = trace(document.element.body, source)
    reasons = [_reason(edit, where, source.text) for edit in edits]
    # Last first: an edit changes its runs only at and after its own characters.
    for edit, reason in sorted(zip(edits, reasons), key=lambda pair: (pair[0].start, pair[0].end), reverse=True):
        if reason is None:
            _apply(edit, where)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue(), reasons
