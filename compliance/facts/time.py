"""Stage 4: years and dates — tree + text + report year → year_mention, plan_year, date and
publication facts: every year the report states for itself with the year it implies and their
offset, every date with its calendar (days in its month), the publication date with its distance
from the deadline. Whether that is wrong the TIME rules say. Years inside 《》〔〕【】 are citations,
not claims."""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections.abc import Sequence
from datetime import date
from functools import cache
from pathlib import Path
from typing import Literal, NamedTuple, overload

from compliance.facts.structure import classify
from compliance.models.facts import Fact, Unavailable
from compliance.models.facts_time import (
    DateFact,
    PlanYearFact,
    PublicationFact,
    TimeLexicon,
    Words,
    Y,
    YearMentionFact,
    date_readings,
    days_in_month,
)
from compliance.models.findings import DocumentInfo
from compliance.models.rulespec import PartLexicon, RegimeSpec
from compliance.models.text import NormalizedText
from compliance.models.tree import DocumentTree
from compliance.resources import read_model

_YEAR = re.compile(rf"(?P<y>{Y})\s*年")
_CITED = re.compile(r"《[^《》]*》|〔[^〔〕]*〕|【[^【】]*】")
_SENTENCE = re.compile(r"[^。！？；!?;]+")
_CLAUSE_START = re.compile(r"(?:^|[，,：:、])\s*$")
_DATE = re.compile(rf"({Y})\s*[年\-/.]\s*(\d{{1,2}})\s*[月\-/.]\s*(\d{{1,2}})\s*日?")
# 7–8 digits from 19xx/20xx, not glued to other digits, letters, URL or document-number marks.
_RUN = re.compile(r"(?<![0-9A-Za-z.\-/_@:〔\[【［])((?:19|20)\d{5,6})(?![0-9A-Za-z.\-/_@〕\]】］])")
# A date that lost 年 and 月 before its 日: "201911日" (2019年1月1日); "至1231日" (12月31日) — a run
# without a year only as the end of a range, where it cannot be a count of days.
_RUN_DAY = re.compile(r"(?<![0-9A-Za-z.\-/_@:〔\[【［年月第])((?:19|20)\d{2,4}|(?<=[至到—~～])\d{3,4})(?=日)")
# What any match of _RUN, _RUN_DAY holds: most paragraphs have none, and a search for it is quick
# where the patterns themselves, led by a look-behind, are tried at every position.
_RUN_HINT = re.compile(r"(?:19|20)\d{5}")
_RUN_DAY_HINT = re.compile(r"\d{3}日")
_A_YEAR = re.compile(Y)
# What every pattern here needs (a year, 月 or 日): most table cells are counts and hold none.
_DATED = re.compile(rf"{Y}|[月日]")
_MONTH_DAY = re.compile(rf"(?:(?P<y>{Y})\s*年\s*)?(?<![0-9.\-/])(?P<m>\d{{1,3}})\s*月(?:\s*(?P<d>\d{{1,3}})\s*日)?")
_NEEDS_YEAR = ("year_mention", "plan_year", "publication")  # kinds that need the report year


@cache
def words(root: Path) -> Words:
    """The words of ``<rules>/lexicon/time.yaml``, validated and compiled once per rules folder."""
    return Words(read_model(root / "lexicon" / "time.yaml", TimeLexicon))


class _PieceOffsets(Sequence[int]):
    """The document offset of each character of a paragraph joined from its lines' pieces,
    computed when asked for (by bisection) rather than listed per character."""

    def __init__(self, pieces: list[tuple[int, str]]) -> None:
        self._pieces = pieces
        self._ends: list[int] | None = None  # the end of each piece in the joined text

    def _read(self) -> list[int]:
        if self._ends is None:
            self._ends = list(itertools.accumulate(len(piece) for _, piece in self._pieces))
        return self._ends

    def __len__(self) -> int:
        ends = self._read()
        return ends[-1] if ends else 0

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[int]: ...

    def __getitem__(self, index: int | slice) -> int | Sequence[int]:
        length = len(self)
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(length))]
        if index < 0:
            index += length
        if not 0 <= index < length:
            raise IndexError(index)
        ends = self._read()
        k = bisect_right(ends, index)
        return self._pieces[k][0] + index - (ends[k - 1] if k else 0)


class _Unit(NamedTuple):
    """A paragraph (joined across line breaks), cell or title, and the document offset of each character."""

    text: str
    offsets: Sequence[int]

    def span(self, i: int, j: int) -> tuple[int, int]:
        return self.offsets[i], self.offsets[j - 1] + 1

    def cited(self, i: int) -> bool:
        return any(m.start() < i < m.end() for m in _CITED.finditer(self.text))


def _units(nodes, text: str) -> list[_Unit]:
    """The paragraphs and cells of ``nodes`` that may state a year or a date. A table's cells are
    slices of its span of ``text``: one search of that passes over a table of counts at once."""
    units = []
    for node in nodes:
        if node.kind == "paragraph":
            if _DATED.search(node.text):
                units.append(_Unit(node.text, _PieceOffsets(node.pieces)))
        elif node.kind == "table" and _DATED.search(text, node.start, node.end):
            units += [
                _Unit(c.text, range(c.start, c.start + len(c.text)))
                for row in node.rows
                for c in row
                if _DATED.search(c.text)
            ]
    return units


def _fix(text: NormalizedText, unit: _Unit, span, years=(), expected: int = 0) -> dict:
    """Span, original text and that text with ``years`` set to ``expected``: shown, and as the edit."""
    start, end = unit.span(*span)
    o_start, o_end = text.to_original(start, end)
    original = fixed = text.original[o_start:o_end]
    for y_start, y_end in sorted(years, reverse=True):
        a, b = text.to_original(*unit.span(y_start, y_end))
        fixed = fixed[: a - o_start] + str(expected) + fixed[b - o_start :]
    shown = lambda s: re.sub(r"\s*\n\s*", "", s)  # noqa: E731
    return dict(start=start, end=end, text=shown(original), corrected=shown(fixed), replacement=fixed)


def _year_mentions(tree: DocumentTree, units: list[_Unit], text: NormalizedText, year: int, w: Words) -> list[Fact]:
    facts: list[Fact] = []

    def add(role, unit, span, stated, expected, wrong):
        fix = _fix(text, unit, span, wrong, expected)
        facts.append(YearMentionFact(role=role, year=stated, expected=expected, offset=stated - expected, **fix))

    title = tree.title and _Unit(text.text[tree.title.start : tree.title.end], range(tree.title.start, tree.title.end))
    if title and (m := _YEAR.search(title.text)):
        add("title", title, m.span(), int(m["y"]), year, [m.span("y")] if int(m["y"]) != year else [])
    for unit in units:
        if not _A_YEAR.search(unit.text):
            continue  # every mention states a year
        for m in w.period.finditer(unit.text):
            stated = [(int(m[g]), m.span(g)) for g in ("y", "y2") if m[g] and int(m[g]) != year]
            add("period", unit, m.span("range"), stated[0][0] if stated else year, year, [s for _, s in stated])
        for m in w.relative.finditer(unit.text):
            expected = year + w.lex.relative_years[m["w"]]
            if not unit.cited(m.start()):
                add("relative", unit, m.span(), int(m["y"]), expected, [m.span("y")] if int(m["y"]) != expected else [])
        for m in (m for pattern in w.comparisons for m in pattern.finditer(unit.text)):
            # A base year of the report year (or later) compares the year with itself.
            if not unit.cited(m.start()):
                add("comparison", unit, m.span(), int(m["y"]), year - 1, [m.span("y")] if int(m["y"]) >= year else [])
    return facts


def _plan_parts(tree: DocumentTree, regime: RegimeSpec, parts: PartLexicon) -> list:
    """The problems/improvement parts; in a 2007 report also the part after one (plans: "七、下一步工作打算")."""
    found = {}
    for index, part in enumerate(tree.sections):
        if classify(part.heading.title, parts) == "problems":
            found[index] = part
            nxt = tree.sections[index + 1 : index + 2] if regime.id == "ogi2007" else []
            if nxt and classify(nxt[0].heading.title, parts) in (None, "problems", "other"):
                found[index + 1] = nxt[0]
    return list(found.values())


def _plan_years(part, text: NormalizedText, year: int, w: Words) -> list[Fact]:
    """The year opening a sentence or clause with a plan word after it ("2022年，我局将…"), not a
    date or a deadline ("2022年3月", "2025年底前"); one per sentence."""
    facts: list[Fact] = []
    for unit in _units(part.walk(), text.text):
        for sentence in _SENTENCE.finditer(unit.text):
            said, at = sentence.group(), sentence.start()
            for m in _YEAR.finditer(said):
                rest = said[m.end() :].lstrip()
                if (
                    _CLAUSE_START.search(said[: m.start()])
                    and not unit.cited(at + m.start())
                    and not w.not_plan_year.match(rest)
                    and any(p in rest for p in w.lex.plan_markers)
                    and not any(p in rest for p in w.lex.past_markers)
                ):
                    stated, span = int(m["y"]), (at + m.start(), at + m.end())
                    fix = _fix(text, unit, span, [(span[0], span[0] + 4)] if stated != year + 1 else [], year + 1)
                    shown = said.strip()
                    facts.append(
                        PlanYearFact(
                            part=part.heading.marker + part.heading.title,
                            sentence=shown[:40] + "……" * (len(shown) > 40),
                            year=stated,
                            expected=year + 1,
                            offset=stated - (year + 1),
                            **fix,
                        )
                    )
                    break
    return facts


def _date(
    text: NormalizedText,
    unit: _Unit,
    span,
    form: Literal["written", "digits"],
    year: int | None,
    month: int,
    day: int | None,
    **more,
) -> DateFact:
    fix = _fix(text, unit, span)
    in_month = days_in_month(year, month)
    return DateFact(
        start=fix["start"],
        end=fix["end"],
        text=fix["text"],
        original=fix["replacement"],
        form=form,
        year=year or 0,
        month=month,
        day=day or 0,
        has_day=day is not None,
        days_in_month=in_month,
        days_over=(day or 0) - in_month,
        **{"readings": 1, "other_month": 0, "other_day": 0, "day_mark": False, **more},
    )


def _dates(units: list[_Unit], text: NormalizedText, w: Words) -> list[Fact]:
    """Every date: runs of digits that read as dates, then dates written with 月 (and 年, 日)."""
    facts: list[Fact] = []
    for unit in units:
        runs = [*_RUN.finditer(unit.text)] if _RUN_HINT.search(unit.text) else []
        runs += [*_RUN_DAY.finditer(unit.text)] if _RUN_DAY_HINT.search(unit.text) else []
        for m in runs:
            after, before = unit.text[m.end() :].lstrip(), unit.text[max(0, m.start() - 8) : m.start()]
            readings = date_readings(m[1])
            if not readings or after.startswith(w.counters) or any(c in before for c in w.lex.number_context):
                continue  # digits no date reads as, a quantity, or a phone or file number
            (year, month, day), other = readings[0], readings[1:2] or [(None, 0, 0)]
            facts.append(
                _date(
                    text,
                    unit,
                    m.span(),
                    "digits",
                    year,
                    month,
                    day,
                    readings=len(readings),
                    other_month=other[0][1],
                    other_day=other[0][2],
                    day_mark=unit.text[m.end() : m.end() + 1] == "日",
                )
            )
        for m in _MONTH_DAY.finditer(unit.text) if "月" in unit.text else ():
            written_year, written_day = (int(m[g]) if m[g] else None for g in ("y", "d"))
            facts.append(_date(text, unit, m.span(), "written", written_year, int(m["m"]), written_day))
    return facts


def _publication(
    tree: DocumentTree, text: str, info: DocumentInfo, year: int, regime: RegimeSpec
) -> Fact | Unavailable:
    if not info.published:
        return Unavailable(fact="publication", reason="no-publication-date")
    if info.issuer_kind not in regime.deadlines:
        return Unavailable(fact="publication", reason="issuer-kind-unknown")
    published = date.fromisoformat(info.published)
    deadline = date.fromisoformat(f"{year + 1}-{regime.deadlines[info.issuer_kind]}")
    source: Literal["page", "signature"] = "page"
    span, shown = (tree.text_length, tree.text_length), info.published
    paragraphs = [n for n in tree.walk() if n.kind == "paragraph"]
    places: tuple[tuple[Literal["page", "signature"], list], ...] = (
        ("page", paragraphs[:6]),
        ("signature", paragraphs[-3:]),  # the signature date wins
    )
    for where, units in places:
        for unit in _units(units, text):
            for m in _DATE.finditer(unit.text):
                if [int(g) for g in m.groups()] == [published.year, published.month, published.day]:
                    span, shown, source = unit.span(*m.span()), m.group(), where
    return PublicationFact(
        start=span[0],
        end=span[1],
        text=shown,
        source=source,
        published=info.published,
        deadline=deadline.isoformat(),
        deadline_year=deadline.year,
        deadline_month=deadline.month,
        deadline_day=deadline.day,
        issuer_kind=info.issuer_kind,
        days_after_deadline=(published - deadline).days,
        basis_ref=regime.deadline_basis,
    )


def extract(
    tree: DocumentTree, text: NormalizedText, info: DocumentInfo, regime: RegimeSpec, parts: PartLexicon, w: Words
) -> tuple[list[Fact], list[Unavailable]]:
    units = _units(tree.walk(), text.text)
    facts = _dates(units, text, w)
    if not info.year:
        return facts, [Unavailable(fact=kind, reason="year-unknown", values={"kind": kind}) for kind in _NEEDS_YEAR]
    facts += _year_mentions(tree, units, text, info.year, w)
    plan_parts = _plan_parts(tree, regime, parts)
    unavailable = [] if plan_parts else [Unavailable(fact="plan_year", reason="no-problems-part")]
    facts += [fact for part in plan_parts for fact in _plan_years(part, text, info.year, w)]
    publication = _publication(tree, text.text, info, info.year, regime)
    if isinstance(publication, Unavailable):
        unavailable.append(publication)
    else:
        facts.append(publication)
    return facts, unavailable
