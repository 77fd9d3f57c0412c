"""Stage 1 output: a loaded file as one extracted text plus its blocks with offsets."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

SourceFormat = Literal["txt", "md", "docx", "html", "pdf"]


class Cell(BaseModel):
    """One grid position of a table. A merged cell's text sits at its top-left position;
    the positions it covers are cells with empty text and ``merged_into`` pointing back."""

    row: int
    col: int
    text: str
    start: int
    end: int
    rowspan: int = 1
    colspan: int = 1
    merged_into: tuple[int, int] | None = None


class ParagraphBlock(BaseModel):
    kind: Literal["paragraph"] = "paragraph"
    start: int
    end: int


class TableBlock(BaseModel):
    kind: Literal["table"] = "table"
    start: int
    end: int
    cells: list[Cell] = Field(default_factory=list)

    @property
    def rows(self) -> list[list[Cell]]:
        grid: dict[int, list[Cell]] = {}
        for cell in self.cells:
            grid.setdefault(cell.row, []).append(cell)
        return [sorted(grid[r], key=lambda c: c.col) for r in sorted(grid)]


Block = ParagraphBlock | TableBlock


class Source(BaseModel):
    """What a loader yields, whatever the file format.

    ``text`` is the one extracted text every offset in the program refers to: paragraphs are
    lines, table rows are lines of tab-separated cells."""

    path: str
    format: SourceFormat
    encoding: str | None = None
    sha256: str
    text: str
    blocks: list[Block] = Field(default_factory=list, discriminator=None)
