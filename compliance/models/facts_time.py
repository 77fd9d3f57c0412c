"""Fact kinds about years and dates (extracted by compliance/facts/time.py), and the lexicon
(``rules/lexicon/time.yaml``) the extractor reads, as a model and compiled to regular expressions.

Texts (``text``, ``corrected``) are as the original draft writes them, line breaks removed, so a
suggestion quotes what the user sees; ``replacement`` is the exact original span with the fix
applied (line breaks kept), the edit rules carry."""

from __future__ import annotations

import calendar
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict

from compliance.models.facts import Fact

Y = r"(?:19|20)\d{2}"  # a year of a report: 19xx or 20xx


class YearMentionFact(Fact):
    """A year the report states for itself: the title year, a statistics period (its year that
    differs from the report year, else its first), a year after "今年/本年/上年…", or the base year
    of a comparison ("比2017年"). ``expected``: the year the report year implies (the year before
    it for a comparison); ``offset`` = year - expected. ``corrected``/``replacement``: the text with
    the year set to ``expected`` where it is wrong (a comparison: where it is not before the report year)."""

    kind: Literal["year_mention"] = "year_mention"
    role: Literal["title", "period", "relative", "comparison"]
    text: str
    year: int
    expected: int
    offset: int
    corrected: str
    replacement: str


class PlanYearFact(Fact):
    """The year heading a plan sentence in the problems/improvement part ("2022年，我局将…");
    ``expected``: the report year + 1; ``offset`` = year - expected. Span: the year ("2022年")."""

    kind: Literal["plan_year"] = "plan_year"
    part: str
    sentence: str  # the plan sentence, cut short
    text: str
    year: int
    expected: int
    offset: int
    corrected: str
    replacement: str


class DateFact(Fact):
    """A date the report states: written with its marks ("2021年2月30日", "13月", "4月31日": the
    month, the day when stated) or a run of digits that lost them (``form`` digits: "2019531",
    "201911日", "至1231日"), read as the date it stands for — ``readings`` 1 or 2 ("2019111": 1月11日
    or 11月1日, the second in ``other_month``/``other_day``). ``year`` 0 when none is stated, ``day``
    0 when none is (``has_day``). ``days_in_month``: of the month in the stated year (a leap year
    when none is stated), 0 when there is no such month; ``days_over`` = day - days_in_month.
    ``day_mark``: digits followed by 日 (the span stops before it). ``original``: the span as the
    draft writes it. Span: the date."""

    kind: Literal["date"] = "date"
    form: Literal["written", "digits"]
    text: str
    original: str
    year: int
    month: int
    day: int
    has_day: bool
    days_in_month: int
    days_over: int
    readings: int
    other_month: int
    other_day: int
    day_mark: bool


class PublicationFact(Fact):
    """The publication (signature) date and the regime's deadline for the issuer kind.
    ``days_after_deadline``: published - deadline in days (0 or less: in time). ``basis_ref``: the
    regime's deadline article. Span: the date as written."""

    kind: Literal["publication"] = "publication"
    text: str
    source: Literal["signature", "page"]  # the report's 落款, or the 发布日期 of the page it was copied from
    published: str  # YYYY-MM-DD
    deadline: str  # YYYY-MM-DD
    deadline_year: int
    deadline_month: int
    deadline_day: int
    issuer_kind: Literal["government", "department"]
    days_after_deadline: int
    basis_ref: str


class TimeLexicon(BaseModel):
    """``rules/lexicon/time.yaml``: the words the TIME checks read."""

    model_config = ConfigDict(extra="forbid")

    relative_years: dict[str, int]
    comparison_before: list[str]
    comparison_around: dict[Literal["before", "after"], list[str]]
    within_year: list[str]
    period_markers: list[str]
    plan_markers: list[str]
    past_markers: list[str]
    deadline_after: list[str]
    counters: list[str]
    number_context: list[str]


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


class Words:
    """The lexicon with its regular expressions compiled once."""

    def __init__(self, lex: TimeLexicon):
        self.lex = lex
        self.relative = re.compile(rf"(?P<w>{_alt(lex.relative_years)})\s*[（(]\s*(?P<y>{Y})\s*(?:年度?)?\s*[）)]")
        within = rf"\s*(?:{_alt(lex.within_year)}|\d{{1,2}}\s*月)"  # "比2017年初" compares inside the year
        around = lex.comparison_around
        self.comparisons = (
            re.compile(rf"(?:{_alt(lex.comparison_before)})\s*(?P<y>{Y})\s*年度?(?!{within})"),
            re.compile(rf"(?:{_alt(around['before'])})\s*(?P<y>{Y})\s*年度?(?:同期)?\s*(?:{_alt(around['after'])})"),
        )
        day, dash = r"\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日", r"\s*(?:起\s*)?(?:至|到|—|－|-|～|~)+\s*"
        self.period = re.compile(
            rf"(?:{_alt(lex.period_markers)})[^。；;]{{0,30}}?"
            rf"(?P<range>(?P<y>{Y}){day}{dash}(?:(?P<y2>{Y})\s*年\s*)?\d{{1,2}}\s*月\s*\d{{1,2}}\s*日)"
        )
        self.counters = tuple(lex.counters)
        self.not_plan_year = re.compile(rf"\d{{1,2}}\s*月|{_alt(lex.deadline_after)}")  # a date or a deadline


# Dates (pure calendar arithmetic; compliance/facts/time.py finds the candidates).
def days_in_month(year: int | None, month: int) -> int:
    """The days of ``month`` in ``year`` (a leap year, 2000, when none is stated); 0: no such month."""
    return calendar.monthrange(year or 2000, month)[1] if 1 <= month <= 12 else 0


def date_readings(digits: str) -> list[tuple[int | None, int, int]]:
    """The dates (year, month, day) a run such as "2019531" can stand for (YYYY + M/MM + D/DD, no
    stray zeros); a run without its year ("1231" in "至1231日") as M/MM + D/DD, year None."""
    if len(digits) <= 4 and not digits.startswith(("19", "20")):
        return [(None, month, day) for _, month, day in date_readings("2000" + digits)]
    year, tail = int(digits[:4]), digits[4:]
    found: list[tuple[int | None, int, int]] = []
    for k in range(1, len(tail)):
        month, day = tail[:k], tail[k:]
        plain = len(month) <= 2 and len(day) <= 2 and (len(tail) == 4 or "0" not in (month[0], day[0]))
        if plain and 1 <= int(day) <= days_in_month(year, int(month)):
            found.append((year, int(month), int(day)))
    return found
