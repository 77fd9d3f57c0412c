"""The figures the prose of both years states (``facts.figures``), the same quantity side by side.

A quantity is what the figure's clause names in the tables (the figure lexicon's terms, the
applicant kind, the 复议/诉讼 group), else the words before it with the unit; each year's first
statement of it counts. Figures of another year (比上年…, 2022年…) are left out."""

from __future__ import annotations

from pathlib import Path

from compliance.compare.reading import Year
from compliance.compare.tables import change_fields
from compliance.facts.figures import Figure, read
from compliance.facts.tables import normal_label
from compliance.models.comparison import FigureComparison, FigureStatement


def _key(figure: Figure) -> str:
    return figure.key or f"|{normal_label(figure.label)}|{figure.unit}"


def _name(figure: Figure) -> str:
    if not figure.names:
        return normal_label(figure.label)
    applicant = f"（{figure.applicant}）" if figure.applicant else ""
    return "、".join(figure.names) + applicant


def _stated(year: Year, root: Path | None) -> dict[str, Figure]:
    """Each quantity's first statement, in the order of the text."""
    first: dict[str, Figure] = {}
    for figure in read(year.reading.tree, year.info.year, root)[0]:
        if not figure.prior:
            first.setdefault(_key(figure), figure)
    return first


def _statement(figure: Figure | None) -> FigureStatement | None:
    if figure is None:
        return None
    return FigureStatement(text=figure.text, value=float(figure.value), context=figure.clause)


def compare_figures(last: Year, this: Year, root: Path | None = None) -> list[FigureComparison]:
    """This year's quantities in the order stated, then those only last year stated."""
    old, new = _stated(last, root), _stated(this, root)
    compared = []
    for key in list(new) + [key for key in old if key not in new]:
        before, after = old.get(key), new.get(key)
        named = after or old[key]
        compared.append(
            FigureComparison(
                name=_name(named),
                unit=named.unit,
                last_statement=_statement(before),
                this_statement=_statement(after),
                **change_fields(
                    float(before.value) if before else None,
                    float(after.value) if after else None,
                ),
            )
        )
    return compared
