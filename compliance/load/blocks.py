"""Stage 1 helper: builds the one extracted text and its blocks, whatever the format.

Paragraphs are lines; a table is one line per row with cells joined by tabs, every row as wide as
the grid; a merged cell's text stands once at its top-left position."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from compliance.models.source import Cell, ParagraphBlock, Source, TableBlock

_CELL_BREAK = re.compile(r"\s*\n\s*")
_CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")


def clean_cell(text: str) -> str:
    """One line per cell: line breaks go (a space between Latin words), tabs become spaces."""

    def join(match: re.Match) -> str:
        before, after = match.string[match.start() - 1 : match.start()], match.string[match.end() : match.end() + 1]
        return "" if _CJK.match(before) or _CJK.match(after) else " "

    return _CELL_BREAK.sub(join, text.strip()).replace("\t", " ")


@dataclass
class GridCell:
    """A cell of a resolved table grid: ``origin`` is the top-left of the merge it belongs to."""

    text: str
    origin: tuple[int, int]
    rowspan: int = 1
    colspan: int = 1


@dataclass
class TextBuilder:
    parts: list[str] = field(default_factory=list)
    blocks: list = field(default_factory=list)
    length: int = 0

    def _line(self, line: str) -> int:
        if self.parts:
            self.parts.append("\n")
            self.length += 1
        start = self.length
        self.parts.append(line)
        self.length += len(line)
        return start

    def paragraph(self, text: str) -> None:
        text = text.strip()
        if text:
            start = self._line(text)
            self.blocks.append(ParagraphBlock(start=start, end=self.length))

    def table(self, grid: list[list[GridCell]]) -> None:
        grid = [row for row in grid if any(cell.text for cell in row)]
        if not grid:
            return
        cells, table_start = [], None
        for r, row in enumerate(grid):
            texts = [clean_cell(c.text) if c.origin == (r, col) else "" for col, c in enumerate(row)]
            start = self._line("\t".join(texts))
            table_start = start if table_start is None else table_start
            position = start
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
        self.blocks.append(TableBlock(start=table_start, end=self.length, cells=cells))

    def source(self, path: str, fmt: str, data: bytes, encoding: str | None = None) -> Source:
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
    for r, row in enumerate(rows):
        col = 0
        for text, rowspan, colspan in row:
            while (r, col) in grid:
                col += 1
            cell = GridCell(text=text, origin=(r, col), rowspan=max(rowspan, 1), colspan=max(colspan, 1))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    grid.setdefault((r + dr, col + dc), cell)
            col += cell.colspan
    if not grid:
        return []
    height = len(rows)
    width = max(c for _, c in grid) + 1
    empty = lambda r, c: GridCell(text="", origin=(r, c))  # noqa: E731
    return [[grid.get((r, c)) or empty(r, c) for c in range(width)] for r in range(height)]
