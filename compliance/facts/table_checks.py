"""Stage 4: facts about the format tables — found or not, which format, odd labels, what their
cells hold, and every equation of domain.md §3.2–3.3 with both its sides (computed here, judged
by rules: CALC-SUM, CALC-BALANCE, CALC-CELL)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import TypeAdapter

from compliance.facts.structure import edits
from compliance.facts.tables import CellValue, TableReading, TablesFound, TableSpec, normal_label
from compliance.models.facts import Fact, Unavailable, UnavailableValue
from compliance.models.facts_tables import (
    CellStatus,
    EquationCell,
    EquationLine,
    FormatTableFact,
    RequiredTableFact,
    TableBalanceFact,
    TableCellFact,
    TableEquationFact,
    TableLabelFact,
    TableName,
)
from compliance.models.rulespec import RegimeSpec, TableLexicon

_EXPECTED = {"ogi2019": "2021", "ogi2019-trial": "2019"}
_EQUATION_CELLS = TypeAdapter(list[EquationCell])
_LABEL_FACTS = TypeAdapter(list[TableLabelFact])


@dataclass
class Equation:
    family: str  # balance | sum
    line: EquationLine  # what it runs along: column | row | group
    line_label: str
    lhs: list[CellValue]
    rhs: list[CellValue]

    def cells(self) -> list[CellValue]:
        return self.lhs + self.rhs


def _value(cell: CellValue) -> int:
    return int(cell.amount or 0)


def _present(cells: list[CellValue | None]) -> list[CellValue] | None:
    """The cells, when every one is there."""
    return [c for c in cells if c is not None] if all(cells) else None


def _blank_total(cell: CellValue) -> bool:
    """A total the report leaves blank: derived from its parts, never compared as a stated number."""
    return cell.status == "blank" and "total" in (cell.row, cell.column)


class _Names:
    """Labels of rows and columns, from the lexicon: how messages name a cell."""

    def __init__(self, lexicon: TableLexicon):
        self.rows = {r.key: r.short or r.label for r in lexicon.requests.rows + lexicon.active.rows}
        self.columns = {c.key: c.label for c in lexicon.requests.columns}
        self.groups = {g.key: g.label for g in lexicon.review.groups}
        self.review_columns = {c.key: c.label for c in lexicon.review.columns}

    def of(self, cell: CellValue) -> tuple[str, str]:
        """(row, column) labels; in table 四 the row is the cell's group."""
        if cell.row in self.groups:
            return self.groups[cell.row], self.review_columns[cell.column]
        return self.rows.get(cell.row, cell.row), self.columns.get(cell.column, cell.column)

    def cells(self, cells: list[CellValue]) -> dict[int, EquationCell]:
        """The cells by their id, as equations name them (all validated at once)."""
        fields = []
        for cell in cells:
            row, column = self.of(cell)
            fields.append({"row": row, "column": column, "value": _value(cell)})
        return {id(c): named for c, named in zip(cells, _EQUATION_CELLS.validate_python(fields))}


def _equations(reading: TableReading, lexicon: TableLexicon, names: _Names) -> list[Equation]:
    cells = reading.cells
    equations: list[Equation] = []
    if reading.table == "requests":
        outcomes = [r.key for r in lexicon.requests.rows if r.outcome]
        for column in lexicon.requests.columns:
            key = column.key
            left = _present([cells.get(("new", key)), cells.get(("carried", key))])
            right = _present([cells.get(("total", key)), cells.get(("next", key))])
            if left is not None and right is not None:
                equations.append(Equation("balance", "column", column.label, left, right))
            found = [cell for row in outcomes if (cell := cells.get((row, key)))]
            if found and (total := cells.get(("total", key))):
                equations.append(Equation("sum", "column", column.label, found, [total]))
        for row in {r for r, _ in cells}:
            values = _present([cells.get((row, c.key)) for c in lexicon.requests.columns])
            if values is not None:
                equations.append(Equation("sum", "row", names.rows.get(row, row), values[:-1], values[-1:]))
    elif reading.table == "review":
        for group in lexicon.review.groups:
            in_group = [cells[group.key, c.key] for c in lexicon.review.columns]
            equations.append(Equation("sum", "group", group.label, in_group[:-1], in_group[-1:]))
    return equations


def _holds(equation: Equation, replaced: CellValue | None = None, value: int = 0) -> bool:
    total = lambda side: sum(value if c is replaced else _value(c) for c in side)  # noqa: E731
    return total(equation.lhs) == total(equation.rhs)


def _containing(equations: list[Equation]) -> dict[int, list[Equation]]:
    """The equations each cell is in, by the cell's id."""
    found: dict[int, list[Equation]] = {}
    for equation in equations:
        for cell in equation.cells():
            found.setdefault(id(cell), []).append(equation)
    return found


def _culprit(failing: Equation, containing: dict[int, list[Equation]], said) -> tuple[CellValue, int] | None:
    """The one cell whose correction makes every equation it is in (``containing``) hold, if there
    is one. When several could be, the prose decides: it confirms a cell as it stands, or states
    another's right value (``said(cell)``: the values the prose gives that cell)."""
    difference = sum(map(_value, failing.rhs)) - sum(map(_value, failing.lhs))
    added = {id(c) for c in failing.lhs}
    found = []
    for cell in failing.cells():
        fixed = _value(cell) + (difference if id(cell) in added else -difference)
        if fixed >= 0 and all(not _holds(e) and _holds(e, cell, fixed) for e in containing[id(cell)]):
            found.append((cell, fixed))
    if len(found) > 1:
        found = [(c, v) for c, v in found if _value(c) not in said(c)]
        found = [(c, v) for c, v in found if v in said(c)] or found
    return found[0] if len(found) == 1 else None


def _equation_facts(
    reading: TableReading, label: str, equations: list[Equation], names: _Names, prose: dict
) -> list[Fact]:
    """Every equation whose cells hold numbers (a blank total is added up, not stated: its
    equations are left out), with the wrong cell singled out where one fails."""
    said = lambda cell: prose.get((reading.table, cell.row, cell.column), set())  # noqa: E731
    left_out = {id(c) for c in reading.cells.values() if c.status not in ("ok", "blank") or _blank_total(c)}
    usable = [e for e in equations if left_out.isdisjoint(map(id, e.cells()))]
    # Each cell named once, however many equations it is in.
    named = names.cells(list(reading.cells.values())) if usable else {}
    containing: dict[int, list[Equation]] = {}  # indexed when an equation first fails
    facts: list[Fact] = []
    for equation in usable:
        left, right = [named[id(c)] for c in equation.lhs], [named[id(c)] for c in equation.rhs]
        stated, computed = sum(c.value for c in right), sum(c.value for c in left)
        culprit = None
        if stated != computed:
            containing = containing or _containing(usable)
            culprit = _culprit(equation, containing, said)
        anchor = culprit[0] if culprit else equation.rhs[0]
        fix_row, fix_column = names.of(culprit[0]) if culprit else ("", "")
        model = TableBalanceFact if equation.family == "balance" else TableEquationFact
        facts.append(
            model(
                table=reading.table,
                table_label=label,
                line=equation.line,
                line_label=equation.line_label,
                left=left,
                right=right,
                stated=stated,
                computed=computed,
                difference=stated - computed,
                fix_row=fix_row,
                fix_column=fix_column,
                fix_value=str(culprit[1]) if culprit else "",
                fix_text=anchor.text,
                fix_part=culprit is not None and culprit[0] not in equation.rhs,
                subject=f"{reading.table}/{anchor.row}/{anchor.column}" if culprit else "",
                start=anchor.start,
                end=anchor.end,
            )
        )
    return facts


def _cell_facts(reading: TableReading, label: str, equations: list[Equation], names: _Names) -> list[Fact]:
    # A total left blank while its parts hold numbers is missing; beside blank parts it is one
    # more zero left blank.
    totals = {
        id(e.rhs[0])
        for e in equations
        if e.family == "sum" and len(e.rhs) == 1 and any(c.status != "blank" for c in e.lhs)
    }
    blanks = [c for c in reading.cells.values() if c.status == "blank"]
    counts = [c for c in reading.cells.values() if c.status == "ok"]
    facts: list[Fact] = []

    def fact(state: CellStatus | Literal["blank_total"], cells: list[CellValue]) -> TableCellFact:
        first = cells[0]
        row, column = names.of(first)
        return TableCellFact(
            table=reading.table,
            table_label=label,
            state=state,
            count=len(cells),
            text=first.text,
            row=row,
            column=column,
            start=first.start,
            end=first.end,
        )

    states: tuple[tuple[Literal["ok", "blank", "blank_total"], list[CellValue]], ...] = (
        ("ok", counts),
        ("blank", [c for c in blanks if id(c) not in totals]),
        ("blank_total", [c for c in blanks if id(c) in totals]),
    )
    for state, cells in states:
        if cells:
            facts.append(fact(state, cells))
    facts += [fact(cell.status, [cell]) for cell in reading.cells.values() if cell.status not in ("ok", "blank")]
    return facts


def _label_facts(
    reading: TableReading, label: str, expected: str, headers: list[str], hint: str
) -> list[TableLabelFact]:
    """Every label of the table with the format's wording of it; the labels only another version of
    the format has, one fact for the table. (A table has dozens of labels: validated at once.)"""
    facts: list[dict[str, Any]] = []
    common: dict[str, Any] = dict(
        table=reading.table, table_label=label, version=reading.version or "", expected_version=expected
    )
    outdated = [seen for seen in reading.labels if seen.only and seen.only != expected]
    if outdated:
        first = outdated[0]
        assert first.only is not None  # outdated labels are those of one version only
        facts.append(
            dict(
                text=first.text,
                texts=list(dict.fromkeys(seen.text for seen in outdated)),
                canonical=hint,
                edits=0,
                version_gap=int(expected) - int(first.only),
                start=first.start,
                end=first.end,
                **common,
            )
        )
    for seen in reading.labels:
        if seen in outdated:
            continue
        canonical = seen.canonical or (seen.text if seen.text in headers else "")
        text, wording = normal_label(seen.text), normal_label(canonical)
        # A row label may carry its group in the same cell ("三、本年度办理结果 （一）予以公开").
        distance = 0 if canonical and text.endswith(wording) else edits(text, wording) if canonical else len(seen.text)
        facts.append(
            dict(
                text=seen.text,
                canonical=canonical,
                edits=distance,
                version_gap=0,
                start=seen.start,
                end=seen.end,
                **common,
            )
        )
    return _LABEL_FACTS.validate_python(facts)


def extract(
    tables: TablesFound, regime: RegimeSpec, lexicon: TableLexicon, ending, prose: dict | None = None
) -> tuple[list[Fact], list[Unavailable]]:
    """``prose``: the values the prose states of single cells (figure_checks.prose_values)."""
    if regime.id not in _EXPECTED or not regime.ordered:
        return [], []  # free-form reports (2007 regulation, or a 2019 report that kept it) have no format tables
    expected = _EXPECTED[regime.id]
    specs: dict[TableName, TableSpec] = {
        "active": lexicon.active,
        "requests": lexicon.requests,
        "review": lexicon.review,
    }
    names = _Names(lexicon)
    facts: list[Fact] = []
    unavailable: list[Unavailable] = []
    for table, spec in specs.items():
        reading, part = tables.readings[table], tables.parts[table]
        if reading is None:
            kinds = ("table_sum", "table_balance") if table == "requests" else ("table_sum",)
            unread: dict[str, UnavailableValue] = {
                "label": spec.label,
                "flattened": table in tables.flattened,
                "prose": False,
            }
            unavailable += [Unavailable(fact=k, reason="table-unread", values=unread) for k in kinds]
            if ending.truncated and (part is None or part is ending.part or part.start > ending.at):
                unavailable.append(Unavailable(fact="format_table", reason="table-cut", values={"label": spec.label}))
                continue
            if table in tables.flattened:
                unavailable.append(Unavailable(fact="format_table", reason="table-unread", values=unread))
                continue
        if part:  # the table is required where its part is (a missing part is STRUCT-PART-MISSING's)
            heading = part.heading
            facts.append(
                RequiredTableFact(
                    table=table,
                    label=spec.label,
                    part=heading.marker + heading.title,
                    start=heading.start,
                    end=heading.end,
                )
            )
        if reading is None:
            continue
        facts.append(
            FormatTableFact(
                table=table,
                label=spec.label,
                part=part.heading.marker + part.heading.title if part else "",
                labels=len(reading.labels),
                cells=len(reading.cells),
                version=reading.version or "",
                expected_version=expected,
                start=reading.start,
                end=reading.start,
            )
        )
        headers = [h for hs in getattr(spec, "headers", {}).values() for h in hs]
        facts += _label_facts(reading, spec.label, expected, headers, spec.outdated_hint if expected == "2021" else "")
        equations = _equations(reading, lexicon, names)
        facts += _cell_facts(reading, spec.label, equations, names)
        facts += _equation_facts(reading, spec.label, equations, names, prose or {})
    return facts, unavailable
