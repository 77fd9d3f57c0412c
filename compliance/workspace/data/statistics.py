"""The figures as data: what an office compiles each spring from its issuers' reports, from the
table cells of the latest version of each submission.

**A figure** is the sum of table cells: the comparison chart's (compliance.compare.tables.CHART:
applications received = 本年新收 + 上年结转, each outcome, 行政复议 and 行政诉讼 cases, from the
总计 column) and the 结果纠正 and 尚未审结 columns of 表四. A cell counts as its table counts it: a
blank or not-applicable part 0, a blank total the sum of its row's parts; a figure with a cell that
is not a count (or a table not read) is unknown (None) and left out of every sum.

**纠正率** (复议, 诉讼): cases 结果纠正 over cases concluded (总计 − 尚未审结), as a percentage to one
decimal; none without a concluded case.

**Peers**: each year's issuers against each other. An issuer's applications are flagged at five
times the year's median or more (``APPLICATIONS_FACTOR``); its 纠正率 is flagged "far above the
rest" when, on at least ``MIN_CASES`` concluded cases, it is at least twice the rate of all the
other issuers of the year taken together and at least ``RATE_MARGIN`` points above it."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy.orm import Session

from compliance.compare.tables import CHART, change_fields
from compliance.workspace.data.records import submissions
from compliance.workspace.data.schema import TableCell

APPLICATIONS_FACTOR = 5
RATE_MARGIN = 20.0
MIN_CASES = 3
RECEIVED = "收到申请"
_SUITS = ("direct_suit", "suit_after_review")
# (label, table, row patterns — "refuse_*" every 不予公开 row —, column)
FIGURES: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    *((label, table, rows, "total") for label, (table, rows) in CHART),
    ("复议纠正", "review", ("review",), "corrected"),
    ("复议未审结", "review", ("review",), "pending"),
    ("诉讼纠正", "review", _SUITS, "corrected"),
    ("诉讼未审结", "review", _SUITS, "pending"),
)
RATES = {"复议纠正率": ("复议纠正", "行政复议", "复议未审结"), "诉讼纠正率": ("诉讼纠正", "行政诉讼", "诉讼未审结")}
LABELS = [label for label, *_ in FIGURES]

Figures = dict[str, Decimal | None]
Cells = dict[tuple[str, str, str], TableCell]  # by (table, row key, column key)


@dataclass
class SubmissionFigures:
    """One submission's figures (its latest version's), and its 纠正率."""

    submission_id: int
    issuer_id: int
    issuer: str
    year: int | None
    figures: Figures
    rates: dict[str, float | None] = field(default_factory=dict)


def tidy(value: Decimal) -> Decimal:
    """A stored amount without the column's trailing zeros (Numeric(20, 4) gives 149.0000): 149, 12.5."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _matches(row: str, pattern: str) -> bool:
    return row.startswith(pattern[:-1]) if pattern.endswith("*") else row == pattern


def _cell_amount(cells: Cells, table: str, row: str, column: str) -> Decimal | None:
    """What a cell counts for (None: not a count); a blank total is its row's parts' sum."""
    cell = cells[(table, row, column)]
    if cell.state == "value":
        return cell.value
    if cell.state == "invalid":
        return None
    if column != "total":
        return Decimal(0)
    parts = [_cell_amount(cells, table, r, c) for (t, r, c) in cells if (t, r) == (table, row) and c != "total"]
    return None if None in parts else sum((p for p in parts if p is not None), Decimal(0))


def figure(
    cells: dict[tuple[str, str, str], TableCell], table: str, rows: Iterable[str], column: str
) -> Decimal | None:
    """The sum of the ``column`` cells of the rows the patterns name; None when one is no count or
    no row is there."""
    total = Decimal(0)
    for pattern in rows:
        named = [row for (t, row, c) in cells if (t, c) == (table, column) and _matches(row, pattern)]
        amounts = [_cell_amount(cells, table, row, column) for row in named]
        if not amounts or None in amounts:
            return None
        total += sum((a for a in amounts if a is not None), Decimal(0))
    return tidy(total)


def rate(figures: Figures, corrected: str, cases: str, pending: str) -> float | None:
    """纠正率 in percent (one decimal): corrected over concluded cases; None without any."""
    values = figures.get(corrected), figures.get(cases), figures.get(pending)
    if any(v is None for v in values):
        return None
    done = values[1] - values[2]  # type: ignore[operator]  # none is None
    return round(float(values[0] / done * 100), 1) if done > 0 else None  # type: ignore[operator]


def rates_of(figures: Figures) -> dict[str, float | None]:
    """复议纠正率 and 诉讼纠正率 of the figures."""
    return {name: rate(figures, *parts) for name, parts in RATES.items()}


def submission_figures(session: Session) -> list[SubmissionFigures]:
    """The figures of every submission whose latest version was checked."""
    found = []
    for submission in submissions(session):
        latest = submission.latest
        if latest is None or latest.report is None:
            continue
        cells = {(c.table, c.row_key, c.column_key): c for c in latest.cells}
        figures = {label: figure(cells, table, rows, column) for label, table, rows, column in FIGURES}
        found.append(
            SubmissionFigures(
                submission.id,
                submission.issuer_id,
                submission.issuer.name,
                submission.year,
                figures,
                rates_of(figures),
            )
        )
    return found


@dataclass
class Totals:
    """The figures summed over the submissions of a year (``year`` None: of every year); ``known``:
    how many submissions each sum counts."""

    year: int | None
    submissions: int
    figures: dict[str, Decimal]
    known: dict[str, int]
    rates: dict[str, float | None]


def _sum(rows: list[SubmissionFigures], year: int | None) -> Totals:
    figures = {label: tidy(sum((r.figures[label] or Decimal(0) for r in rows), Decimal(0))) for label in LABELS}
    known = {label: sum(r.figures[label] is not None for r in rows) for label in LABELS}
    return Totals(year, len(rows), figures, known, rates_of(dict(figures)))


def totals(rows: list[SubmissionFigures]) -> list[Totals]:
    """Each year's totals (in order; undated submissions left out), then all years' (year None)."""
    by_year: dict[int, list[SubmissionFigures]] = defaultdict(list)
    for row in rows:
        if row.year is not None:
            by_year[row.year].append(row)
    return [_sum(by_year[year], year) for year in sorted(by_year)] + [_sum(list(rows), None)]


@dataclass
class PeerRow:
    """An issuer's year against its peers': applications, the year's median and the ratio, its
    纠正率 beside the rest's, and the flags raised (each a short Chinese phrase)."""

    issuer: str
    submission_id: int
    year: int
    applications: Decimal | None
    median: float | None
    ratio: float | None
    rates: dict[str, float | None]
    others: dict[str, float | None]
    flags: list[str]


def _others_rate(rows: list[SubmissionFigures], one: SubmissionFigures, parts: tuple[str, str, str]) -> float | None:
    pooled = {label: sum((r.figures[label] or Decimal(0) for r in rows if r is not one), Decimal(0)) for label in parts}
    return rate(dict(pooled), *parts)


def _far_above(row: SubmissionFigures, name: str, others: float | None) -> bool:
    _, cases, pending = RATES[name]
    mine = row.rates[name]
    done = (row.figures[cases] or 0) - (row.figures[pending] or 0)
    if mine is None or others is None or done < MIN_CASES:
        return False
    return mine >= 2 * others and mine - others >= RATE_MARGIN


def peers(rows: list[SubmissionFigures]) -> list[PeerRow]:
    """Every dated submission against the other issuers of its year."""
    by_year: dict[int, list[SubmissionFigures]] = defaultdict(list)
    for row in rows:
        if row.year is not None:
            by_year[row.year].append(row)
    found = []
    for year in sorted(by_year):
        group = by_year[year]
        known = [float(r.figures[RECEIVED]) for r in group if r.figures[RECEIVED] is not None]  # type: ignore[arg-type]
        median = statistics.median(known) if known else None
        for row in sorted(group, key=lambda r: r.issuer):
            applications = row.figures[RECEIVED]
            ratio = round(float(applications) / median, 1) if applications is not None and median else None
            others = {name: _others_rate(group, row, parts) for name, parts in RATES.items()}
            flags = [f"申请量为中位数的{ratio}倍"] if ratio is not None and ratio >= APPLICATIONS_FACTOR else []
            flags += [f"{name}远高于其他机关" for name in RATES if _far_above(row, name, others[name])]
            found.append(
                PeerRow(row.issuer, row.submission_id, year, applications, median, ratio, row.rates, others, flags)
            )
    return found


@dataclass
class YearChange:
    """An issuer's figures in two consecutive years: each as last, this, change and rate."""

    issuer: str
    issuer_id: int
    last_year: int
    this_year: int
    figures: dict[str, dict[str, float | None]]


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def year_over_year(rows: list[SubmissionFigures]) -> list[YearChange]:
    """The change of every figure between two consecutive years of one issuer."""
    by_issuer: dict[int, dict[int, SubmissionFigures]] = defaultdict(dict)
    for row in rows:
        if row.year is not None:
            by_issuer[row.issuer_id][row.year] = row
    found = []
    for years in by_issuer.values():
        for year in sorted(years):
            last, this = years.get(year - 1), years[year]
            if last is not None:
                changes = {
                    label: change_fields(_number(last.figures[label]), _number(this.figures[label])) for label in LABELS
                }
                found.append(YearChange(this.issuer, this.issuer_id, year - 1, year, changes))
    return sorted(found, key=lambda c: (c.issuer, c.this_year))
