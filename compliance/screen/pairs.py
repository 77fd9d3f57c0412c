"""Screening: the submissions that are two years of one issuer, compared year over year
(``compliance compare``). An issuer is known by the name its report gives, spaces ignored; a name
that begins with a place and ends one longer name of the set is that issuer too, named without its
higher level (洪泽区人民政府 in one year, 淮安市洪泽区人民政府 in the next). Of two reports of one
issuer and one year, the first in file order is the one compared."""

from __future__ import annotations

import re
from collections import defaultdict

from pydantic import BaseModel

from compliance.facts.duplicates import shortened_name
from compliance.screen.summary import SummaryRow

_SPACES = re.compile(r"\s+")


class ComparisonRow(BaseModel):
    """A pair of submissions a year apart, and its comparison page (relative to the output folder)
    or why there is none."""

    issuer: str
    last_year: int
    this_year: int
    last_file: str
    this_file: str
    page: str = ""
    error: str = ""


def year_pairs(rows: dict[int, SummaryRow]) -> list[tuple[int, int]]:
    """(last year's position, this year's) for every two checked submissions of one issuer whose
    years are consecutive, in file order."""
    dated = {p: row for p, row in rows.items() if row.score is not None and row.issuer and row.year is not None}
    group = issuer_groups({_SPACES.sub("", row.issuer) for row in dated.values()})
    years: dict[str, dict[int, int]] = defaultdict(dict)
    for position in sorted(dated):
        row = dated[position]
        assert row.year is not None
        years[group[_SPACES.sub("", row.issuer)]].setdefault(row.year, position)
    pairs = [(held[year - 1], held[year]) for held in years.values() for year in held if year - 1 in held]
    return sorted(pairs, key=lambda pair: pair[1])


def issuer_groups(names: set[str]) -> dict[str, str]:
    """Each issuer name → its group's name: the one longer name of the set it ends, when it begins
    with a place; else itself."""
    group: dict[str, str] = {}
    for name in sorted(names, key=len, reverse=True):
        longer = {group[other] for other in group if shortened_name(name, other)}
        group[name] = longer.pop() if len(longer) == 1 else name
    return group


def comparison_row(last: SummaryRow, this: SummaryRow) -> ComparisonRow:
    assert last.year is not None and this.year is not None  # year_pairs pairs dated rows only
    return ComparisonRow(
        issuer=this.issuer, last_year=last.year, this_year=this.year, last_file=last.file, this_file=this.file
    )
