"""Stage 4: whether the text ends where the report ends, or stops in mid-part.

A page copied only in part stops in the middle of a sentence, inside a table, or after a heading
with nothing under it; a report whose later parts all go missing with no signature at the end has
been cut too. Such a document is said to be truncated once (STRUCT-TRUNCATED), and what would
have stood in the missing text — the later parts, the fee and assessment statements, the tables
of the part it stops in — is not checked rather than reported missing one by one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from compliance.facts.structure import classify
from compliance.models.facts import DocumentEndFact, EndKind
from compliance.models.rulespec import IssuerLexicon, PartLexicon, RegimeSpec
from compliance.models.tree import DocumentTree, Paragraph, Section, Table

# A paragraph that ends like this ends a sentence; a date or a signature line closes a report.
_SENTENCE_END = re.compile(r"[。！？；…!?;”’」』）)】》\]]\s*$")
# (a date damaged by extraction, "2020331", still closes it)
_DATE = re.compile(
    r"[0-9０-９〇○零一二三四五六七八九十]{2,4}\s*年.{1,6}日\s*$|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\s*$|^\s*\d{6,8}\s*$"
)
_SIGNATURE_MAX = 30
# So many later parts missing, with nothing closing the text, is a cut, not an omission.
_MISSING_AT_END = 3
_EXCERPT = 12


@dataclass
class Ending:
    """How the text ends: its last element (``last``: heading — one with nothing under it —, table,
    open_sentence, sentence, other), whether a date, signature or page chrome closes it, the rank of
    the furthest format part it has (``reached``, 0: none) and how many format parts follow that one
    (``after``); the part it stops in, where it stops and its last characters. ``how`` is the cut
    read from these (sentence | table | heading | parts; "" when the text ends as a report does),
    which decides what is not checked: the same cases as STRUCT-TRUNCATED's condition."""

    last: EndKind | Literal[""]  # "": no text
    closed: bool = False
    reached: int = 0
    after: int = 0
    part: Section | None = None
    at: int = 0  # where the text stops
    last_text: str = ""
    how: str = ""

    @property
    def truncated(self) -> bool:
        return bool(self.how)


def _cut(last: str, closed: bool, reached: int, after: int) -> str:
    """How the text was cut, if it was (rules/struct/STRUCT-TRUNCATED.yaml holds the same cases)."""
    if last == "heading":
        return "heading"
    if last == "table" and after > 0:
        return "table"
    if last == "open_sentence" and not closed and after > 0:
        return "sentence"
    if not closed and after >= _MISSING_AT_END and reached > 0:
        return "parts"
    return ""


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
        return Ending("")
    last = nodes[-1]
    part = _last_part(tree, last.start)
    order = [i.item for i in regime.items if i.family == "part"]
    present = [classify(s.heading.title, parts) for s in tree.sections]
    reached = max((order.index(i) + 1 for i in present if i in order), default=0)
    after = len(order) - reached  # format parts after the last one the text has
    kind: EndKind
    if isinstance(last, Section) and not last.children:
        kind, text = "heading", last.heading.text
    elif isinstance(last, Table):
        cells = [c for row in last.rows for c in row if c.text]
        kind, text = "table", cells[-1].text if cells else ""
    elif isinstance(last, Paragraph):
        kind = "sentence" if _SENTENCE_END.search(_without_residue(last, residue)) else "open_sentence"
        text = last.text
    else:
        kind, text = "other", ""
    return Ending(kind, closed, reached, after, part, last.end, text[-_EXCERPT:], _cut(kind, closed, reached, after))


def extract(end: Ending) -> list[DocumentEndFact]:
    if not end.last:
        return []  # no text
    part = end.part.heading.marker + end.part.heading.title if end.part else ""
    return [
        DocumentEndFact(
            last=end.last,
            closed=end.closed,
            parts_reached=end.reached,
            parts_after=end.after,
            part=part,
            last_text=end.last_text,
            start=max(end.at - len(end.last_text), 0),
            end=end.at,
        )
    ]
