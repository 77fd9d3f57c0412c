"""The three format tables of two years cell by cell, and the main figures the chart draws.

Cells are those ``facts.tables`` reads (found by their labels, so two years laid out differently
still line up); rows and columns are named by the table lexicon's labels. A cell counts as its
table counts it: a blank part 0, a blank total the sum of its parts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from compliance.facts.tables import CellValue, TableReading, TablesFound
from compliance.models.comparison import CellChange, CellState, ChartFigure, TableComparison, TableRow
from compliance.models.facts_tables import TableName
from compliance.models.rulespec import TableLexicon

# How many decimals a change keeps: 万元 amounts have a few, float subtraction adds noise beyond.
_PLACES = 6


def change_fields(last: float | None, this: float | None) -> dict[str, float | None]:
    """``last``, ``this``, their change and its rate (a percentage to one decimal; none from 0)."""
    change = round(this - last, _PLACES) if last is not None and this is not None else None
    rate = round(change / last * 100, 1) if change is not None and last else None
    return {"last": last, "this": this, "change": change, "rate": rate}


def _state(cell: CellValue | None) -> CellState:
    return "missing" if cell is None else "unreadable" if cell.amount is None else "ok"


def _cell(row: str, column: str, last: CellValue | None, this: CellValue | None) -> CellChange:
    return CellChange(
        row=row,
        column=column,
        last_state=_state(last),
        this_state=_state(this),
        last_text=last.text if last else None,
        this_text=this.text if this else None,
        **change_fields(last.amount if last else None, this.amount if this else None),
    )


@dataclass(frozen=True)
class Layout:
    """A table's name and label, and its rows and columns as (key, label), in the format's order."""

    table: TableName
    label: str
    rows: list[tuple[str, str]]
    columns: list[tuple[str, str]]


def _grid(layout: Layout, readings: tuple[TableReading | None, TableReading | None]) -> TableComparison:
    """The table's rows (key, label) either year has, each with a cell per column."""
    last, this = (reading.cells if reading else {} for reading in readings)
    found = []
    for key, row_label in layout.rows:
        cells = [
            _cell(key, column, last.get((key, column)), this.get((key, column)))
            if (key, column) in last or (key, column) in this
            else None
            for column, _ in layout.columns
        ]
        if any(cells):
            found.append(TableRow(key=key, label=row_label, cells=cells))
    return TableComparison(
        table=layout.table,
        label=layout.label,
        found_last=readings[0] is not None,
        found_this=readings[1] is not None,
        columns=[column_label for _, column_label in layout.columns],
        rows=found,
    )


def _request_label(key: str, label: str, row_groups: dict[str, str]) -> str:
    """A 表三 row's label with its group's ("（三）不予公开 1.属于国家秘密"): the items of each
    group are numbered 1, 2, 3 again."""
    group = next((name for prefix, name in row_groups.items() if key.startswith(prefix) and key != prefix), None)
    return f"{group} {label}" if group else label


def _active_columns(readings: Iterable[TableReading | None], lexicon: TableLexicon) -> list[str]:
    """表二's columns: the format's header names the readings use, 2021's order first."""
    used = {column for reading in readings if reading for _, column in reading.cells}
    known = [name for version in ("2021", "2019") for name in lexicon.active.headers.get(version, [])]
    ordered = list(dict.fromkeys(name for name in known if name in used))
    return ordered + sorted(used - set(ordered))


def layouts(found: Iterable[TablesFound], lexicon: TableLexicon, row_groups: dict[str, str]) -> list[Layout]:
    """表二, 表三 and 表四 named by the table lexicon (``row_groups``: the 表三 group of each row-key
    prefix); 表二's columns are its header names, those the readings of ``found`` use."""
    spec = lexicon.requests
    active = _active_columns((tables.readings["active"] for tables in found), lexicon)
    return [
        Layout(
            "active",
            lexicon.active.label,
            [(row.key, row.label) for row in lexicon.active.rows],
            [(name, name) for name in active],
        ),
        Layout(
            "requests",
            spec.label,
            [(row.key, _request_label(row.key, row.short or row.label, row_groups)) for row in spec.rows],
            [(column.key, column.label) for column in spec.columns],
        ),
        Layout(
            "review",
            lexicon.review.label,
            [(group.key, group.label) for group in lexicon.review.groups],
            [(column.key, column.label) for column in lexicon.review.columns],
        ),
    ]


def compare_tables(
    last: TablesFound, this: TablesFound, lexicon: TableLexicon, row_groups: dict[str, str]
) -> list[TableComparison]:
    """表二, 表三 and 表四 of both years (``row_groups``: the 表三 group of each row-key prefix)."""
    return [
        _grid(layout, (last.readings[layout.table], this.readings[layout.table]))
        for layout in layouts((last, this), lexicon, row_groups)
    ]


# The chart's figures: each the sum of the 总计 cells it names ("refuse_*": every 不予公开 row).
CHART = (
    ("收到申请", ("requests", ("new", "carried"))),
    ("予以公开", ("requests", ("open",))),
    ("部分公开", ("requests", ("partial",))),
    ("不予公开", ("requests", ("refuse_*",))),
    ("无法提供", ("requests", ("unable_*",))),
    ("不予处理", ("requests", ("ignore_*",))),
    ("其他处理", ("requests", ("other*",))),
    ("行政复议", ("review", ("review",))),
    ("行政诉讼", ("review", ("direct_suit", "suit_after_review"))),
)


def _total(reading: TableReading | None, rows: tuple[str, ...]) -> float | None:
    """The sum of the rows' 总计 cells; None when a row is missing or a cell is not a number."""
    if reading is None:
        return None
    total = 0.0
    for row in rows:
        cells = [
            cell
            for (key, column), cell in reading.cells.items()
            if column == "total" and (key.startswith(row[:-1]) if row.endswith("*") else key == row)
        ]
        amounts = [cell.amount for cell in cells]
        if not amounts or None in amounts:
            return None
        total += sum(a for a in amounts if a is not None)
    return total


def chart_figures(last: TablesFound, this: TablesFound) -> list[ChartFigure]:
    """The applications received (new and carried over), their outcomes, and the 复议 and 诉讼
    cases, each in both years."""
    return [
        ChartFigure(
            label=label, **change_fields(_total(last.readings[table], rows), _total(this.readings[table], rows))
        )
        for label, (table, rows) in CHART
    ]
