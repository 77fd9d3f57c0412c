"""Stage 4: tree + text + context → facts. Each extractor is one module; this lists them."""

from __future__ import annotations

from compliance.facts import document, patterns, script, structure, table_checks, tables
from compliance.models.config import Overrides
from compliance.models.facts import Fact, Unavailable
from compliance.models.findings import DocumentInfo
from compliance.models.text import NormalizedText
from compliance.models.tree import DocumentTree
from compliance.rulebook import Rulebook


def extract(
    tree: DocumentTree, text: NormalizedText, rulebook: Rulebook, overrides: Overrides
) -> tuple[DocumentInfo, list[Fact], list[Unavailable]]:
    info, facts = document.describe(tree, text, rulebook, overrides)
    regime = rulebook.regimes[info.regime]
    facts += structure.extract(tree, info, regime, rulebook.parts)
    facts += patterns.extract(text.text, rulebook.patterns)
    facts += script.extract(text)
    unavailable: list[Unavailable] = []
    found_tables = tables.read_all(tree, rulebook.parts, rulebook.tables)
    for found, missing in (
        table_checks.extract(found_tables, regime, rulebook.tables),
    ):
        facts += found
        unavailable += missing
    return info, facts, unavailable
