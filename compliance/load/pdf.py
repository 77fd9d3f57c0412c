"""Stage 1: .pdf → Source (pdfplumber). Text lines outside tables and the tables' rows, in
reading order per page; page numbers dropped; PDF line wraps kept (the parser joins them).

A PDF whose fonts carry no text mapping extracts as "(cid:NNN)" codes: it is refused, not
checked as garbage."""

from __future__ import annotations

import io
import re

from compliance.errors import InputError
from compliance.load.blocks import GridCell, TextBuilder
from compliance.models.source import Source

_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–]\s*\d{1,3}\s*[-—–]|\d{1,3}|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3})\s*$")
_CID = re.compile(r"\(cid:\d+\)")
# Above this share of the extracted text in (cid:N) codes the fonts have no usable mapping.
_MAX_CID_SHARE = 0.2


def _grid(rows: list[list[str | None]]) -> list[list[GridCell]]:
    """pdfplumber marks a cell covered by a merge as None: it belongs to the cell to its left,
    or above when it starts a row."""
    grid: list[list[GridCell]] = []
    for r, row in enumerate(rows):
        cells: list[GridCell] = []
        for c, value in enumerate(row):
            if value is not None:
                cells.append(GridCell(text=value, origin=(r, c)))
            elif c > 0:
                cells.append(GridCell(text="", origin=cells[-1].origin))
            else:
                above = grid[-1][c].origin if grid and c < len(grid[-1]) else (r, c)
                cells.append(GridCell(text="", origin=above))
        grid.append(cells)
    return grid


def _is_real_table(rows: list[list[str | None]]) -> bool:
    """Boxed prose comes out as a one-column "table"."""
    return any(sum(1 for v in row if v not in (None, "")) > 1 for row in rows)


def _page_items(page) -> list[tuple[float, str, object]]:
    """(top, kind, payload) for the page's text lines and tables."""
    tables = [t for t in page.find_tables() if _is_real_table(t.extract())]
    items: list[tuple[float, str, object]] = []
    for table in tables:
        rows = table.extract()
        # A heading row merged across the whole table ("第二十条 第（一）项") reads as a line.
        while rows and sum(v is not None for v in rows[0]) == 1 and rows[0][0]:
            items.append((table.bbox[1] - 0.1, "line", rows.pop(0)[0]))
        if rows:
            items.append((table.bbox[1], "table", rows))
    for line in page.extract_text_lines():
        middle = (line["top"] + line["bottom"]) / 2
        if any(t.bbox[1] <= middle <= t.bbox[3] for t in tables):
            continue
        if not _PAGE_NUMBER.match(line["text"]):
            items.append((line["top"], "line", line["text"]))
    return sorted(items, key=lambda item: item[0])


def load_pdf(data: bytes, path: str) -> Source:
    import pdfplumber  # imported here: only PDF inputs pay for it

    builder = TextBuilder()
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                for _, kind, payload in _page_items(page):
                    if kind == "table":
                        builder.table(_grid(payload))
                    else:
                        builder.paragraph(payload)
    except Exception as error:  # pdfminer raises many types for damaged or protected files
        name = type(error).__name__
        if "Password" in name or "Encrypt" in name:
            raise InputError(path, "encrypted PDF") from error
        raise InputError(path, f"cannot read PDF ({name})") from error
    text = "".join(builder.parts)
    if not text.strip():
        raise InputError(path, "PDF has no text layer (scanned image?)")
    if len("".join(_CID.findall(text))) > _MAX_CID_SHARE * len(text):
        raise InputError(path, "PDF has no usable text: the embedded fonts have no text mapping ((cid:N) glyph codes)")
    return builder.source(path, "pdf", data)
