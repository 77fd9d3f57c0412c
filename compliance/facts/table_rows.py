"""Stage 4 helper: the rows of a format table as copying leaves them, read by their labels.

Real tables reach us with merged cells repeated or dropped, empty cells added to every row of a
copy ("| 3 | ||"), a label and its numbers on two lines, a label wrapped over two lines. A row is
read by its label — the last cell that names a known row, wherever it stands — and its values are
the cells after it. They are aligned to the table's width by dropping first the empty cells the
copy added at the end of every row of the table, then the empty cells of a merged label before
the values; a row that comes out short is padded with blank cells at its end. A number is never
taken for a label."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Generic, TypeVar

from compliance.models.facts_tables import CellStatus
from compliance.models.tree import TableCell

Spec = TypeVar("Spec")

_SPACE = re.compile(r"[\s\u3000]+")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９，．－（）", "0123456789,.-()")
_BLANK = {"", "-", "—", "–", "/", "／", "无", "——"}
_NUMBER = re.compile(r"^([+-]?\d+(?:,\d{3})*(?:\.\d+)?)(万)?(?:元|件|条|个|次|项)?$")


@lru_cache(maxsize=4096)  # a cell is read as blank, numeric and its value: the same few texts over and over
def parse_number(text: str, integer: bool = True, signed: bool = False) -> tuple[float | None, CellStatus]:
    """A table cell's number and its status; a blank cell is ``(None, "blank")``."""
    cleaned = _SPACE.sub("", text).translate(_FULL_WIDTH)
    if cleaned in _BLANK:
        return None, "blank"
    match = _NUMBER.match(cleaned)
    if not match:
        return None, "non_numeric"
    value = float(match.group(1).replace(",", "")) * (10000 if match.group(2) else 1)
    if value < 0 and not signed:
        return value, "negative"
    if integer and value != int(value):
        return value, "non_integer"
    return value, "ok"


def blank(cell: TableCell) -> bool:
    return parse_number(cell.text)[1] == "blank"


@lru_cache(maxsize=4096)  # asked of every cell, often more than once
def numeric_text(text: str) -> bool:
    return parse_number(text, signed=True)[1] in ("ok", "non_integer")


def numeric(cell: TableCell) -> bool:
    return numeric_text(cell.text)


@dataclass
class Row(Generic[Spec]):
    """A row of a table: the spec its label names, the label cell, and its values."""

    spec: Spec
    label: TableCell
    values: list[TableCell]


@dataclass
class _Piece(Generic[Spec]):
    spec: Spec | None
    labels: list[TableCell]  # the label cells (text before the values)
    values: list[TableCell]

    @property
    def has_values(self) -> bool:
        return any(not blank(c) for c in self.values)


def _split(row: list[TableCell], match: Callable[[str], Spec | None]) -> _Piece[Spec]:
    for index in range(len(row) - 1, -1, -1):
        spec = match(row[index].text) if row[index].text else None
        if spec is not None:
            return _Piece(spec, [c for c in row[: index + 1] if c.text], row[index + 1 :])
    lead = 0
    while lead < len(row) and not numeric(row[lead]):
        lead += 1
    labels = [c for c in row[:lead] if c.text]
    return _Piece(None, labels, row[lead:] if labels or lead < len(row) else [])


def _joined(first: TableCell, second: TableCell) -> TableCell:
    """A label wrapped over two lines, as one cell (it spans both; its text joins them)."""
    return TableCell(start=first.start, end=second.end, line=first.line, text=first.text + second.text, col=first.col)


def _merge(pieces: list[_Piece[Spec]], match: Callable[[str], Spec | None]) -> list[_Piece[Spec]]:
    """A label whose numbers are on the next line, or whose words are (wrapped), is one row."""
    merged: list[_Piece[Spec]] = []
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        following = pieces[index + 1] if index + 1 < len(pieces) else None
        if following is not None and not piece.has_values and following.spec is None and following.has_values:
            if not following.labels and piece.spec is not None:  # "一、本年新收…" / "3 0 0 0 0 0 3"
                merged.append(_Piece(piece.spec, piece.labels, following.values))
                index += 2
                continue
            if following.labels and piece.labels:  # "2.没有现成信息需要另行" / "制作\t3\t0…"
                label = _joined(piece.labels[-1], following.labels[0])
                spec = match(label.text) or piece.spec
                if spec is not None:
                    merged.append(_Piece(spec, piece.labels[:-1] + [label] + following.labels[1:], following.values))
                    index += 2
                    continue
        merged.append(piece)
        index += 1
    return merged


def _counts(values: list[TableCell]) -> bool:
    return any(numeric(c) for c in values)


def _trailing_blanks(values: list[TableCell]) -> int:
    count = 0
    for cell in reversed(values):
        if not blank(cell):
            break
        count += 1
    return count


def _pad(values: list[TableCell], after: TableCell, width: int) -> list[TableCell]:
    end = values[-1].end if values else after.end
    line = values[-1].line if values else after.line
    return values + [TableCell(start=end, end=end, line=line, text="", col=-1) for _ in range(width - len(values))]


def _aligned(pieces: list[_Piece[Spec]], width: int) -> list[_Piece[Spec]]:
    """Each piece's values cut or padded to ``width``: the copy's empty cells at the end of every
    row go first (as many as every row of the table has), then empty merged cells before them."""
    excess = [
        min(_trailing_blanks(p.values), len(p.values) - width)
        for p in pieces
        if p.spec is not None and len(p.values) >= width
    ]
    junk = min(excess) if excess else 0
    for piece in pieces:
        values = piece.values
        values = values[: len(values) - min(junk, _trailing_blanks(values))]
        while len(values) > width and blank(values[0]):
            values = values[1:]
        while len(values) > width and blank(values[-1]):
            values = values[:-1]
        piece.values = _pad(values[-width:], piece.labels[-1], width) if piece.labels else values[-width:]
    return pieces


def read_rows(
    rows: list[list[TableCell]],
    match: Callable[[str], Spec | None],
    width: int,
    header: Callable[[list[TableCell]], bool],
) -> list[Row[Spec]]:
    """The labelled rows of one table node, in order; ``header`` tells the column-header rows."""
    pieces = _merge([_split(row, match) for row in rows if not header(row)], match)
    # Values hold a number or are all blank: words after a label make it a header ("总计" above
    # "未经复议直接起诉"), not a row; a word among numbers is a bad cell of a row ("五").
    labelled = [p for p in pieces if p.spec is not None and p.values and (_counts(p.values) or not p.has_values)]
    return [Row(p.spec, p.labels[-1], p.values) for p in _aligned(labelled, width) if p.spec is not None]
