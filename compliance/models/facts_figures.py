"""Fact kinds about figures stated in prose (read by compliance/facts/figures.py, judged by
compliance/facts/figure_checks.py), the figures read (plain dataclasses passed between the two)
and the model of their lexicon, rules/lexicon/figures.yaml.

Spans are the number as written (an edit replaces just the number), a claim's words, or for a
breakdown the number of its whole."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

from compliance.models.facts import Fact


class ProseTableFact(Fact):
    """A prose figure that fits none of the readings of the table quantity its clause names, or a
    claim about 复议/诉讼 outcomes ("均获维持") that table 四 contradicts."""

    kind: Literal["prose_table_check"] = "prose_table_check"
    issue: Literal["value", "claim"]
    quantity: str  # what the clause names: 本年新收申请, 行政复议结果纠正 …
    text: str  # the figure ("17 件") or the claim ("均获维持") as written
    context: str  # the clause it is in
    table_label: str
    table_text: str  # what the table says: “一、本年新收”（总计）为95
    fix_text: str  # the figure with the table's number ("95 件"); "" for a claim
    fix_number: str  # the number alone, what the edit writes


class ProseRepeatFact(Fact):
    """The same quantity stated again with another value (span: the later number)."""

    kind: Literal["prose_repeat"] = "prose_repeat"
    quantity: str
    text: str
    context: str
    first_text: str
    first_context: str
    fix_text: str  # the later figure with the first one's number
    fix_number: str


class PercentCheckFact(Fact):
    """A stated share (占33.9%) or growth rate (比上年增长23.48%) off the value computed from the
    figures it relates, beyond the stated precision."""

    kind: Literal["percent_check"] = "percent_check"
    issue: Literal["share", "growth"]
    text: str  # "59.4%"
    context: str
    formula: str  # "85÷143" / "(5064−4101)÷4101"
    computed: str  # at the stated precision
    fix_text: str  # the percentage as it should read
    fix_number: str


class BreakdownCheckFact(Fact):
    """A "其中" breakdown whose parts do not fit their whole: a complete breakdown that does not
    add up (mismatch), exclusive parts above the whole (exceeds), or parts over channels or of
    unknown kinds above it (overlap: they may count one item twice)."""

    kind: Literal["breakdown_check"] = "breakdown_check"
    issue: Literal["mismatch", "exceeds", "overlap"]
    whole_text: str
    whole_context: str
    parts: str  # "106条＋312340条＋…"
    parts_sum: str
    count: int


# The lexicon (rules/lexicon/figures.yaml).


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FigureTerm(_Strict):
    id: str
    name: str
    pattern: str
    readings: list[list[str]]  # cells "table/row/column"; row "x*" = prefix, {group}, {column}
    requires: str | None = None  # in the sentence up to the figure, or the sentence before it
    exclude: str | None = None  # in the clause
    item_of: str | None = None
    level: Literal["total", "part"] = "part"
    exclusive: bool = False
    outcome: bool = False  # a 复议/诉讼 outcome: its group comes from the sentence


class FigureGroup(_Strict):
    pattern: str
    groups: list[str]


class FigureApplicant(_Strict):
    pattern: str
    columns: list[str]


class FigureClaim(_Strict):
    name: str
    pattern: str
    zero: list[str]
    groups_after: bool = False


class FigureShareBase(_Strict):
    pattern: str
    term: str


class FigureLexicon(_Strict):
    count_units: list[str]
    money_units: list[str]
    multipliers: dict[str, int]
    approximate_before: str
    approximate_after: str
    approximate_tail: str
    breakdown_open: str
    breakdown_sentence: str
    breakdown_stop: str
    subtotal: str
    remainder: str
    partitions: list[list[str]]
    channels: str
    prior: str
    scope: str
    each: str
    counted_after: str
    conjunction: str
    whole_category: str
    sentence_subject: str
    growth_up: str
    growth_down: str
    share: str
    row_groups: dict[str, str]
    groups: list[FigureGroup]
    applicants_all: str
    applicant_term: str
    applicants: list[FigureApplicant]
    terms: list[FigureTerm]
    claims: list[FigureClaim]
    share_bases: list[FigureShareBase]


# The figures read from prose.


@dataclass(eq=False)
class Figure:
    """A count, amount or percentage of a paragraph, and the table quantity its words name."""

    value: Decimal
    unit: str  # a count unit (件, 条…), a money unit (元), or "%"
    text: str  # as written: "3119 件"
    number: str  # the number as written: "3119"
    start: int  # normalised offsets of the number
    end: int
    approx: bool
    label: str  # the words before it, since the previous figure or a stop
    between: str  # the text since the previous figure
    clause: str  # the whole clause, for messages
    sentence: str  # the sentence up to the figure
    context: str  # the sentence before it and this one up to the figure: what ``requires`` reads
    depth: int  # bracket depth
    segment: int  # index of the ；/。 segment within the paragraph
    paragraph: int
    pos: int  # position in the paragraph text
    prior: bool = False  # compared with (比2016年4101条) or of another year
    scoped: bool = False  # a part of the issuer only (本级)
    subtotal: bool = False
    term: FigureTerm | None = None
    exclusive: bool = False  # an outcome category or an applicant kind
    terms: tuple[str, ...] = ()
    quantity: str = ""
    readings: list[list[tuple[str, str, str]]] = field(default_factory=list)
    key: str = ""
    ambiguous: bool = False  # the clause names more than one quantity
    whole: Figure | None = None


@dataclass(eq=False)
class Breakdown:
    """A whole and the parts a "其中"/"（含"/"从…看" gives of it."""

    whole: Figure
    parts: list[Figure]
    exhaustive: bool  # said complete: a remainder part, or a subtotal of the parts before it
    exclusive: bool  # categories that cannot overlap (outcomes, applicant kinds)
    channels: bool  # parts over publication channels: they may overlap
