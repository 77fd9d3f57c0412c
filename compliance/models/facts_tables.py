"""Fact kinds about the format tables (extracted by compliance/facts/table_checks.py)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from compliance.models.facts import Fact

TableName = Literal["active", "requests", "review"]
# What a cell of a format table holds (as read: a total left blank is "blank" until compared).
CellStatus = Literal["ok", "blank", "negative", "non_integer", "non_numeric"]
# What an equation of a format table runs along.
EquationLine = Literal["column", "row", "group", "prose"]


class RequiredTableFact(Fact):
    """A format table the regime requires in a part the draft has (span: the part's heading)."""

    kind: Literal["required_table"] = "required_table"
    table: TableName
    label: str
    part: str


class FormatTableFact(Fact):
    """One of the three format tables, read in its part (``part``) or elsewhere in the draft: how
    many of its labels (row labels, header cells) and cells were read, and which format it
    follows. Span: the table's start."""

    kind: Literal["format_table"] = "format_table"
    table: TableName
    label: str
    part: str
    labels: int
    cells: int
    version: str
    expected_version: str


class TableLabelFact(Fact):
    """A label of a format table as the report writes it, a row label or a header cell (``text``),
    with the format's wording of it (``canonical``; "" for a label the format does not have) and
    ``edits``, how many characters it is from that wording (0: it is that wording, or ends with it
    after its group's label, "三、本年度办理结果 （一）予以公开"). The labels only another version
    of the format has are one fact per table (``texts``; ``canonical``: how the table is redone)
    whose ``version_gap`` is the expected version's year minus theirs (0 for every other label)."""

    kind: Literal["table_label"] = "table_label"
    table: TableName
    table_label: str
    text: str
    texts: list[str] = Field(default_factory=list)
    canonical: str
    edits: int
    version_gap: int
    version: str
    expected_version: str


class TableCellFact(Fact):
    """The cells of a format table by what they hold (``state``): the cells holding a count (ok)
    and the blank ones — blank_total for a total left blank beside parts that hold numbers — are
    one fact per table, with their count and the first of them (its span); each cell holding no
    valid count (negative, non_integer, non_numeric) is a fact of its own. ``row``/``column`` name
    the (first) cell as messages do: in table 四 the row is its group."""

    kind: Literal["table_cell"] = "table_cell"
    table: TableName
    table_label: str
    state: Literal["ok", "blank", "blank_total", "negative", "non_integer", "non_numeric"]
    count: int
    text: str
    row: str
    column: str


class EquationCell(BaseModel):
    """A cell of an equation as messages name it (row label — in table 四 its group, in the prose
    the quantity — and column label, "" in the prose) and the number it counts for."""

    model_config = ConfigDict(extra="forbid")

    row: str
    column: str
    value: int


class TableEquationFact(Fact):
    """An equation of a format table (domain.md §3.2–3.3) as the table fills it in, whether it holds
    or not: the cells added up (``left``, their sum ``computed``) and the cells the sum must equal
    (``right``, their sum ``stated``); ``difference`` = stated − computed. One fact for every
    equation whose cells all hold numbers. ``line`` is what it runs along: a column, a row, a
    group of table 四, or the figures of the prose (``prose``: 一＋二＝（七）＋四 as the text states
    it where there is no table 三).

    For an equation that does not hold, ``fix_*`` name the one cell whose correction makes every
    equation it is in hold, if there is one (``fix_value`` its right value; ``fix_part`` when it
    is on the added side, not the stated total); the span is that cell, else the stated total
    (``fix_text`` its text), and ``subject`` the wrong cell ("requests/total/natural"): findings
    about it are one problem."""

    kind: Literal["table_sum", "table_balance"] = "table_sum"
    table: TableName
    table_label: str
    line: EquationLine
    line_label: str
    left: list[EquationCell]
    right: list[EquationCell]
    stated: int
    computed: int
    difference: int
    fix_row: str = ""
    fix_column: str = ""
    fix_value: str = ""
    fix_text: str = ""
    fix_part: bool = False
    subject: str = ""


class TableBalanceFact(TableEquationFact):
    """The 勾稽关系 of table 三 (一＋二＝（七）＋四), in one column."""

    kind: Literal["table_balance"] = "table_balance"


class CarryoverFact(Fact):
    """A figure that continues last year's report, with what last year's gives it: this year's
    上年结转 against last year's 结转下年度 (``relation: carried``, per column), or 表二's
    现行有效 stock against last year's stock plus this year's 制发 minus 废止 (``stock``, per
    row). ``difference`` = this_value − expected. Span: this year's cell."""

    kind: Literal["carryover"] = "carryover"
    relation: Literal["carried", "stock"]
    table_label: str
    row: str  # the row's label (stock)
    column: str  # the column's label
    this_value: int
    expected: int
    difference: int
    previous_year: int
    previous_value: int  # last year's figure: 结转下年度, or the stock
    issued: int = 0  # this year's 制发 (stock)
    repealed: int = 0  # this year's 废止 (stock)
    text: str
