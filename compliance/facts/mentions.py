"""Stage 4: mentions — which parts of the report use the terms of each set of the mentions lexicon
(``rules/lexicon/mentions.yaml`` and a rule pack's own), one ``mention`` fact per set and part.

A generic observation, so that a rule pack can ask "does part 一 speak of 政务新媒体?" without
Python. Parts are the top-level sections, named by the content item their heading maps to —
``structure.classify``, the classification the structure facts use; the text before the first
part is the ``preamble``. A part's text is its headings, paragraphs (joined across line breaks)
and table cells."""

from __future__ import annotations

import re
from functools import cache

from compliance.facts.structure import classify
from compliance.models.facts import Fact
from compliance.models.facts_mentions import PREAMBLE, MentionFact
from compliance.models.rulespec import MentionSet, PartLexicon
from compliance.models.tree import DocumentTree, Paragraph, Section, Table


@cache
def _pattern(terms: tuple[str, ...], patterns: tuple[str, ...]) -> re.Pattern:
    """One alternation per set: the patterns, then the terms longest first (同比 inside 与上年同比)."""
    words = sorted(terms, key=len, reverse=True)
    return re.compile("|".join([*(f"(?:{p})" for p in patterns), *map(re.escape, words)]))


def compiled(entry: MentionSet) -> re.Pattern:
    return _pattern(tuple(entry.terms), tuple(entry.patterns))


def _pieces(nodes, text: str) -> list[tuple[str, object]]:
    """(text, how to map an index of it to a document offset) of each piece of text."""
    pieces: list[tuple[str, object]] = []
    for node in nodes:
        if isinstance(node, Section):
            pieces.append((text[node.heading.start : node.heading.end], node.heading.start))
        elif isinstance(node, Paragraph):
            pieces.append((node.text, node))
        elif isinstance(node, Table):
            pieces += [(cell.text, cell.start) for row in node.rows for cell in row]  # text[start:end]
    return pieces


def _offset(where, index: int) -> int:
    return where.doc_offset(index) if isinstance(where, Paragraph) else where + index


def _scan(pieces, pattern: re.Pattern) -> tuple[int, str, int, int] | None:
    """(count, first term, its start, its end) of the pattern's matches in the pieces, or None."""
    count, first = 0, None
    for text, where in pieces:
        if not pattern.search(text):  # most pieces hold none: one search says so, cheaper than a finditer
            continue
        for match in pattern.finditer(text):
            if match.end() == match.start():
                continue
            count += 1
            if first is None:
                first = (match.group(), _offset(where, match.start()), _offset(where, match.end()))
    return (count, *first) if first else None


def extract(tree: DocumentTree, text: str, sets: dict[str, MentionSet], lexicon: PartLexicon) -> list[Fact]:
    """``text``: the normalised text the tree was parsed from."""
    if not sets:
        return []
    parts: list[tuple[str, str, list]] = [(PREAMBLE, "", _pieces(tree.preamble, text))]
    for section in tree.sections:
        heading = section.heading.marker + section.heading.title
        parts.append(
            (classify(section.heading.title, lexicon) or "", heading, _pieces([section, *section.walk()], text))
        )
    facts: list[Fact] = []
    for name, entry in sets.items():
        pattern = compiled(entry)
        for part, heading, pieces in parts:
            if found := _scan(pieces, pattern):
                count, term, start, end = found
                facts.append(
                    MentionFact(
                        set=name,
                        label=entry.label,
                        part=part,
                        heading=heading,
                        term=term,
                        count=count,
                        start=start,
                        end=end,
                    )
                )
    return facts
