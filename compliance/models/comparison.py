"""Two years of one issuer side by side (``compliance compare``): what the comparison found, as
the page, the Markdown and the JSON (``model_dump_json``) show it.

"last" is the earlier report, "this" the later one. A value one year lacks (its table has no such
cell, its prose no such figure) is None; ``rate`` is None too when last year's value is 0."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

TableKey = Literal["active", "requests", "review"]
CellState = Literal["ok", "missing", "unreadable"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Side(_Strict):
    """One year's report: its file and what it says of itself."""

    path: str
    title: str | None
    issuer: str | None
    year: int | None


class Change(_Strict):
    """One quantity in both years: ``change`` = this − last; ``rate`` = change ÷ last, a percentage
    rounded to one decimal (None when last is 0 or either is missing)."""

    last: float | None
    this: float | None
    change: float | None
    rate: float | None


class CellChange(Change):
    """A table cell in both years. ``*_state``: ok (a number, or a blank counted as its table
    counts it), missing (that year's table has no such cell, or no such table), unreadable (not a
    number: ``*_text`` says what is written)."""

    row: str
    column: str
    last_state: CellState
    this_state: CellState
    last_text: str | None
    this_text: str | None


class TableRow(_Strict):
    key: str
    label: str
    cells: list[CellChange | None]  # one per column of the table; None: no such cell either year


class TableComparison(_Strict):
    table: TableKey
    label: str  # 表二（主动公开政府信息情况）…
    found_last: bool
    found_this: bool
    columns: list[str]  # the columns' labels
    rows: list[TableRow]


class CarryoverCheck(_Strict):
    """One carry-over relation: this year's value beside what last year's report makes it
    (``carried``: 上年结转 = last year's 结转下年度继续办理, per column; ``stock``: 现行有效件数 =
    last year's + 本年制发件数 − 本年废止件数)."""

    relation: Literal["carried", "stock"]
    table_label: str
    row: str
    column: str
    this_value: int
    expected: int
    previous_value: int
    issued: int | None = None
    repealed: int | None = None
    difference: int
    holds: bool


class FigureStatement(_Strict):
    text: str  # the figure as written ("21 件")
    value: float
    context: str  # the clause it is in


class FigureComparison(Change):
    """A quantity stated in the prose, each year's first statement of it."""

    name: str  # what the clause names (受理（收到）申请), or its words when they name no table quantity
    unit: str
    last_statement: FigureStatement | None
    this_statement: FigureStatement | None


class ParagraphMark(_Strict):
    text: str
    copied: bool  # last year's report has the same paragraph, white space and width aside (15 characters at least)


class PartComparison(_Strict):
    """A part of the reports (matched by the content item its heading names, else the heading):
    ``similarity``: the Jaccard similarity of the two parts' prose fingerprints, a whole percentage
    (None when a year lacks the part or either has too little prose to compare); ``paragraphs``:
    this year's, each marked when copied."""

    key: str
    last_heading: str | None
    this_heading: str | None
    similarity: int | None
    paragraphs: list[ParagraphMark]


class ChartFigure(Change):
    """One of the main figures the chart draws for both years."""

    label: str


class Comparison(_Strict):
    schema_version: Literal[1] = 1
    last: Side
    this: Side
    warnings: list[str]  # not consecutive years of one issuer (compared all the same)
    tables: list[TableComparison]
    carryover: list[CarryoverCheck]
    carryover_notes: list[str]  # why a relation could not be checked
    figures: list[FigureComparison]
    parts: list[PartComparison]
    chart: list[ChartFigure]
