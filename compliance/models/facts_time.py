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
    """A year the report states for itself: the title year, a statistics period, a year after
    "今年/本年/上年…", or the base year of a comparison ("比2017年"). ``agrees`` when it is the
    year the report year implies (``expected``)."""

    kind: Literal["year_mention"] = "year_mention"
    role: Literal["title", "period", "relative", "comparison"]
    text: str
    year: int
    expected: int
    agrees: bool
    corrected: str
    replacement: str


class PlanYearFact(Fact):
    """The year heading a plan sentence in the problems/improvement part ("2022年，我局将…");
    ``agrees`` when it is the report year + 1 (``expected``). Span: the year ("2022年")."""

    kind: Literal["plan_year"] = "plan_year"
    part: str
    sentence: str  # the plan sentence, cut short
    text: str
    year: int
    expected: int
    agrees: bool
    corrected: str
    replacement: str


class DateIssueFact(Fact):
    """A date that cannot be right: a run of digits standing for a date ("2019531"), or a month
    or day that does not exist ("2月30日", "13月"). ``corrected``: the date the digits stand for
    (all readings joined by "或" when there are several; "" for an impossible date);
    ``replacement`` equals the span's text when no mechanical fix exists."""

    kind: Literal["date_issue"] = "date_issue"
    problem: Literal["damaged", "impossible"]
    text: str
    corrected: str
    why: str
    replacement: str


class PublicationFact(Fact):
    """The publication (signature) date against the regime's deadline for the issuer kind.
    ``basis_ref``: the regime's deadline article. Span: the date as written."""

    kind: Literal["publication"] = "publication"
    text: str
    source: Literal["signature", "page"]  # the report's 落款, or the 发布日期 of the page it was copied from
    published: str  # YYYY-MM-DD
    deadline: str  # YYYY-MM-DD
    deadline_text: str  # 2022年1月31日
    issuer_kind: Literal["government", "department"]
    late: bool
    days_late: int
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


# What counts as a date issue (pure calendar arithmetic; compliance/facts/time.py finds the candidates).
def date_readings(digits: str) -> list[str]:
    """The dates a run such as "2019531" can stand for (YYYY + M/MM + D/DD, no stray zeros); a run
    without its year ("1231" in "至1231日") as M/MM + D/DD."""
    if len(digits) <= 4 and not digits.startswith(("19", "20")):
        return [d.removeprefix("2000年") for d in date_readings("2000" + digits)]
    year, tail, found = int(digits[:4]), digits[4:], []
    for k in range(1, len(tail)):
        month, day = tail[:k], tail[k:]
        plain = len(month) <= 2 and len(day) <= 2 and (len(tail) == 4 or "0" not in (month[0], day[0]))
        if plain and 1 <= int(month) <= 12 and 1 <= int(day) <= calendar.monthrange(year, int(month))[1]:
            found.append(f"{year}年{int(month)}月{int(day)}日")
    return found


def impossible_date(year: int | None, month: int, day: int | None) -> str:
    """Why a stated month (and day, in the stated year) cannot exist; "" when it can."""
    if not 1 <= month <= 12:
        return f"一年没有{month}月"
    if day is not None and not 1 <= day <= calendar.monthrange(year or 2000, month)[1]:  # 2000: a leap year
        return f"{year}年不是闰年，2月没有29日" if (month, day) == (2, 29) else f"{month}月没有{day}日"
    return ""
