"""Stage 4: whether the text ends where the report ends, or stops in mid-part.

A page copied only in part stops in the middle of a sentence, inside a table, or after a heading
with nothing under it; a report whose later parts all go missing with no signature at the end has
been cut too. Such a document is said to be truncated once (STRUCT-TRUNCATED), and what would
have stood in the missing text — the later parts, the fee and assessment statements, the tables
of the part it stops in — is not checked rather than reported missing one by one."""

from __future__ import annotations

import re
from dataclasses import dataclass

from compliance.facts.structure import classify
from compliance.models.facts import DocumentEndFact
from compliance.models.rulespec import IssuerLexicon, PartLexicon, RegimeSpec
from compliance.models.tree import DocumentTree, Paragraph, Section, Table

# A paragraph that ends like this ends a sentence; a date or a signature line closes a report.
_SENTENCE_END = re.compile(r"[。！？；…!?;”’」』）)】》\]]\s*$")
# (a date damaged by extraction, "2020331", still closes it)
_DATE = re.compile(r"[0-9０-９〇○零一二三四五六七八九十]{2,4}\s*年.{1,6}日\s*$|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\s*$|^\s*\d{6,8}\s*$")
_SIGNATURE_MAX = 30
# So many later parts missing, with nothing closing the text, is a cut, not an omission.
_MISSING_AT_END = 3
_EXCERPT = 12


@dataclass
class Ending:
    """How the text ends: ``truncated`` with the way it stops (``how``) and the part it stops in."""

    truncated: bool
    how: str = ""  # sentence | table | heading | parts
    part: Section | None = None
    at: int = 0  # where the text stops
    last_text: str = ""


def _closing(paragraph: Paragraph, suffixes: tuple[str, ...], residue: list[tuple[int, int]]) -> bool:
    """A date, a signature or page chrome after the report's last sentence."""
    text = paragraph.text.strip()
    if _DATE.search(text) and len(text) <= _SIGNATURE_MAX:
        return True
    if len(text) <= _SIGNATURE_MAX and text.endswith(suffixes) and not re.search(r"[，。；,;]", text):
        return True
    return any(start <= paragraph.start and paragraph.end <= end for start, end in residue)


def _without_residue(paragraph: Paragraph, residue: list[tuple[int, int]]) -> str:
    """The paragraph's text before page chrome that ends it ("…1万元。 附件下载")."""
    tail = min((start for start, end in residue if paragraph.start < start < paragraph.end <= end), default=None)
    if tail is None:
        return paragraph.text
    kept = sum(len(piece) for start, piece in paragraph.pieces if start + len(piece) <= tail)
    partial = next((tail - start for start, piece in paragraph.pieces if start < tail < start + len(piece)), 0)
    return paragraph.text[: kept + partial].rstrip()


def _last_part(tree: DocumentTree, offset: int) -> Section | None:
    return next((s for s in reversed(tree.sections) if s.start <= offset), None)


def ending(
    tree: DocumentTree, regime: RegimeSpec, parts: PartLexicon, issuers: IssuerLexicon, residue: list[tuple[int, int]]
) -> Ending:
    suffixes = tuple(issuers.government_suffixes + issuers.department_suffixes)
    nodes = [n for n in tree.walk() if n.kind in ("paragraph", "table", "section")]
    closed = False
    while nodes and nodes[-1].kind == "paragraph" and _closing(nodes[-1], suffixes, residue):
        nodes.pop()
        closed = True
    if not nodes:
        return Ending(False)
    last = nodes[-1]
    part = _last_part(tree, last.start)
    order = [i.item for i in regime.items if i.family == "part"]
    present = [classify(s.heading.title, parts) for s in tree.sections]
    reached = max((order.index(i) for i in present if i in order), default=-1)
    after = len(order) - 1 - reached  # format parts after the last one the text has
    if isinstance(last, Section) and not last.children:
        return Ending(True, "heading", part, last.end, last.heading.text[-_EXCERPT:])
    if isinstance(last, Table) and after > 0:
        cells = [c for row in last.rows for c in row if c.text]
        return Ending(True, "table", part, last.end, cells[-1].text[-_EXCERPT:] if cells else "")
    if isinstance(last, Paragraph) and not closed and not _SENTENCE_END.search(_without_residue(last, residue)) and after > 0:
        return Ending(True, "sentence", part, last.end, last.text[-_EXCERPT:])
    if not closed and after >= _MISSING_AT_END and reached >= 0:
        text = last.text if isinstance(last, Paragraph) else ""
        return Ending(True, "parts", part, last.end, text[-_EXCERPT:])
    return Ending(False)


def extract(end: Ending) -> list[DocumentEndFact]:
    if not end.truncated:
        return []
    part = end.part.heading.marker + end.part.heading.title if end.part else ""
    return [DocumentEndFact(truncated=True, how=end.how, part=part, last_text=end.last_text,
                            start=max(end.at - len(end.last_text), 0), end=end.at)]
