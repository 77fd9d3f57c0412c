"""Fact kinds about the format tables (extracted by compliance/facts/table_checks.py)."""

from __future__ import annotations

from typing import Literal

from compliance.models.facts import Fact

TableName = Literal["active", "requests", "review"]


class FormatTableFact(Fact):
    """One of the three format tables: found in its part or not, and which format it follows.
    Span: the table, or the heading of the part it belongs in."""

    kind: Literal["format_table"] = "format_table"
    table: TableName
    label: str
    part: str
    found: bool
    version: str
    expected_version: str


class TableLabelFact(Fact):
    """A table label off the regime's format: a deviating wording, or an outdated format."""

    kind: Literal["table_label"] = "table_label"
    table: TableName
    table_label: str
    issue: Literal["deviation", "outdated"]
    text: str
    canonical: str
    version: str
    expected_version: str


class CellIssueFact(Fact):
    """Cells that are blank, or not non-negative integers where counts are due.
    Blanks are one fact per table (with their count); invalid cells one fact each."""

    kind: Literal["cell_issue"] = "cell_issue"
    table: TableName
    table_label: str
    issue: Literal["blank", "blank_total", "negative", "non_integer", "non_numeric"]
    count: int
    text: str
    where: str


class SumCheckFact(Fact):
    """A total that is not the sum of its parts. When exactly one value explains every failing
    equation it is in, ``fix_label``/``fix_value`` name it and the span is that cell; otherwise
    the span is the stated total."""

    kind: Literal["sum_check", "balance_check"] = "sum_check"
    table: TableName
    table_label: str
    where: str
    equation: str
    stated: int
    computed: int
    fix_label: str
    fix_value: str
    fix_text: str
    fix_part: bool = False  # the wrong number is one of the parts, not the stated total
    subject: str = ""  # the wrong cell ("requests/total/natural"): findings about it are one problem


class BalanceCheckFact(SumCheckFact):
    """The 勾稽关系 of table 三 (一＋二＝（七）＋四) failing in one column."""

    kind: Literal["balance_check"] = "balance_check"


class CarryoverFact(Fact):
    """A figure that must continue last year's report and does not: this year's 上年结转 against
    last year's 结转下年度 (per column), or 表二's 现行有效 stock against last year's stock
    plus this year's 制发 minus 废止. Span: this year's cell."""

    kind: Literal["carryover_check"] = "carryover_check"
    table_label: str
    where: str
    this_value: int
    expected: int
    previous_year: int
    explanation: str
    text: str
