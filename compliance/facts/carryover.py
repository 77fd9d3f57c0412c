"""Stage 4: this year's tables against last year's report (``check --previous``).

This year's 二、上年结转 beside last year's 四、结转下年度继续办理, column by column; 表二's
现行有效件数 beside last year's plus this year's 制发 minus 废止 (both in the 2021 format): every
pair the two reports give, with its difference (XREF-CARRYOVER judges)."""

from __future__ import annotations

from dataclasses import dataclass

from compliance.facts.duplicates import OtherReport
from compliance.facts.tables import TableReading, TablesFound
from compliance.models.facts import Fact, Unavailable, UnavailableValue
from compliance.models.facts_tables import CarryoverFact
from compliance.models.rulespec import TableLexicon

KIND = "carryover"
_STOCK = ("本年制发件数", "本年废止件数", "现行有效件数")


@dataclass
class PreviousReport:
    """What a check needs of last year's report."""

    path: str
    year: int | None
    tables: TablesFound
    other: OtherReport | None = None  # its part fingerprints, for DUP-BOILERPLATE


def _number(reading: TableReading, row: str, column: str) -> int | None:
    cell = reading.cells.get((row, column))
    if cell is None or cell.status not in ("ok", "blank"):
        return None
    return int(cell.value or 0)


def _requests(this: TableReading, last: TableReading, year: int, lexicon: TableLexicon) -> list[Fact]:
    facts: list[Fact] = []
    for column in lexicon.requests.columns:
        carried, expected = _number(this, "carried", column.key), _number(last, "next", column.key)
        if carried is None or expected is None:
            continue
        cell = this.cells["carried", column.key]
        facts.append(
            CarryoverFact(
                relation="carried",
                table_label=lexicon.requests.label,
                row="",
                column=column.label,
                this_value=carried,
                expected=expected,
                difference=carried - expected,
                previous_year=year,
                previous_value=expected,
                text=cell.text,
                start=cell.start,
                end=cell.end,
            )
        )
    return facts


def _stock(this: TableReading, last: TableReading, year: int, lexicon: TableLexicon) -> list[Fact]:
    facts: list[Fact] = []
    labels = {row.key: row.label for row in lexicon.active.rows}
    issued, repealed, in_force = _STOCK
    for row in ("regulations", "normative"):
        numbers = _number(this, row, issued), _number(this, row, repealed), _number(this, row, in_force)
        previous = _number(last, row, in_force)
        if None in numbers or previous is None:
            continue
        values = [n for n in numbers if n is not None]
        expected = previous + values[0] - values[1]
        cell = this.cells[row, in_force]
        facts.append(
            CarryoverFact(
                relation="stock",
                table_label=lexicon.active.label,
                row=labels[row],
                column=in_force,
                this_value=values[2],
                expected=expected,
                difference=values[2] - expected,
                previous_year=year,
                previous_value=previous,
                issued=values[0],
                repealed=values[1],
                text=cell.text,
                start=cell.start,
                end=cell.end,
            )
        )
    return facts


def extract(
    tables: TablesFound, year: int | None, previous: PreviousReport | None, lexicon: TableLexicon
) -> tuple[list[Fact], list[Unavailable]]:
    if previous is None:
        return [], [Unavailable(fact=KIND, reason="no-previous")]
    if year and previous.year and previous.year != year - 1:
        values: dict[str, UnavailableValue] = {
            "path": previous.path,
            "previous_year": previous.year,
            "expected_year": year - 1,
        }
        return [], [Unavailable(fact=KIND, reason="previous-wrong-year", values=values)]
    last_year = previous.year or (year - 1 if year else 0)
    facts: list[Fact] = []
    missing: list[Unavailable] = []
    this, last = tables.readings["requests"], previous.tables.readings["requests"]
    if this and last:
        facts += _requests(this, last, last_year, lexicon)
    else:
        missing.append(Unavailable(fact=KIND, reason="previous-no-requests-table"))
    this, last = tables.readings["active"], previous.tables.readings["active"]
    if this and last and this.version == last.version == "2021":
        facts += _stock(this, last, last_year, lexicon)
    return facts, missing
