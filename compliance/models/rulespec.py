"""Rule files (``rules/<family>/<ID>.yaml``) and the data files beside them, as strict models."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

from compliance.models.facts import IssuerKind, Regime
from compliance.models.findings import Severity

ALL_REGIMES: tuple[Regime, ...] = ("ogi2007", "ogi2019-trial", "ogi2019")
ALL_ISSUER_KINDS: tuple[IssuerKind, ...] = ("government", "department", "unknown")

Scalar = bool | int | str


class Strict(BaseModel):
    # Validators are built when a file is first validated: a run with the rulebook in the cache
    # unpickles these models and never validates one (~5 ms less to import).
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Comparison(Strict):
    """A non-equality test on one fact field (compiled to durable-rules operators)."""

    lt: int | None = None
    lte: int | None = None
    gt: int | None = None
    gte: int | None = None
    neq: Scalar | None = None
    exists: bool | None = None


class When(Strict):
    """The fact kind, the tests all its matching facts pass (``where``), and alternatives of which
    at least one must hold as well (``any``: each a ``where``; "the month is under 1, or over 12")."""

    fact: str
    where: dict[str, Scalar | Comparison] = Field(default_factory=dict)
    any: list[dict[str, Scalar | Comparison]] = Field(default_factory=list)


class Absent(Strict):
    """The rule fires when no fact of this kind shares the ``same`` fields with ``when``'s and has
    the ``where`` values (fixed values, compiled as equality tests: ``{set: new_media, part:
    overview}`` — "no mention of the set in part 一")."""

    fact: str
    same: list[str] = Field(default_factory=list)
    where: dict[str, Scalar] = Field(default_factory=dict)


class Scope(Strict):
    regimes: list[Regime] = Field(default_factory=lambda: list(ALL_REGIMES))
    issuer_kinds: list[IssuerKind] = Field(default_factory=lambda: list(ALL_ISSUER_KINDS))


class EditTemplate(Strict):
    """Replace the fact's span with ``replace`` (a template). ``safe`` only for form-only edits."""

    replace: str
    safe: bool


class SeverityBy(Strict):
    """A severity per value of one field of the ``when`` fact (CALC-CELL: blank → minor …)."""

    field: str
    values: dict[str, Severity]


class Case(Strict):
    """What one value of the ``cases`` field says: templates and a severity, each in place of the
    rule's own (which a case that gives none keeps)."""

    message: str | None = None
    suggestion: str | None = None
    severity: Severity | None = None


class Cases(Strict):
    """One case per value of a ``Literal`` field of the ``when`` fact (STYLE-CONTACT's problems):
    checked at load to cover exactly the values the rule's facts can have."""

    field: str
    values: dict[str, Case]


class RuleDoc(Strict):
    what: str
    why: str
    fix: str


class Examples(Strict):
    context: dict[str, Any] = Field(default_factory=dict)
    previous: str | None = None  # last year's report, for rules across years
    fail: str
    pass_: str = Field(alias="pass")


class RuleSpec(Strict):
    id: str = Field(pattern=r"^[A-Z]+(-[A-Z0-9]+)+$")
    name: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: str
    severity: Severity
    severity_by: SeverityBy | None = None
    cases: Cases | None = None
    # Citation keys (rules/basis.yaml): one list for every regime, or a list per regime, so that
    # a 2019 report cites the 2019 trial format and a 2013 report the 2007 条例.
    basis: list[str] | dict[Regime, list[str]] = Field(min_length=1)
    scope: Scope = Field(default_factory=Scope)
    when: When
    absent: Absent | None = None
    message: str
    suggestion: str
    edit: EditTemplate | None = None
    # The facts of ``when``'s kind that the rule lets pass (the requirement holds for them) are
    # listed in the report's ``evidence``, so a reviewer sees why (KP-TASK: the passage that
    # reports a task). Only for a fact kind that reads as evidence (``as_evidence``), no ``absent``.
    evidence: bool = False
    doc: RuleDoc
    examples: Examples

    @property
    def family(self) -> str:
        return self.id.split("-", 1)[0]

    def basis_for(self, regime: Regime) -> list[str]:
        return self.basis if isinstance(self.basis, list) else self.basis[regime]

    def basis_keys(self) -> list[str]:
        """Every key the rule cites, in order, once."""
        keys = self.basis if isinstance(self.basis, list) else [k for ks in self.basis.values() for k in ks]
        return list(dict.fromkeys(keys))


class SameSubject(Strict):
    severity: Severity
    note: str


class Grading(Strict):
    same_subject: SameSubject
    weights: dict[Severity, int]
    cap_per_rule: int
    cap_per_severity: dict[Severity, int] = Field(default_factory=dict)
    levels: list[dict[str, str | int]]
    critical_fails: bool = True
    failing_grade: str


class RegimeItem(Strict):
    item: str
    family: Literal["part", "fee", "assessment"]
    basis: str
    issuer_kinds: list[IssuerKind] = Field(default_factory=lambda: list(ALL_ISSUER_KINDS))
    # In a free-form report an item may be reported by a statement inside another part (Python
    # regexes searched in each paragraph): "未收到有关政府信息公开行政复议申请" reports (四).
    stated_by: list[str] = Field(default_factory=list)
    # The part an absent statement belongs at the end of (its finding points there): "overview".
    belongs_in: str | None = None
    format_only: bool = False  # a part the unified format adds, not a content item of the 条例


class RegimeSpec(Strict):
    id: Regime
    label: str
    years: tuple[int, int]
    # Free-form reports (2007) may satisfy an item with a sub-part; the unified format wants parts.
    nested_items: bool
    ordered: bool
    # Publication deadline by issuer kind, as MM-DD of the year after the report year.
    deadlines: dict[Literal["government", "department"], str]
    deadline_basis: str
    items: list[RegimeItem]
    # Report years the unified format was encouraged for, not required (2019: 国办公开办函〔2019〕60号
    # came in November): a report of such a year in free form is checked as one.
    format_optional_years: list[int] = Field(default_factory=list)


class PartLexiconEntry(Strict):
    label: str
    standard: list[str] = Field(default_factory=list)
    patterns: list[str]
    mentions: list[str] = Field(default_factory=list)
    content_required: bool = True


class PartLexicon(Strict):
    classification_order: list[str]
    items: dict[str, PartLexiconEntry]
    none_only: list[str]


class PatternSet(Strict):
    description: str
    patterns: list[str]
    merge_adjacent: bool = False  # hits on adjacent lines are one hit (a block of page chrome)


class MentionSet(Strict):
    """A set of terms (rules/lexicon/mentions.yaml): each part of a report that uses one of them is
    a ``mention`` fact (compliance/facts/mentions.py). ``terms`` are plain text; ``patterns``
    Python regular expressions, for what plain text cannot say ("较2020年")."""

    label: str
    terms: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list)


class MentionLexicon(Strict):
    sets: dict[str, MentionSet]


class IssuerLexicon(Strict):
    government_suffixes: list[str]
    department_suffixes: list[str]
    government_voice: list[str]
    department_voice: list[str]


class DocumentKind(Strict):
    kind: str
    label: str
    pattern: str
    hint: str = ""
    cover: bool = False  # may be the cover of a report (a notice publishing it)


class DocumentKindLexicon(Strict):
    """What a document may be instead of an annual report (rules/lexicon/doctypes.yaml)."""

    report_parts: int
    refusal: str
    kinds: list[DocumentKind]


class ScriptLexicon(Strict):
    """rules/lexicon/script.yaml: what Traditional-to-Simplified conversion keeps, and when a draft
    counts as Traditional."""

    keep: list[str]  # words OpenCC's tw2sp would rewrite that a Simplified draft uses as they are
    traditional_ratio: float  # a draft is Traditional above this share of Traditional characters


class NotCheckedLexicon(RootModel[dict[str, str]]):
    """rules/lexicon/not_checked.yaml: reason key → the sentence (a template over ``values``)."""


class TableRowSpec(Strict):
    key: str
    label: str
    short: str | None = None  # how messages name the row, when the label is long
    pattern: str
    outcome: bool = False
    only: Literal["2019", "2021"] | None = None  # a row of one format version only
    versions: dict[str, str] = Field(default_factory=dict)  # the label by version, when it differs


class TableColumnSpec(Strict):
    key: str
    label: str


class ActiveTableSpec(Strict):
    label: str
    signature: list[str]  # words only the table has (its cells run together: unreadable, not missing)
    outdated_hint: str = ""  # how a 2019-format table is redone in the 2021 format
    rows: list[TableRowSpec]
    headers: dict[Literal["2019", "2021"], list[str]]


class RequestsTableSpec(Strict):
    label: str
    signature: list[str]  # words only the table has (its cells run together: unreadable, not missing)
    outdated_hint: str = ""  # how a 2019-format table is redone in the 2021 format
    columns: list[TableColumnSpec]
    rows: list[TableRowSpec]


class ReviewTableSpec(Strict):
    label: str
    signature: list[str]  # words only the table has (its cells run together: unreadable, not missing)
    outdated_hint: str = ""  # how a 2019-format table is redone in the 2021 format
    groups: list[TableColumnSpec]
    columns: list[TableColumnSpec]


class TableLexicon(Strict):
    active: ActiveTableSpec
    requests: RequestsTableSpec
    review: ReviewTableSpec
