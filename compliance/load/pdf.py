"""Stage 1: .pdf → Source (pdfplumber). Per page, the text lines outside tables and the tables'
rows, top to bottom; PDF line wraps kept as lines (the parser joins them); page numbers dropped.
A table row that is one cell across the whole width (a caption such as "第二十条第（五）项")
is a line, which splits the table; a table continued on the next page with the same columns
is one table.

A PDF whose fonts carry no text mapping extracts as "(cid:NNN)" codes: it is refused.

pdfplumber's reading, made fast (tests/load/golden/ holds it to what pdfplumber read): a page's
content streams run through ``pdfpage`` (pdfminer's interpreter, its tokens and frequent operators
read the short way), a table row finds its chars by bisection, and a cell's text and a page's
text lines are worked out directly where their chars are upright (by pdfplumber otherwise).

Limits (``Limits``): the pages are counted as they are found, the operations of a page (its
content-stream operands and operators, and the glyphs, paths and images it draws) as pdfminer
runs them, and what the streams unpack to as they are unpacked: a compressed stream is measured
before it is inflated. Beyond a limit, reading stops and the file is refused, naming the limit."""

from __future__ import annotations

import io
import logging
import re
import threading
import zlib
from bisect import bisect_left
from contextvars import ContextVar
from itertools import groupby, pairwise
from typing import Any

from compliance.errors import InputError, InputTooLarge
from compliance.i18n import _
from compliance.load.blocks import GridCell, TextBuilder
from compliance.models.config import Limits
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
_CHUNK = 1024 * 1024
_RATIO_FLOOR = 1024 * 1024  # streams smaller than this unpacked may compress as well as they like


class _Stop(Exception):
    """A limit reached inside pdfminer: carries the ``InputTooLarge`` reason and limit."""

    def __init__(self, reason: str, limit: str):
        super().__init__(reason)
        self.reason, self.limit = reason, limit


class _Budget:
    """What the streams of the PDF being read may still unpack to, and the operations its pages
    may still run."""

    def __init__(self, limits: Limits):
        self.limits, self.left = limits, limits.max_unpacked_bytes
        self.operations = limits.max_pdf_operations

    def _too_large(self) -> _Stop:
        return _Stop(
            _("PDF 的数据流解压后超过 {most:g} MB").format(most=self.limits.max_unpacked_mb), "max-unpacked-mb"
        )

    def measure(self, stream) -> bytes | None:
        """A Flate stream's unpacked size, inflated in chunks before pdfminer would inflate it
        whole: refused beyond the budget or the ratio. The inflated data, if it is what pdfminer's
        ``decode`` would make of the stream (Flate alone, no predictor, inflated to its end)."""
        from pdfminer.pdftypes import LITERALS_FLATE_DECODE

        filters = stream.get_filters()
        if stream.rawdata is None or not filters or filters[0][0] not in LITERALS_FLATE_DECODE:
            return None
        data = stream.rawdata
        if stream.decipher:
            data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
        inflater, size, chunks = zlib.decompressobj(), 0, []
        whole = len(filters) == 1 and not (filters[0][1] and "Predictor" in filters[0][1])
        try:
            while data and not inflater.eof:  # bytes after the end of the stream are not inflated
                chunk = inflater.decompress(data, _CHUNK)
                size += len(chunk)
                if size > self.left:
                    raise self._too_large()
                if whole:
                    chunks.append(chunk)
                data = inflater.unconsumed_tail
            chunk = inflater.flush()
            size += len(chunk)
            chunks.append(chunk)
        except zlib.error:
            whole = False  # pdfminer reads what a damaged stream holds up to the damage: measured so far
        if size > self.left:
            raise self._too_large()
        ratio = size / max(len(stream.rawdata), 1)
        if size > _RATIO_FLOOR and ratio > self.limits.max_ratio:
            raise _Stop(
                _("PDF 的数据流解压后是原大小的 {ratio:,.0f} 倍，超过 {most:g} 倍").format(
                    ratio=ratio, most=self.limits.max_ratio
                ),
                "max-ratio",
            )
        return b"".join(chunks) if whole and inflater.eof else None  # zlib.decompress's result

    def spend(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise self._too_large()


_BUDGET: ContextVar[_Budget | None] = ContextVar("compliance_pdf_budget", default=None)
_installed = False
_installing = threading.Lock()


def _decompress_damaged(data: bytes) -> bytes:
    """pdfminer's ``decompress_corrupted`` (the output up to the damage; damage in the last three
    bytes, the checksum, is no error), in linear time: pdfminer's joins bytes one at a time."""
    inflater, out, position = zlib.decompressobj(), [], 0
    while position < len(data):
        chunk = data[position : position + 4096]
        saved = inflater.copy()
        try:
            out.append(inflater.decompress(chunk))
        except zlib.error:
            inflater = saved
            for offset in range(len(chunk)):  # the damaged chunk byte by byte, up to the damage
                try:
                    out.append(inflater.decompress(chunk[offset : offset + 1]))
                except zlib.error:
                    if position + offset < len(data) - 3:
                        raise
                    logging.getLogger("pdfminer.pdftypes").warning("Data-loss while decompressing corrupted data")
                    return b"".join(out)
        position += len(chunk)
    return b"".join(out)


def _install() -> None:
    """Once per process: pdfminer's stream decoding measures a Flate stream before inflating it
    (once: the measured data is kept) and counts what every stream unpacks to, while a PDF is read
    under a budget; fonts read their ToUnicode maps with pdfpage's tokens, a CID font with such a
    map leaves its TrueType program packed (pdfpage.CIDFont), and pdfplumber's table finder
    makes the sets of a point's edges once (pdfpage.intersections_to_cells)."""
    global _installed
    with _installing:
        if not _installed:
            _patch()
            _installed = True


def _patch() -> None:
    import pdfminer.pdffont as pdffont
    import pdfminer.pdfinterp as pdfinterp
    import pdfminer.pdftypes as pdftypes
    import pdfplumber.table as pdfplumber_table

    from compliance.load.pdfpage import CIDFont, FastCMapParser, intersections_to_cells

    original = pdftypes.PDFStream.decode

    def decode(stream) -> None:
        budget = _BUDGET.get()
        if budget is None:
            original(stream)
            return
        inflated = budget.measure(stream)
        if inflated is None:
            original(stream)
        else:  # inflated once, not twice
            stream.data, stream.rawdata = inflated, None
        budget.spend(len(stream.data or b""))

    # pdfminer's decoding, patched on purpose (see _install)
    pdftypes.PDFStream.decode = decode  # type: ignore[method-assign, assignment]
    pdftypes.decompress_corrupted = _decompress_damaged
    pdffont.CMapParser = FastCMapParser  # type: ignore[misc]
    pdfinterp.PDFCIDFont = CIDFont  # type: ignore[misc]
    pdfplumber_table.intersections_to_cells = intersections_to_cells


def _lay_out(page, budget: _Budget, reading) -> None:
    """What pdfplumber's ``Page.layout`` and ``Page.objects`` compute, counting the operations of
    the page: read fast (pdfpage.py), or by pdfminer's interpreter where the fast reading is not
    sure to read as it does."""
    from compliance.load import pdfpage

    spent = budget.operations
    try:
        layout = pdfpage.lay_out(page, budget, reading)
    except pdfpage.Fallback:
        budget.operations = spent
        layout = pdfpage.lay_out(page, budget, reading, fast=False)
    page._layout = layout  # pdfplumber's caches of Page.layout and Page.objects
    page._objects = pdfpage.objects(page, layout)


class _Chars:
    """A page's chars by the middle of their height: the chars of a table row without looking at
    every char of the page for each row, as pdfplumber's ``Table.extract`` does."""

    def __init__(self, chars: list[dict]):
        self.chars = chars
        middles = [((c["top"] + c["bottom"]) / 2, (c["x0"] + c["x1"]) / 2) for c in chars]
        self.middles = middles
        self.order = sorted(range(len(chars)), key=lambda i: middles[i][0])
        self.heights = [middles[i][0] for i in self.order]
        self.sorted = all(m[0] == m[0] for m in middles)  # no NaN: the order is a total order

    def within(self, bbox, among: list[int] | None = None) -> list[int]:
        """The chars (their indices, in the page's order) whose middle is in ``bbox``, left and
        top in, right and bottom out, as pdfplumber's ``char_in_bbox`` has it; ``among``: of
        these chars only."""
        x0, top, x1, bottom = bbox
        middles = self.middles
        if among is not None:
            return [i for i in among if x0 <= middles[i][1] < x1 and top <= middles[i][0] < bottom]
        if self.sorted:
            found = self.order[bisect_left(self.heights, top) : bisect_left(self.heights, bottom)]
        else:
            found = [i for i, m in enumerate(middles) if top <= m[0] < bottom]
        return sorted(i for i in found if x0 <= middles[i][1] < x1)


_LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}  # pdfplumber's


def _chained(values, tolerance: float = 3) -> bool:
    """pdfplumber's ``cluster_list`` makes one cluster of these values."""
    ordered = sorted(set(values))
    return all(x <= last + tolerance for last, x in pairwise(ordered))


def _clusters(values) -> dict:
    """pdfplumber's ``make_cluster_dict(values, 3)``: each value's cluster, in order of value."""
    ordered = sorted(set(values))
    found, index, last = {}, 0, None
    for x in ordered:
        if last is not None and not x <= last + 3:
            index += 1
        found[x] = index
        last = x
    return found


def _words(line: list[dict]) -> list[list[dict]]:
    """pdfplumber's words of a line of upright chars (``WordExtractor`` with its defaults): a new
    word where a char starts left of the last one, more than 3 points right of its end or 3
    points off its top; spaces end words."""
    words: list[list[dict]] = []
    word: list[dict] = []
    for char in sorted(line, key=lambda c: c["x0"]):
        if char["text"].isspace():
            if word:
                words.append(word)
            word = []
        elif word and (
            char["x0"] < word[-1]["x0"] or char["x0"] > word[-1]["x1"] + 3 or abs(char["top"] - word[-1]["top"]) > 3
        ):
            words.append(word)
            word = [char]
        else:
            word.append(char)
    if word:
        words.append(word)
    return words


def _cell_text(chars: list[dict]) -> str:
    """pdfplumber's ``extract_text(chars)`` with its defaults, worked out directly for upright
    chars that make one line (most cells; pdfplumber's own for others)."""
    from pdfplumber.utils import extract_text

    if not all(c["upright"] is True and c["text"] for c in chars) or not _chained(c["top"] for c in chars):
        return extract_text(chars)
    words = _words(chars)
    if not _chained(min(c["top"] for c in word) for word in words):
        return extract_text(chars)
    return " ".join("".join(_LIGATURES.get(c["text"], c["text"]) for c in word) for word in words)


_TEXT_LINE = re.compile(r" *([^\n]+?) *(\n|$)")  # pdfplumber's TextMap.extract_text_lines(strip=True)


def _text_lines(page) -> list[dict]:
    """pdfplumber's ``page.extract_text_lines(return_chars=False)`` with its defaults, worked out
    directly when the page's chars are upright (its own otherwise): chars in lines by their
    tops, words, then words in lines by theirs, the lines' text and box."""
    chars = page.chars
    if not chars or not all(c["upright"] is True and c["text"] for c in chars):
        return page.extract_text_lines(return_chars=False)
    line_of = _clusters(c["top"] for c in chars)
    in_lines = sorted(chars, key=lambda c: line_of[c["top"]])
    words = [word for _, line in groupby(in_lines, key=lambda c: line_of[c["top"]]) for word in _words(list(line))]
    tops = [min(c["top"] for c in word) for word in words]
    line_of = _clusters(tops)
    letters: list[str] = []
    owners: list[dict | None] = []
    previous = None
    for word, top in zip(words, tops):
        if previous is not None:
            letters.append("\n" if line_of[top] != previous else " ")
            owners.append(None)
        previous = line_of[top]
        for char in word:
            for letter in _LIGATURES.get(char["text"], char["text"]):
                letters.append(letter)
                owners.append(char)
    text = "".join(letters)
    lines = []
    for m in _TEXT_LINE.finditer(text):
        if m.group(1).strip():
            own = [c for c in owners[m.start(1) : m.end(1)] if c is not None]
            lines.append(
                {
                    "text": m.group(1),
                    "x0": min(c["x0"] for c in own),
                    "top": min(c["top"] for c in own),
                    "x1": max(c["x1"] for c in own),
                    "bottom": max(c["bottom"] for c in own),
                }
            )
    return lines


def _extract(table, rows, chars: _Chars) -> list[list[str | None]]:
    """pdfplumber's ``Table.extract()``: each cell's text (None where no cell starts)."""
    table_arr = []
    for row in rows:
        row_chars = chars.within(row.bbox)
        arr: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                arr.append(None)
                continue
            cell_chars = [chars.chars[i] for i in chars.within(cell, row_chars)]
            arr.append(_cell_text(cell_chars) if cell_chars else "")
        table_arr.append(arr)
    return table_arr


def _grid(table, chars: _Chars) -> list[list[GridCell]]:
    """pdfplumber leaves None where no cell starts: find the cell whose box covers the spot."""
    xs = sorted({cell[0] for cell in table.cells})
    boxes: dict[tuple[int, int], tuple] = {}
    grid: list[list[GridCell]] = []
    rows = table.rows
    for r, (row, values) in enumerate(zip(rows, _extract(table, rows, chars))):
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


def _split(grid: list[list[GridCell]]) -> list[tuple[str, Any]]:
    """("line", text) for rows that are one cell across the whole width, ("table", grid) between."""
    items: list[tuple[str, Any]] = []
    start = 0
    for r, row in enumerate(grid + [None]):
        caption = row is not None and len(row) > 1 and all(cell.origin == (r, 0) for cell in row)
        if row is not None and not caption:
            continue
        if r > start:
            items.append(("table", _shifted(grid[start:r], -start)))
        if caption and row is not None:
            items.append(("line", row[0].text))
        start = r + 1
    return items


def _is_real_table(grid: list[list[GridCell]]) -> bool:
    """Boxed prose comes out as a one-column "table"."""
    own = ([cell.text for c, cell in enumerate(row) if cell.origin == (r, c)] for r, row in enumerate(grid))
    return any(sum(1 for text in texts if text) > 1 for texts in own)


def _page_items(page) -> list[tuple[float, str, Any]]:
    """(top, kind, payload) for the page's text lines and tables, top to bottom."""
    items: list[tuple[float, str, object]] = []
    boxes = []
    chars = None
    # pdfplumber finds tables by their ruling (lines, rectangles, curves): none, no table
    ruled = any(page.objects.get(kind) for kind in ("line", "rect", "curve"))
    for table in page.find_tables() if ruled else []:
        chars = chars or _Chars(page.chars)
        grid = _grid(table, chars)
        if not _is_real_table(grid):
            continue
        boxes.append(table.bbox)
        for n, (kind, payload) in enumerate(_split(grid)):
            items.append((table.bbox[1] + n * 1e-3, kind, payload))
    height = float(page.height) or 1.0
    for line in _text_lines(page):
        middle = (line["top"] + line["bottom"]) / 2
        if any(b[1] <= middle <= b[3] and line["x0"] < b[2] and line["x1"] > b[0] for b in boxes):
            continue
        in_margin = line["top"] > height * (1 - _MARGIN) or line["bottom"] < height * _MARGIN
        if not (in_margin and _PAGE_NUMBER.match(line["text"])):
            items.append((line["top"], "line", line["text"]))
    return sorted(items, key=lambda item: item[0])


def _join_continued(items: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """A table directly followed by one with the same width (next page) is one table."""
    joined: list[tuple[str, Any]] = []
    for kind, payload in items:
        previous = joined[-1] if joined else None
        if kind == "table" and previous and previous[0] == "table" and len(previous[1][0]) == len(payload[0]):
            previous[1].extend(_shifted(payload, len(previous[1])))
        else:
            joined.append((kind, payload))
    return joined


def _pages(pdf, limits: Limits):
    """pdfplumber's pages, made one at a time as the page tree gives them, and counted."""
    from pdfminer.pdfpage import PDFPage
    from pdfplumber.page import Page

    doctop: float = 0
    for index, page_object in enumerate(PDFPage.create_pages(pdf.doc)):
        if index >= limits.max_pdf_pages:
            raise _Stop(_("PDF 超过 {most:,} 页").format(most=limits.max_pdf_pages), "max-pdf-pages")
        page = Page(pdf, page_object, page_number=index + 1, initial_doctop=doctop)
        doctop += page.height
        yield page


def _cause(error: BaseException | None) -> _Stop | None:
    """The limit reached, if that is what ``error`` (pdfplumber wraps pdfminer's) comes from."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, _Stop):
            return error
        error = (
            error.__cause__
            or error.__context__
            or next((a for a in getattr(error, "args", ()) if isinstance(a, BaseException)), None)
        )
        seen += 1
    return None


def load_pdf(data: bytes, path: str, limits: Limits | None = None) -> Source:
    import pdfplumber  # imported here: only PDF inputs pay for it

    from compliance.load.pdfpage import Reading

    limits = limits or Limits()
    _install()
    items: list[tuple[str, Any]] = []
    budget, reading = _Budget(limits), Reading()
    token = _BUDGET.set(budget)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            length = 0
            for page in _pages(pdf, limits):
                _lay_out(page, budget, reading)
                found = [(kind, payload) for _, kind, payload in _page_items(page)]
                items += found
                length += sum(len(p) if k == "line" else sum(len(c.text) + 1 for r in p for c in r) for k, p in found)
                if length > limits.max_text_chars:  # the builder says so exactly, below; stop reading
                    break
                page.close()  # its objects are read: free them before the next page
    except Exception as error:  # pdfminer raises many types for damaged or protected files
        if stop := _cause(error):
            raise InputTooLarge(path, stop.reason, stop.limit) from None
        reason = f"{type(error).__name__} {error!r} {getattr(error, '__cause__', '')!r}"
        if "Password" in reason or "Encrypt" in reason:
            raise InputError(path, _("PDF 已加密")) from error
        raise InputError(path, _("无法读取 PDF（文件损坏或不完整）")) from error
    finally:
        _BUDGET.reset(token)
    builder = TextBuilder(path=path, max_chars=limits.max_text_chars)
    for kind, payload in _join_continued(items):
        if kind == "table":
            builder.table(payload)
        else:
            builder.paragraph(payload)
    text = "".join(builder.parts)
    visible = len(re.sub(r"\s", "", text))
    if not visible:
        raise InputError(path, _("PDF 没有文字层（扫描的图像？）"))
    if sum(map(len, _CID.findall(text))) + len(_BAD_CHARS.findall(text)) > _MAX_BAD_SHARE * visible:
        raise InputError(path, _("PDF 没有可用的文字：嵌入的字体没有文字映射（(cid:N) 字形编码）"))
    return builder.source(path, "pdf", data)
