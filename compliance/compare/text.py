"""Each part's text in both years: how alike the two parts are (the fingerprints and Jaccard
similarity ``facts.duplicates`` finds copied parts with) and which of this year's paragraphs
are last year's unchanged.

Parts are matched by the content item their heading names (``rules/lexicon/parts.yaml``), else
by the heading itself; the text before the first part is a part of its own. A paragraph is
copied when last year's report has the same paragraph anywhere, white space and character
width (full-width digits, letters) aside, and it has ``MIN_COPIED`` characters at least: shorter
ones (the format's own labels, "第二十条第（一）项", a "无。") are alike in every report."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import numpy as np

from compliance.facts.duplicates import MIN_PRINTS, fingerprint, similarity
from compliance.facts.structure import classify
from compliance.facts.tables import normal_label
from compliance.models.comparison import ParagraphMark, PartComparison
from compliance.models.rulespec import PartLexicon
from compliance.models.tree import DocumentTree, Paragraph, Section

PREAMBLE = "（正文各部分之前）"
MIN_COPIED = 15
_SPACE = re.compile(r"\s+")
_NOTHING_COMMON = np.empty(0, dtype=np.uint32)


def _normal(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


def _copied(text: str, earlier: set[str]) -> bool:
    normal = _normal(text)
    return len(normal) >= MIN_COPIED and normal in earlier


def _parts(tree: DocumentTree, lexicon: PartLexicon) -> dict[str, tuple[str, list[Paragraph]]]:
    """The parts by key: heading and paragraphs (the first part of a key, when two share one)."""
    parts: dict[str, tuple[str, list[Paragraph]]] = {}
    preamble = [node for node in tree.preamble if isinstance(node, Paragraph)]
    if preamble:
        parts[PREAMBLE] = (PREAMBLE, preamble)
    for section in tree.sections:
        heading = section.heading.marker + section.heading.title
        key = classify(section.heading.title, lexicon) or normal_label(section.heading.title)
        parts.setdefault(key, (heading, _paragraphs(section)))
    return parts


def _paragraphs(section: Section) -> list[Paragraph]:
    return [node for node in section.walk() if isinstance(node, Paragraph)]


def _similarity(last: Iterable[Paragraph], this: Iterable[Paragraph]) -> int | None:
    """Whole percent; None when either part has too little prose to compare."""
    one, other = (fingerprint("\n".join(p.text for p in paragraphs)) for paragraphs in (last, this))
    if one.size < MIN_PRINTS or other.size < MIN_PRINTS:
        return None
    return similarity(one, other, _NOTHING_COMMON)


def compare_parts(last: DocumentTree, this: DocumentTree, lexicon: PartLexicon) -> list[PartComparison]:
    """This year's parts in order, then those only last year has."""
    old, new = _parts(last, lexicon), _parts(this, lexicon)
    earlier = {_normal(p.text) for _, paragraphs in old.values() for p in paragraphs}
    compared = []
    for key in list(new) + [key for key in old if key not in new]:
        before, after = old.get(key), new.get(key)
        compared.append(
            PartComparison(
                key=key,
                last_heading=before[0] if before else None,
                this_heading=after[0] if after else None,
                similarity=_similarity(before[1], after[1]) if before and after else None,
                paragraphs=[
                    ParagraphMark(text=p.text, copied=_copied(p.text, earlier)) for p in (after[1] if after else [])
                ],
            )
        )
    return compared
