"""The carry-over relations between the two years, as ``check --previous`` finds them
(``facts.carryover``): each pair with whether it holds."""

from __future__ import annotations

from compliance.compare.reading import Year
from compliance.facts.carryover import PreviousReport, extract
from compliance.i18n import _
from compliance.models.comparison import CarryoverCheck
from compliance.models.facts_tables import CarryoverFact
from compliance.models.rulespec import TableLexicon


def compare_carryover(
    last: Year, this: Year, lexicon: TableLexicon, consecutive: bool
) -> tuple[list[CarryoverCheck], list[str]]:
    """Every relation the two reports give, and why one could not be checked. Reports of years
    not in a row are checked all the same (the comparison warns of it)."""
    previous = PreviousReport(last.reading.source.path, last.info.year, last.tables)
    found, missing = extract(this.tables, this.info.year if consecutive else None, previous, lexicon)
    checks = [
        CarryoverCheck(
            relation=fact.relation,
            table_label=fact.table_label,
            row=fact.row,
            column=fact.column,
            this_value=fact.this_value,
            expected=fact.expected,
            previous_value=fact.previous_value,
            issued=fact.issued if fact.relation == "stock" else None,
            repealed=fact.repealed if fact.relation == "stock" else None,
            difference=fact.difference,
            holds=fact.difference == 0,
        )
        for fact in found
        if isinstance(fact, CarryoverFact)
    ]
    notes = [_("一份报告没有可读的表三，无法核对上年结转")] if missing else []
    if not any(check.relation == "stock" for check in checks):
        notes.append(_("两年的表二须都按 2021 年格式填写且数字可读，才能核对现行有效件数"))
    return checks, notes
