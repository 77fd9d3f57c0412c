"""Stage 4 output: facts, the only thing rules see.

Each fact kind is a model here; rule files are checked against these fields at load time
(``when.where`` keys, ``absent.same`` keys, template attributes). Spans are offsets into the
normalised text; a fact about something absent points where it should be."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Regime = Literal["ogi2007", "ogi2019-trial", "ogi2019"]
IssuerKind = Literal["government", "department", "unknown"]


class Fact(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str
    start: int = 0
    end: int = 0


class DocumentFact(Fact):
    """The document as a whole: what the regime and issuer scopes of rules select on."""

    kind: Literal["document"] = "document"
    year: int
    year_plus_1: int
    regime: Regime
    regime_label: str
    issuer: str
    issuer_kind: IssuerKind
    script: Literal["simplified", "traditional"]


class TitleFact(Fact):
    """The title line (or the page's title field): whether it names the issuer and the year, and
    ``missing``, how many of the two it does not name (2 when there is no title)."""

    kind: Literal["title"] = "title"
    present: bool
    text: str
    names_issuer: bool
    names_year: bool
    missing: int


class RequiredItemFact(Fact):
    """A content item the regime requires of this issuer (span: where it belongs)."""

    kind: Literal["required_item"] = "required_item"
    item: str
    label: str
    family: Literal["part", "fee", "assessment"]
    basis_ref: str


class ItemPresentFact(Fact):
    """A part or sub-part (or for some items a passage) that satisfies a content item."""

    kind: Literal["item_present"] = "item_present"
    item: str
    heading: str
    via: Literal["part", "sub_part", "mention"]


class PartOrderFact(Fact):
    """A top-level part of the unified format and its place: ``rank`` is its item's position in the
    format (1 for 总体情况), ``furthest_rank`` the highest rank among the parts before it (0 for
    the first part, ``furthest_heading`` that part), ``order_gap`` = rank − furthest_rank (below 0:
    it comes after a part it should precede)."""

    kind: Literal["part_order"] = "part_order"
    item: str
    label: str
    heading: str
    rank: int
    furthest_rank: int
    furthest_heading: str
    order_gap: int


class PartHeadingFact(Fact):
    """A top-level part mapped to a format item (``label``, the format's heading): ``edits`` is how
    many characters its wording is from the nearest accepted wording (0: it is one)."""

    kind: Literal["part_heading"] = "part_heading"
    item: str
    label: str
    heading: str
    marker: str
    edits: int


class PartContentFact(Fact):
    """A top-level part and what it holds: ``chars`` characters of prose and tables, of which
    ``none_phrase`` is the whole when the part only says a phrase of the lexicon's ``none_only``
    ("无"); ``substance`` = chars − the phrase's length."""

    kind: Literal["part_content"] = "part_content"
    item: str
    label: str
    heading: str
    content: str  # what there is, cut short
    chars: int
    none_phrase: str
    substance: int
    content_required: bool
    table_part: bool  # a part of the unified format that holds a format table (二、三、四)


EndKind = Literal["heading", "table", "open_sentence", "sentence", "other"]


class DocumentEndFact(Fact):
    """How the text ends (span: its last characters): its last element (``last``: a heading with
    nothing under it, a table, a paragraph that stops in mid-sentence or one that ends a sentence;
    ``other``), whether a date, a signature or page chrome closes it (``closed``), the rank of the
    furthest part of the format it has (``parts_reached``, 0: none) and how many of the format's
    parts follow that one (``parts_after``)."""

    kind: Literal["document_end"] = "document_end"
    last: EndKind
    closed: bool
    parts_reached: int
    parts_after: int
    part: str  # the part it stops in
    last_text: str


class PatternHitFact(Fact):
    """A match of a pattern set of ``rules/lexicon/patterns.yaml`` (regexes run in Python)."""

    kind: Literal["pattern_hit"] = "pattern_hit"
    pattern_set: str
    pattern: str
    text: str
    lines: int = 1  # a block of adjacent lines (``merge_adjacent``)
    sample: str = ""  # its first line, cut short


def _kinds(base: type[Fact]) -> dict[str, type[Fact]]:
    found: dict[str, type[Fact]] = {}
    for model in base.__subclasses__():
        found[model.model_fields["kind"].default] = model
        found.update(_kinds(model))
    return found


# A value an unavailable reason's sentence may quote.
UnavailableValue = str | int | bool | list[str] | None


class Unavailable(BaseModel):
    """A fact kind an extractor could not produce, and why: rules on it become not_checked. The
    reason is a key of rules/lexicon/not_checked.yaml, whose template the values fill."""

    fact: str
    reason: str
    values: dict[str, UnavailableValue] = Field(default_factory=dict)


# Fact kinds of other concerns live in modules of their own (facts_*.py); importing them here
# registers them: every Fact subclass is a kind.
from compliance.models import (  # noqa: E402, F401  (they subclass Fact, defined above)
    facts_duplicates,
    facts_figures,
    facts_keypoints,
    facts_mentions,
    facts_style,
    facts_tables,
    facts_time,
)

FACT_MODELS: dict[str, type[Fact]] = _kinds(Fact)
