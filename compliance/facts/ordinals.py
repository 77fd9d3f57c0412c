"""Stage 4: heading ordinals against the 一、/（一）/1./（1） scheme (GB/T 9704-2012 7.3.3).

Headings come from the parse tree, which accepts half-width brackets and stray separators so the
structure reads right; the form is judged here. A line opening "一." or "一，" is no heading to the
parser and is found by its first characters. Levels may be skipped (一、 then 1.: common practice);
a lower level with no first-level heading before it may not. Numbering is checked among the
siblings below the parts only: the parts themselves are the STRUCT rules' business."""

from __future__ import annotations

import re
from typing import Iterator

from compliance.facts.figures import chinese_value
from compliance.models.facts import Fact
from compliance.models.facts_style import OrdinalFact, OrdinalWords
from compliance.models.text import NormalizedText
from compliance.models.tree import DocumentTree, Section

_NUMERALS = "一二三四五六七八九十"
_MAX_TITLE = 60  # as the parser: a longer first clause is prose that begins with a numeral
_FIRST_CLAUSE = re.compile(r"[，。；：,;:！？!?]")
# An ordinal of each style in any of the forms the parser reads (regex; {n}: the ordinal).
_WRITTEN = {"cn": "{n}[、．.]", "paren_cn": "[（(]{n}[）)]", "arabic": "{n}(?:[、．]|\\.(?![0-9]))", "paren_arabic": "[（(]{n}[）)]"}


def _chinese(n: int) -> str:
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else "十" if tens == 1 else _NUMERALS[tens - 1] + "十"
    return head + (_NUMERALS[ones - 1] if ones else "")


def _value(section: Section) -> int:
    ordinal = section.heading.ordinal
    return int(ordinal) if ordinal.isdigit() else chinese_value(ordinal)


def _written(section: Section, value: int) -> str:
    return _chinese(value) if section.heading.style in ("cn", "paren_cn") else str(value)


def _siblings(sections: list[Section], top: bool = True) -> Iterator[tuple[list[Section], bool]]:
    yield sections, top
    for section in sections:
        yield from _siblings(section.sections(), False)


def _unparsed_pattern(words: OrdinalWords) -> re.Pattern:
    separators = "".join(map(re.escape, words.cn_wrong_separators))
    return re.compile(rf"^[ \u3000]*(?P<m>(?P<n>[{_NUMERALS}]{{1,3}})[{separators}])(?![{_NUMERALS}0-9\s])(?P<rest>.*)$", re.M)


class Ordinals:
    def __init__(self, words: OrdinalWords):
        self.words = words
        self.unparsed = _unparsed_pattern(words)

    def extract(self, tree: DocumentTree, text: NormalizedText, tables: list[tuple[int, int]]):
        """Ordinal facts, and the spans of every heading ordinal (no other style rule looks inside)."""
        finder = _Finder(text, self.words)
        finder.forms(tree)
        finder.unparsed(tables, self.unparsed)
        finder.levels(tree)
        finder.numbering(tree)
        return finder.facts, finder.markers


class _Finder:
    def __init__(self, text: NormalizedText, words: OrdinalWords):
        self.text, self.words = text, words
        self.facts: list[Fact] = []
        self.markers: list[tuple[int, int]] = []

    def add(self, problem: str, start: int, end: int, expected: str, heading: str, style: str, previous: str = "") -> None:
        o_start, o_end = self.text.to_original(start, end)
        written = self.text.original[o_start:o_end]
        fixed = expected if problem == "form" else written  # only the form has a mechanical fix
        self.facts.append(
            OrdinalFact(problem=problem, text=written, expected=expected, heading=heading,
                        rule=self.words.levels[style].rule, previous=previous, replacement=fixed, start=start, end=end)
        )

    def standard(self, style: str, ordinal: str) -> tuple[str, set[str]]:
        level = self.words.levels[style]
        return level.standard.format(n=ordinal), {f.format(n=ordinal) for f in [level.standard, *level.also]}

    def forms(self, tree: DocumentTree) -> None:
        for node in tree.walk():
            if node.kind != "section":
                continue
            heading = node.heading
            self.markers.append((heading.start, heading.start + len(heading.marker)))
            standard, accepted = self.standard(heading.style, heading.ordinal)
            if heading.marker not in accepted:
                self.add("form", *self.markers[-1], standard, heading.title, heading.style)

    def unparsed(self, tables: list[tuple[int, int]], pattern: re.Pattern) -> None:
        for m in pattern.finditer(self.text.text):
            title = _FIRST_CLAUSE.split(m["rest"], 1)[0]
            if len(title) > _MAX_TITLE or any(a <= m.start() < b for a, b in tables):
                continue
            self.markers.append(m.span("m"))
            self.add("form", *m.span("m"), self.standard("cn", m["n"])[0], title, "cn")

    def levels(self, tree: DocumentTree) -> None:
        orphan_run = False
        for section in tree.sections:
            orphan = section.heading.style != "cn"
            if orphan and not orphan_run:  # the first of a run says it for the run
                heading = section.heading
                first = self.standard("cn", "一")[0]
                self.add("orphan", heading.start, heading.start + len(heading.marker), first, heading.title, "cn")
            orphan_run = orphan

    def numbering(self, tree: DocumentTree) -> None:
        for sections, top in _siblings(tree.sections):
            if top:
                continue
            for before, section in zip(sections, sections[1:]):
                if before.heading.style != section.heading.style or _value(section) == _value(before) + 1:
                    continue
                next_ordinal = _written(section, _value(before) + 1)
                between = self.text.text[before.heading.start + len(before.heading.marker) : section.start]
                # A heading the parser took as prose (run in after a full stop, or a long first
                # sentence) still numbers the sequence.
                if re.search(rf"(?:^|[。；;！？!?\s]){_WRITTEN[section.heading.style].format(n=next_ordinal)}", between):
                    continue
                expected = self.standard(section.heading.style, next_ordinal)[0]
                heading = section.heading
                self.add("sequence", heading.start, heading.start + len(heading.marker), expected, heading.title,
                         heading.style, before.heading.marker + before.heading.title)

