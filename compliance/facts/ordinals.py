"""Stage 4: heading ordinals, observed against the 一、/（一）/1./（1） scheme (GB/T 9704-2012 7.3.3)
→ heading_ordinal facts, which STYLE-ORDINAL judges. Two aspects:

- ordinal, for every heading: the ordinal as written, the standard form of its level (lexicon) and
  ``distance``, the characters to change to reach a form the lexicon accepts (0: it is one);
  below the parts, when the previous sibling has its style, the number that sibling calls for
  next and the ``difference`` (when the heading does not follow it, a heading the parser took as
  prose between them — run in after a full stop, or a long first sentence — numbers the
  sequence). Headings come from the parse tree, which accepts half-width brackets and stray
  separators so the structure reads right; a line opening
  "一." or "一，" is no heading to the parser and is found by its first characters. The parts'
  own numbering is the STRUCT rules' business.
- level, for every top-level heading: its level and ``previous_level``, the level of the
  top-level heading before it (0: none). Levels may be skipped below a first-level heading
  (一、 then 1.: common practice); a lower level with no first-level heading before it may not."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Literal

from compliance.facts.figures import chinese_value
from compliance.models.facts import Fact
from compliance.models.facts_style import OrdinalFact, OrdinalWords
from compliance.models.text import NormalizedText
from compliance.models.tree import DocumentTree, OrdinalStyle, Section

_NUMERALS = "一二三四五六七八九十"
_MAX_TITLE = 60  # as the parser: a longer first clause is prose that begins with a numeral
_FIRST_CLAUSE = re.compile(r"[，。；：,;:！？!?]")
# An ordinal of each style in any of the forms the parser reads (regex; {n}: the ordinal).
_WRITTEN = {
    "cn": "{n}[、．.]",
    "paren_cn": "[（(]{n}[）)]",
    "arabic": "{n}(?:[、．]|\\.(?![0-9]))",
    "paren_arabic": "[（(]{n}[）)]",
}


def _chinese(n: int) -> str:
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else "十" if tens == 1 else _NUMERALS[tens - 1] + "十"
    return head + (_NUMERALS[ones - 1] if ones else "")


@lru_cache(maxsize=256)
def _number(ordinal: str) -> int:
    return int(ordinal) if ordinal.isdigit() else chinese_value(ordinal)


def _value(section: Section) -> int:
    return _number(section.heading.ordinal)


def _written(section: Section, value: int) -> str:
    return _chinese(value) if section.heading.style in ("cn", "paren_cn") else str(value)


_FORMS = 1024  # ordinals' forms kept
_LEVELS = {"cn": 1, "paren_cn": 2, "arabic": 3, "paren_arabic": 4}


@lru_cache(maxsize=256)
def _distance(one: str, other: str) -> int:
    """Characters to insert, delete or replace to make ``one`` into ``other`` (Levenshtein)."""
    row = list(range(len(other) + 1))
    for i, a in enumerate(one, 1):
        previous, row[0] = row[0], i
        for j, b in enumerate(other, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (a != b))
    return row[-1]


def _siblings(sections: list[Section], top: bool = True) -> Iterator[tuple[list[Section], bool]]:
    yield sections, top
    for section in sections:
        yield from _siblings(section.sections(), False)


def _unparsed_pattern(words: OrdinalWords) -> re.Pattern:
    separators = "".join(map(re.escape, words.cn_wrong_separators))
    return re.compile(
        rf"^[ \u3000]*(?P<m>(?P<n>[{_NUMERALS}]{{1,3}})[{separators}])(?![{_NUMERALS}0-9\s])(?P<rest>.*)$", re.M
    )


class Ordinals:
    def __init__(self, words: OrdinalWords):
        self.words = words
        self.unparsed = _unparsed_pattern(words)
        self.forms: dict[tuple[str, str], tuple[str, frozenset[str]]] = {}  # _Finder.standard's, kept

    def extract(self, tree: DocumentTree, text: NormalizedText, tables: list[tuple[int, int]]):
        """Ordinal facts, and the spans of every heading ordinal (no other style rule looks inside)."""
        finder = _Finder(text, self.words, self.forms)
        finder.ordinals(tree, finder.numbering(tree))
        finder.unparsed(tables, self.unparsed)
        finder.levels(tree)
        return finder.facts, finder.markers


class _Finder:
    def __init__(
        self, text: NormalizedText, words: OrdinalWords, forms: dict[tuple[str, str], tuple[str, frozenset[str]]]
    ):
        self.text, self.words, self.forms = text, words, forms
        self.facts: list[Fact] = []
        self.markers: list[tuple[int, int]] = []

    def standard(self, style: OrdinalStyle, ordinal: str) -> tuple[str, frozenset[str]]:
        """The standard form of an ordinal at its level, and every form the lexicon accepts."""
        if (style, ordinal) not in self.forms:
            if len(self.forms) > _FORMS:
                self.forms.clear()
            level = self.words.levels[style]
            accepted = frozenset(f.format(n=ordinal) for f in [level.standard, *level.also])
            self.forms[style, ordinal] = (level.standard.format(n=ordinal), accepted)
        return self.forms[style, ordinal]

    def add(
        self,
        aspect: Literal["ordinal", "level"],
        start: int,
        end: int,
        style: OrdinalStyle,
        ordinal: str,
        title: str,
        **seen,
    ) -> None:
        """A fact about the ordinal at start:end."""
        o_start, o_end = self.text.to_original(start, end)
        written = self.text.original[o_start:o_end]
        standard, accepted = self.standard(style, ordinal)
        marker = self.text.text[start:end]
        distance = 0 if marker in accepted else min(_distance(marker, form) for form in accepted)
        number = _number(ordinal)
        seen = {"expected": standard, "expected_number": number, **seen}
        self.facts.append(
            OrdinalFact(
                aspect=aspect,
                text=written,
                style=style,
                level=_LEVELS[style],
                heading=title,
                standard=standard,
                number=number,
                distance=distance,
                difference=number - seen["expected_number"],
                replacement=standard
                if distance and aspect == "ordinal"
                else written,  # only the form has a mechanical fix
                start=start,
                end=end,
                **seen,
            )
        )

    def numbering(self, tree: DocumentTree) -> dict[int, dict]:
        """What the sequence says of each heading below the parts whose previous sibling has its
        style: the number it calls for next, its standard form and that sibling (by heading start)."""
        found = {}
        for sections, top in _siblings(tree.sections):
            if top:
                continue
            for before, section in itertools.pairwise(sections):
                if before.heading.style != section.heading.style:
                    continue
                previous, expected = before.heading.marker + before.heading.title, _value(before) + 1
                if _value(section) != expected:
                    # A heading the parser took as prose (run in after a full stop, or a long
                    # first sentence) may stand between: it numbers the sequence.
                    between = self.text.text[before.heading.start + len(before.heading.marker) : section.start]
                    written = _WRITTEN[section.heading.style].format(n=_written(section, expected))
                    if run_in := re.search(rf"(?:^|[。；;！？!?\s])({written})", between):
                        previous, expected = run_in[1], expected + 1
                form = self.standard(section.heading.style, _written(section, expected))[0]
                found[section.heading.start] = {"expected": form, "expected_number": expected, "previous": previous}
        return found

    def ordinals(self, tree: DocumentTree, numbering: dict[int, dict]) -> None:
        for node in tree.walk():
            if node.kind != "section":
                continue
            heading = node.heading
            self.markers.append((heading.start, heading.start + len(heading.marker)))
            self.add(
                "ordinal",
                *self.markers[-1],
                heading.style,
                heading.ordinal,
                heading.title,
                **numbering.get(heading.start, {}),
            )

    def unparsed(self, tables: list[tuple[int, int]], pattern: re.Pattern) -> None:
        for m in pattern.finditer(self.text.text):
            title = _FIRST_CLAUSE.split(m["rest"], 1)[0]
            if len(title) > _MAX_TITLE or any(a <= m.start() < b for a, b in tables):
                continue
            self.markers.append(m.span("m"))
            self.add("ordinal", *m.span("m"), "cn", m["n"], title)

    def levels(self, tree: DocumentTree) -> None:
        first = self.standard("cn", "一")[0]
        previous = 0
        for section in tree.sections:
            heading = section.heading
            self.add(
                "level",
                heading.start,
                heading.start + len(heading.marker),
                heading.style,
                heading.ordinal,
                heading.title,
                expected=first,
                previous_level=previous,
            )
            previous = _LEVELS[heading.style]
