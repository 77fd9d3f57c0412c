"""Stage 1: .pdf → Source (pdfplumber). Per page, the text lines outside tables and the tables'
rows, top to bottom; PDF line wraps kept as lines (the parser joins them); page numbers dropped.
A table row that is one cell across the whole width (a caption such as "第二十条第（五）项")
is a line, which splits the table; a table continued on the next page with the same columns
is one table.

A PDF whose fonts carry no text mapping extracts as "(cid:NNN)" codes: it is refused."""

from __future__ import annotations

import io
import re

from compliance.errors import InputError
from compliance.load.blocks import GridCell, TextBuilder
from compliance.models.source import Source

_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–－−~·\s]*\d{1,4}[-—–－−~·\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|page\s*\d{1,4}(?:\s*of\s*\d{1,4})?)\s*$",
    re.I,
)
_CID = re.compile(r"\(cid:\d+\)")
_BAD_CHARS = re.compile(r"[\ufffd\ue000-\uf8ff]")
# Above this share of the extracted text in (cid:N) codes or unmapped glyphs the fonts are unusable.
_MAX_BAD_SHARE = 0.2
# Page numbers live in the top or bottom margin; a lone number elsewhere is content.
_MARGIN = 0.15
_NO_TEXT_MAPPING = "PDF has no usable text: the embedded fonts have no text mapping ((cid:N) glyph codes)"


def _grid(table) -> list[list[GridCell]]:
    """pdfplumber leaves None where no cell starts: find the cell whose box covers the spot."""
    xs = sorted({cell[0] for cell in table.cells})
    boxes: dict[tuple[int, int], tuple] = {}
    grid: list[list[GridCell]] = []
    for r, (row, values) in enumerate(zip(table.rows, table.extract())):
        top, cells = row.bbox[1], []
        for c, (box, value) in enumerate(zip(row.cells, values)):
            if box is not None:
                boxes[(r, c)] = box
                cells.append(GridCell(text=value or "", origin=(r, c)))
                continue
            x = xs[min(c, len(xs) - 1)]
            covering = (o for o, b in boxes.items() if b[0] <= x + 1 < b[2] and b[1] <= top + 1 < b[3])
            origin = next(covering, None) or (cells[-1].origin if c else grid[-1][0].origin if grid else (r, c))
            if origin == (r, c):
                cells.append(GridCell(text="", origin=origin))
            else:
                owner = grid[origin[0]][origin[1]] if origin[0] < r else cells[origin[1]]
                cells.append(GridCell(text=owner.text, origin=origin))
        grid.append(cells)
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            owner = grid[cell.origin[0]][cell.origin[1]]
            owner.rowspan = max(owner.rowspan, r - cell.origin[0] + 1)
            owner.colspan = max(owner.colspan, c - cell.origin[1] + 1)
    return grid


def _shifted(rows: list[list[GridCell]], offset: int) -> list[list[GridCell]]:
    """The rows with their merge origins moved ``offset`` rows (a table cut or joined)."""
    return [[GridCell(c.text, (c.origin[0] + offset, c.origin[1]), c.rowspan, c.colspan) for c in row] for row in rows]


def _split(grid: list[list[GridCell]]) -> list[tuple[str, object]]:
    """("line", text) for rows that are one cell across the whole width, ("table", grid) between."""
    items: list[tuple[str, object]] = []
    start = 0
    for r, row in enumerate(grid + [None]):
        caption = row is not None and len(row) > 1 and all(cell.origin == (r, 0) for cell in row)
        if row is not None and not caption:
            continue
        if r > start:
            items.append(("table", _shifted(grid[start:r], -start)))
        if caption:
            items.append(("line", row[0].text))
        start = r + 1
    return items


def _is_real_table(grid: list[list[GridCell]]) -> bool:
    """Boxed prose comes out as a one-column "table"."""
    own = ([cell.text for c, cell in enumerate(row) if cell.origin == (r, c)] for r, row in enumerate(grid))
    return any(sum(1 for text in texts if text) > 1 for texts in own)


def _page_items(page) -> list[tuple[float, str, object]]:
    """(top, kind, payload) for the page's text lines and tables, top to bottom."""
    items: list[tuple[float, str, object]] = []
    boxes = []
    for table in page.find_tables():
        grid = _grid(table)
        if not _is_real_table(grid):
            continue
        boxes.append(table.bbox)
        for n, (kind, payload) in enumerate(_split(grid)):
            items.append((table.bbox[1] + n * 1e-3, kind, payload))
    height = float(page.height) or 1.0
    for line in page.extract_text_lines(return_chars=False):
        middle = (line["top"] + line["bottom"]) / 2
        if any(b[1] <= middle <= b[3] and line["x0"] < b[2] and line["x1"] > b[0] for b in boxes):
            continue
        in_margin = line["top"] > height * (1 - _MARGIN) or line["bottom"] < height * _MARGIN
        if not (in_margin and _PAGE_NUMBER.match(line["text"])):
            items.append((line["top"], "line", line["text"]))
    return sorted(items, key=lambda item: item[0])


def _join_continued(items: list[tuple[str, object]]) -> list[tuple[str, object]]:
    """A table directly followed by one with the same width (next page) is one table."""
    joined: list[tuple[str, object]] = []
    for kind, payload in items:
        previous = joined[-1] if joined else None
        if kind == "table" and previous and previous[0] == "table" and len(previous[1][0]) == len(payload[0]):
            previous[1].extend(_shifted(payload, len(previous[1])))
        else:
            joined.append((kind, payload))
    return joined


def load_pdf(data: bytes, path: str) -> Source:
    import pdfplumber  # imported here: only PDF inputs pay for it

    items: list[tuple[str, object]] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                items.extend((kind, payload) for _, kind, payload in _page_items(page))
    except Exception as error:  # pdfminer raises many types for damaged or protected files
        reason = f"{type(error).__name__} {error!r} {getattr(error, '__cause__', '')!r}"
        if "Password" in reason or "Encrypt" in reason:
            raise InputError(path, "encrypted PDF") from error
        raise InputError(path, "cannot read PDF (damaged or truncated file)") from error
    builder = TextBuilder()
    for kind, payload in _join_continued(items):
        if kind == "table":
            builder.table(payload)
        else:
            builder.paragraph(payload)
    text = "".join(builder.parts)
    visible = len(re.sub(r"\s", "", text))
    if not visible:
        raise InputError(path, "PDF has no text layer (scanned image?)")
    if sum(map(len, _CID.findall(text))) + len(_BAD_CHARS.findall(text)) > _MAX_BAD_SHARE * visible:
        raise InputError(path, _NO_TEXT_MAPPING)
    return builder.source(path, "pdf", data)
