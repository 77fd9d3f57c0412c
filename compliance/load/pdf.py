"""Stage 1: .pdf → Source (pdfplumber). Per page, the text lines outside tables and the tables'
rows, top to bottom; PDF line wraps kept as lines (the parser joins them); page numbers dropped.
A table row that is one cell across the whole width (a caption such as "第二十条第（五）项")
is a line, which splits the table; a table continued on the next page with the same columns
is one table.

A PDF whose fonts carry no text mapping extracts as "(cid:NNN)" codes: it is refused.

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
from contextvars import ContextVar
from functools import cache
from typing import Any

from compliance.errors import InputError, InputTooLarge
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
_NO_TEXT_MAPPING = "PDF has no usable text: the embedded fonts have no text mapping ((cid:N) glyph codes)"
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
        return _Stop(f"PDF streams unpack to more than {self.limits.max_unpacked_mb:g} MB", "max-unpacked-mb")

    def measure(self, stream) -> None:
        """A Flate stream's unpacked size, inflated in chunks and thrown away, before pdfminer
        inflates it whole: refused beyond the budget or the ratio."""
        from pdfminer.pdftypes import LITERALS_FLATE_DECODE

        filters = stream.get_filters()
        if stream.rawdata is None or not filters or filters[0][0] not in LITERALS_FLATE_DECODE:
            return
        data = stream.rawdata
        if stream.decipher:
            data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
        inflater, size = zlib.decompressobj(), 0
        try:
            while data and not inflater.eof:  # bytes after the end of the stream are not inflated
                size += len(inflater.decompress(data, _CHUNK))
                if size > self.left:
                    raise self._too_large()
                data = inflater.unconsumed_tail
            size += len(inflater.flush())
        except zlib.error:
            pass  # pdfminer reads what a damaged stream holds up to the damage: measured so far
        if size > self.left:
            raise self._too_large()
        ratio = size / max(len(stream.rawdata), 1)
        if size > _RATIO_FLOOR and ratio > self.limits.max_ratio:
            raise _Stop(
                f"PDF stream unpacks to {ratio:,.0f} times its size, more than {self.limits.max_ratio:g}", "max-ratio"
            )

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
    and counts what every stream unpacks to, while a PDF is read under a budget."""
    global _installed
    with _installing:
        if not _installed:
            _patch()
            _installed = True


def _patch() -> None:
    import pdfminer.pdftypes as pdftypes

    original = pdftypes.PDFStream.decode

    def decode(stream) -> None:
        budget = _BUDGET.get()
        if budget is not None:
            budget.measure(stream)
        original(stream)
        if budget is not None:
            budget.spend(len(stream.data or b""))

    # pdfminer's decoding, patched on purpose (see _install)
    pdftypes.PDFStream.decode = decode  # type: ignore[method-assign, assignment]
    pdftypes.decompress_corrupted = _decompress_damaged


@cache
def _counting_classes():
    """A device and an interpreter that count a page's operations (shared by the interpreters
    of its form XObjects, which pdfminer makes with ``dup``) and stop past the limit."""
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfplumber.page import PDFPageAggregatorWithMarkedContent

    class Device(PDFPageAggregatorWithMarkedContent):
        most, operations, page = 0, 0, 0
        budget: _Budget  # set with the device (_lay_out), before a page is read

        def count(self) -> None:
            self.operations += 1
            if self.operations > self.most:
                raise _Stop(f"PDF page {self.page} has more than {self.most:,} operations", "max-pdf-page-operations")
            self.budget.operations -= 1
            if self.budget.operations < 0:
                most = self.budget.limits.max_pdf_operations
                raise _Stop(f"PDF has more than {most:,} operations (by page {self.page})", "max-pdf-operations")

        def render_char(self, *args, **kwargs):
            self.count()
            return super().render_char(*args, **kwargs)

        def render_string(self, *args, **kwargs):
            self.count()
            return super().render_string(*args, **kwargs)

        def paint_path(self, *args, **kwargs):
            self.count()
            return super().paint_path(*args, **kwargs)

        def render_image(self, *args, **kwargs):
            self.count()
            return super().render_image(*args, **kwargs)

    class Interpreter(PDFPageInterpreter):
        device: Device  # what _lay_out gives it

        def push(self, obj) -> None:  # every operand of the content stream
            self.device.count()
            super().push(obj)

        def do_q(self) -> None:  # a saved state is kept until restored
            self.device.count()
            super().do_q()

    return Device, Interpreter


def _lay_out(page, budget: _Budget) -> None:
    """What pdfplumber's ``Page.layout`` computes, counting the operations of the page."""
    device_class, interpreter_class = _counting_classes()
    device = device_class(page.pdf.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams)
    device.most, device.page, device.budget = budget.limits.max_pdf_page_operations, page.page_number, budget
    interpreter_class(page.pdf.rsrcmgr, device).process_page(page.page_obj)
    page._layout = device.get_result()  # pdfplumber's cache of Page.layout


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
            raise _Stop(f"PDF has more than {limits.max_pdf_pages:,} pages", "max-pdf-pages")
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

    limits = limits or Limits()
    _install()
    items: list[tuple[str, Any]] = []
    budget = _Budget(limits)
    token = _BUDGET.set(budget)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            length = 0
            for page in _pages(pdf, limits):
                _lay_out(page, budget)
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
            raise InputError(path, "encrypted PDF") from error
        raise InputError(path, "cannot read PDF (damaged or truncated file)") from error
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
        raise InputError(path, "PDF has no text layer (scanned image?)")
    if sum(map(len, _CID.findall(text))) + len(_BAD_CHARS.findall(text)) > _MAX_BAD_SHARE * visible:
        raise InputError(path, _NO_TEXT_MAPPING)
    return builder.source(path, "pdf", data)
