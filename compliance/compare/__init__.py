"""Two years of one issuer side by side (``compliance compare LAST THIS``): each report read as a
check reads it (stages 1–4: description, tables, prose figures), then the three tables cell by
cell (``tables.py``), the carry-over relations (``carryover.py``), the prose figures
(``figures.py``) and each part's text (``text.py``) compared. Reports that are not consecutive
years of one issuer are compared all the same, with a warning."""

from __future__ import annotations

from pathlib import Path

from compliance.compare.carryover import compare_carryover
from compliance.compare.figures import compare_figures
from compliance.compare.reading import Year, consecutive, read_year
from compliance.compare.tables import chart_figures, compare_tables
from compliance.compare.text import compare_parts
from compliance.facts.duplicates import same_issuer
from compliance.facts.figures import lexicon as figure_lexicon
from compliance.i18n import _
from compliance.load import load
from compliance.models.comparison import Comparison
from compliance.models.source import Source
from compliance.rulebook import Rulebook, default_rulebook

__all__ = ["compare_files", "compare_sources"]


def _warnings(last: Year, this: Year) -> list[str]:
    warnings = []
    old, new = last.info, this.info
    if not consecutive(old, new):
        unknown = _("年度不明")
        warnings.append(
            _("两份报告不是相邻两个年度（{last}、{this}），仍作比较").format(
                last=_("{year}年").format(year=old.year) if old.year else unknown,
                this=_("{year}年").format(year=new.year) if new.year else unknown,
            )
        )
    if not same_issuer(old.issuer, new.issuer):
        unknown = _("发布机关不明")
        warnings.append(
            _("两份报告的发布机关不同（{last}、{this}），仍作比较").format(
                last=old.issuer or unknown, this=new.issuer or unknown
            )
        )
    return warnings


def compare_sources(last: Source, this: Source, rulebook: Rulebook | None = None) -> Comparison:
    """Last year's report beside this year's."""
    rulebook = rulebook or default_rulebook()
    old, new = read_year(last, rulebook), read_year(this, rulebook)
    checks, notes = compare_carryover(old, new, rulebook.tables, consecutive(old.info, new.info))
    figures = figure_lexicon(rulebook.root)
    return Comparison(
        last=old.side,
        this=new.side,
        warnings=_warnings(old, new),
        tables=compare_tables(old.tables, new.tables, rulebook.tables, figures.row_groups),
        carryover=checks,
        carryover_notes=notes,
        figures=compare_figures(old, new, rulebook.root),
        parts=compare_parts(old.reading.tree, new.reading.tree, rulebook.parts),
        chart=chart_figures(old.tables, new.tables),
    )


def compare_files(last: str | Path, this: str | Path) -> Comparison:
    """Two report files (any format the loaders read) compared; an unreadable one is an ``InputError``."""
    return compare_sources(load(last), load(this))
