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


class ProseReading(BaseModel):
    """One reading of a prose figure in the tables, as messages name it: the rows' labels (in
    table 四 each cell's group) and the columns' labels (in table 四 each cell's column), the
    table's value, and whether that value adds up a blank total from its parts."""

    model_config = ConfigDict(extra="forbid")

    table: str
    rows: list[str]
    columns: list[str]
    value: str
    derived: bool = False


class ProseTableFact(Fact):
    """A prose figure beside the table quantities its clause may mean (``statement: figure``), or
    a claim about 复议/诉讼 outcomes ("均获维持": the cells it says are 0) beside table 四
    (``claim``), whenever the table gives the values. ``difference``: the prose's value minus the
    nearest reading's (a total also read as the sum of its parts: a figure that agrees with the
    parts is right where the table's total is not); for a claim, 0 minus the cells' sum. In units
    of the last digit when not a whole number."""

    kind: Literal["prose_table"] = "prose_table"
    statement: Literal["figure", "claim"]
    names: list[str]  # what the clause names: the lexicon's terms (本年新收申请 …), or the claim's name
    applicant: str
    text: str  # the figure ("17 件") or the claim ("均获维持") as written
    context: str  # the clause it is in
    table_label: str
    readings: list[ProseReading]  # a claim: the cells it says are 0, one each
    difference: int
    fix_text: str  # the figure with the table's number ("95 件"); "" for a claim
    fix_number: str  # the number alone, what the edit writes


class ProseRepeatFact(Fact):
    """A quantity stated again (span: the later number), beside its first statement:
    ``difference`` = this value − the first (in units of the last digit when not whole)."""

    kind: Literal["prose_repeat"] = "prose_repeat"
    names: list[str]
    applicant: str
    text: str
    context: str
    first_text: str
    first_context: str
    difference: int
    fix_text: str  # the later figure with the first one's number
    fix_number: str


class StatedPercentFact(Fact):
    """A stated share (占33.9%: ``value`` ÷ ``base``) or growth rate (比上年增长23.48%: (``value`` −
    ``base``) ÷ ``base``) beside the value computed from the figures it relates. ``error``: how
    many units of its last digit (tenths for 33.9%, hundredths for 23.48%) the stated figure is
    off the computed one, rounded or cut to that precision, whichever is nearer (for a share, the
    nearest of the wholes it may be of); ``computed`` is rounded."""

    kind: Literal["stated_percent"] = "stated_percent"
    measure: Literal["share", "growth"]
    text: str  # "59.4%"
    context: str
    value: str  # the part, or this year's figure
    base: str  # the whole, or the figure compared with
    computed: str  # at the stated precision
    error: int
    fix_text: str  # the percentage as it should read
    fix_number: str


class BreakdownFact(Fact):
    """A "其中" breakdown: its parts beside their whole, for each bound the wording sets.
    ``relation``: at_most — the parts cannot add up to more than the whole (distinct categories:
    outcomes, applicant kinds, or a list said complete; or one part alone above it);
    at_most_overlapping — parts over channels or of unknown kinds, none above the whole alone:
    more than the whole may count one item twice; at_least — the list is said complete (其他…,
    合计) and is not parallel lists that each add up: the parts add up to at least the whole.
    ``excess``: how far the parts' sum is past the bound (above the whole, below it), in units of
    the last digit written; the sum is that of the last of parallel lists."""

    kind: Literal["breakdown"] = "breakdown"
    relation: Literal["at_most", "at_most_overlapping", "at_least"]
    whole_text: str
    whole_context: str
    parts: list[str]  # ["106条", "312340条", …]
    parts_sum: str  # of all the parts
    unit: str  # the whole's
    count: int
    excess: int


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
    names: tuple[str, ...] = ()  # the lexicon's names of its terms (予以公开, 部分公开: summed)
    applicant: str = ""  # the applicant kind its clause names ("自然人"), if one
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
