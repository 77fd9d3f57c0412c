"""Stage 1 helper: builds the one extracted text and its blocks, whatever the format.

Paragraphs are lines; a table is one line per row with cells joined by tabs, every row as wide as
the grid; a merged cell's text stands once at its top-left position, the positions it covers are
empty strings (``Cell.merged_into`` points back)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from compliance.errors import InputTooLarge
from compliance.i18n import _
from compliance.models.source import Cell, ParagraphBlock, Source, SourceFormat, TableBlock

_SPACE_RUN = re.compile(r"\s+")  # a run with a line break in it is a break (\s*\n\s* backtracks: quadratic)
_CJK = re.compile(r"[\u2e80-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
# Spans beyond this are malformed markup, not tables (HTML allows colspan=1000).
MAX_SPAN = 64


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def check_length(length: int, path: str, max_chars: int | None) -> None:
    """An ``InputTooLarge`` if the extracted text is longer than ``max-text-chars``."""
    if max_chars is not None and length > max_chars:
        reason = _("文字过长：{length:,} 字，超过 {most:,} 字").format(length=length, most=max_chars)
        raise InputTooLarge(path, reason, "max-text-chars")


def clean_cell(text: str) -> str:
    """One line per cell: line breaks go (a space between non-CJK words), tabs become spaces."""

    def join(match: re.Match) -> str:
        if "\n" not in match.group():
            return match.group()
        before, after = match.string[match.start() - 1 : match.start()], match.string[match.end() : match.end() + 1]
        return "" if _CJK.match(before) or _CJK.match(after) else " "

    text = text.replace("\r", "\n").replace("\t", " ").strip()
    return _SPACE_RUN.sub(join, text) if "\n" in text else text


@dataclass
class GridCell:
    """A position of a resolved table grid: ``origin`` is the top-left of the merge it belongs to;
    positions covered by a merge share the origin's text (only the origin's counts)."""

    text: str
    origin: tuple[int, int]
    rowspan: int = 1
    colspan: int = 1


def _drop_empty_rows(grid: list[list[GridCell]]) -> list[list[GridCell]]:
    """Rows without any text go; merges are renumbered (an empty merge is split into plain cells)."""
    kept = [r for r, row in enumerate(grid) if any(cell.text.strip() for cell in row)]
    if len(kept) == len(grid):
        return grid
    new_index = {old: new for new, old in enumerate(kept)}
    result = []
    for old in kept:
        row = []
        for col, cell in enumerate(grid[old]):
            origin_row, origin_col = cell.origin
            if origin_row in new_index:
                span = sum(1 for r in range(origin_row, origin_row + cell.rowspan) if r in new_index)
                row.append(GridCell(cell.text, (new_index[origin_row], origin_col), span, cell.colspan))
            else:
                row.append(GridCell("", (new_index[old], col)))
        result.append(row)
    return result


@dataclass
class TextBuilder:
    """The one text, line by line; ``max_chars`` (with ``path`` to name the file) stops a text
    that grows beyond ``max-text-chars`` as soon as it does."""

    parts: list[str] = field(default_factory=list)
    blocks: list = field(default_factory=list)
    length: int = 0
    path: str = ""
    max_chars: int | None = None

    def _line(self, line: str) -> int:
        if self.parts:
            self.parts.append("\n")
            self.length += 1
        start = self.length
        self.parts.append(line)
        self.length += len(line)
        check_length(self.length, self.path, self.max_chars)
        return start

    def paragraph(self, text: str) -> None:
        # A tab would turn the line into a table row for the parser.
        text = text.replace("\t", " ").strip()
        if text:
            start = self._line(text)
            self.blocks.append(ParagraphBlock(start=start, end=self.length))

    def table(self, grid: list[list[GridCell]]) -> None:
        grid = _drop_empty_rows(grid)
        if not grid:
            return
        cells: list[Cell] = []
        table_start = None
        for r, row in enumerate(grid):
            texts = [clean_cell(c.text) if c.origin == (r, col) else "" for col, c in enumerate(row)]
            position = self._line("\t".join(texts))
            table_start = position if table_start is None else table_start
            for col, (cell, text) in enumerate(zip(row, texts)):
                own = cell.origin == (r, col)
                cells.append(
                    Cell(
                        row=r,
                        col=col,
                        text=text,
                        start=position,
                        end=position + len(text),
                        rowspan=cell.rowspan if own else 1,
                        colspan=cell.colspan if own else 1,
                        merged_into=None if own else cell.origin,
                    )
                )
                position += len(text) + 1
        assert table_start is not None  # the grid has a row
        self.blocks.append(TableBlock(start=table_start, end=self.length, cells=cells))

    @property
    def empty(self) -> bool:
        return not self.parts

    def source(self, path: str, fmt: SourceFormat, data: bytes, encoding: str | None = None) -> Source:
        return Source(
            path=path,
            format=fmt,
            encoding=encoding,
            sha256=hashlib.sha256(data).hexdigest(),
            text="".join(self.parts),
            blocks=self.blocks,
        )


def resolve_spans(rows: list[list[tuple[str, int, int]]]) -> list[list[GridCell]]:
    """(text, rowspan, colspan) rows as written (HTML, Word) → a full rectangular grid."""
    grid: dict[tuple[int, int], GridCell] = {}
    height = len(rows)
    for r, row in enumerate(rows):
        col = 0
        for text, rows_written, columns_written in row:
            while (r, col) in grid:
                col += 1
            rowspan = min(max(rows_written, 1), height - r, MAX_SPAN)
            colspan = min(max(columns_written, 1), MAX_SPAN)
            cell = GridCell(text=text, origin=(r, col), rowspan=rowspan, colspan=colspan)
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid.setdefault((r + dr, col + dc), cell)
            col += colspan
    if not grid:
        return []
    width = max(c for _, c in grid) + 1
    return [[grid.get((r, c)) or GridCell(text="", origin=(r, c)) for c in range(width)] for r in range(height)]
