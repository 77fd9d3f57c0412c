"""Stage 4: tree + text + context → facts. Each extractor is one module; this lists them."""

from __future__ import annotations

from compliance.facts import (
    carryover,
    completeness,
    doctype,
    document,
    duplicates,
    figure_checks,
    figures,
    mentions,
    patterns,
    script,
    structure,
    style,
    table_checks,
    tables,
    time,
)
from compliance.facts import keypoints as keypoint_facts
from compliance.facts.carryover import PreviousReport
from compliance.facts.duplicates import Comparison, OtherReport, other_report
from compliance.models.config import Overrides
from compliance.models.facts import Fact, Unavailable
from compliance.models.findings import DocumentInfo
from compliance.models.text import NormalizedText
from compliance.models.tree import DocumentTree
from compliance.rulebook import Rulebook

__all__ = [
    "Comparison",
    "OtherReport",
    "PreviousReport",
    "describe",
    "extract",
    "not_a_report",
    "other_report",
    "previous_report",
]


def not_a_report(tree: DocumentTree, rulebook: Rulebook) -> str | None:
    """Why the document is not an annual report (one line), or None when it is one."""
    other = doctype.kind(tree, rulebook.doctypes, rulebook.parts)
    return rulebook.doctypes.refusal.format(label=other.label, hint=other.hint) if other else None


def extract(
    tree: DocumentTree,
    text: NormalizedText,
    rulebook: Rulebook,
    overrides: Overrides,
    previous: PreviousReport | None = None,
    checklists: list | None = None,  # key-point checklists (compliance.models.checklist.Checklist)
    comparison: Comparison | None = None,
) -> tuple[DocumentInfo, list[Fact], list[Unavailable]]:
    info, facts = document.describe(tree, text, rulebook, overrides)
    regime = rulebook.regimes[info.regime]
    hits = patterns.extract(text.text, rulebook.patterns)
    residue = [(h.start, h.end) for h in hits if h.pattern_set == "residue"]
    end = completeness.ending(tree, regime, rulebook.parts, rulebook.issuers, residue)
    facts += completeness.extract(end)
    facts += hits
    facts += script.extract(text)
    facts += mentions.extract(tree, text.text, rulebook.mentions, rulebook.parts)
    facts += style.extract(tree, text, rulebook.root, residue)
    unavailable: list[Unavailable] = []
    found_tables = tables.read_all(tree, rulebook.parts, rulebook.tables)
    prose = figures.read(tree, info.year, rulebook.root)
    form = regime
    if info.year in regime.format_optional_years and not structure.follows_format(
        tree, rulebook.parts, regime, any(found_tables.readings.values())
    ):
        form = structure.free_form(regime)
        unavailable += [
            Unavailable(fact=k, reason="format-optional", values={"year": info.year})
            for k in ("part_heading", "part_order", "format_table", "table_label")
        ]
    for found, missing in (
        structure.extract(tree, info, form, rulebook.parts, end),
        table_checks.extract(found_tables, form, rulebook.tables, end, figure_checks.prose_values(prose[0])),
        carryover.extract(found_tables, info.year, previous, rulebook.tables),
        time.extract(tree, text, info, regime, rulebook.parts, time.words(rulebook.root)),
        figure_checks.extract(prose, regime.id, found_tables, rulebook.tables, rulebook.root),
        keypoint_facts.extract(tree, text.text, info, checklists, rulebook.parts, root=rulebook.root),
        duplicates.extract(tree, info, comparison or _previous_only(previous)),
    ):
        facts += found
        unavailable += missing
    return info, facts, unavailable


def previous_report(path: str, tree: DocumentTree, text: NormalizedText, rulebook: Rulebook) -> PreviousReport:
    """What a check of the following year needs of this report: its year, tables and part fingerprints."""
    info = describe(tree, text, rulebook)
    return PreviousReport(
        path=path,
        year=info.year,
        tables=tables.read_all(tree, rulebook.parts, rulebook.tables),
        other=other_report(path, info, tree, previous_year=True),
    )


def describe(
    tree: DocumentTree, text: NormalizedText, rulebook: Rulebook, overrides: Overrides | None = None
) -> DocumentInfo:
    return document.describe(tree, text, rulebook, overrides or Overrides())[0]


def _previous_only(previous: PreviousReport | None) -> Comparison | None:
    return Comparison([previous.other]) if previous and previous.other else None
