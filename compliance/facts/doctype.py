"""Stage 4: whether the draft is an annual report at all, or a 工作要点, a notice, a template….

Told from the title (or the short lines before the first heading, when the draft has no title)
against ``rules/lexicon/doctypes.yaml``; a document under a cover notice with enough parts of an
annual report is one."""

from __future__ import annotations

import re

from compliance.facts.structure import classify
from compliance.models.rulespec import DocumentKind, DocumentKindLexicon, PartLexicon
from compliance.models.tree import DocumentTree

_LEADING_LINES = 12
_SHORT = 60


def _heading_lines(tree: DocumentTree) -> list[str]:
    """The title, or the short lines before the first part (a cover: 文号, organ, title)."""
    if tree.title is not None:
        return [tree.title.text]
    lines = [p.text for p in tree.preamble[:_LEADING_LINES] if p.kind == "paragraph" and len(p.text) <= _SHORT]
    return lines or [s.heading.text for s in tree.sections[:1]]


def kind(tree: DocumentTree, lexicon: DocumentKindLexicon, parts: PartLexicon) -> DocumentKind | None:
    """What the document is instead of an annual report; None when it is one."""
    heading = "".join(re.sub(r"\s+", "", line) for line in _heading_lines(tree))
    found = next((k for k in lexicon.kinds if re.search(k.pattern, heading)), None)
    if found is not None and found.cover:
        report_parts = {classify(s.heading.title, parts) for s in tree.sections} - {None}
        return None if len(report_parts) >= lexicon.report_parts else found
    return found
