"""A draft checked for the workspace: ``check_draft`` is the pure function the web application
runs in its worker processes. It loads and checks the draft as ``compliance check`` does, and
reads the three tables' cells as values to store; it never raises — a draft that cannot be read
or checked comes back with the reason (Chinese, one line) and no report."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from pydantic import BaseModel, Field

from compliance import pipeline
from compliance.compare.tables import layouts
from compliance.errors import ComplianceError, InputError
from compliance.facts.figures import lexicon as figure_lexicon
from compliance.facts.tables import CellValue, TablesFound, read_all
from compliance.load import load_bytes
from compliance.models.findings import Report
from compliance.rulebook import Rulebook, default_rulebook
from compliance.workspace.data.schema import CellState

# A bug of the checker met by one draft: that draft shows this, the others go on being checked.
INTERNAL_ERROR = "检查时出现内部错误（{error}），请将此文件报告给维护者"


class CellRecord(BaseModel):
    """One cell of 表二/表三/表四 as stored (``schema.TableCell``)."""

    table: str
    row_key: str
    row_label: str
    column_key: str
    column_label: str
    state: CellState
    value: Decimal | None = None
    text: str


class CheckResult(BaseModel):
    """What checking a draft gives: its sha256, format, report and table cells, or ``error`` (the
    reason it could not be checked) and no report."""

    sha256: str
    format: str | None = None
    report: Report | None = None
    cells: list[CellRecord] = Field(default_factory=list)
    error: str | None = None


def cell_state(cell: CellValue) -> tuple[CellState, Decimal | None]:
    """A cell's state and value: a number is a value; an empty cell is blank and a mark ("/", "—",
    "无") not applicable, neither ever 0; a negative, fractional or worded count is invalid."""
    if cell.status == "ok" and cell.value is not None:
        return "value", Decimal(int(cell.value)) if cell.value.is_integer() else Decimal(str(cell.value))
    if cell.status == "blank":
        return ("blank" if not cell.text.strip() else "na"), None
    return "invalid", None


def table_cells(tables: TablesFound, rulebook: Rulebook) -> list[CellRecord]:
    """Every cell read from the three tables, rows and columns named as the comparison names them."""
    records = []
    for layout in layouts((tables,), rulebook.tables, figure_lexicon(rulebook.root).row_groups):
        reading = tables.readings[layout.table]
        if reading is None:
            continue
        rows, columns = dict(layout.rows), dict(layout.columns)
        for (row, column), cell in reading.cells.items():
            state, value = cell_state(cell)
            records.append(
                CellRecord(
                    table=layout.table,
                    row_key=row,
                    row_label=rows.get(row, row),
                    column_key=column,
                    column_label=columns.get(column, column),
                    state=state,
                    value=value,
                    text=cell.text,
                )
            )
    return records


def check_draft(data: bytes, filename: str) -> CheckResult:
    """Load and check the draft (``filename`` only names it and hints its format) → its result."""
    sha = hashlib.sha256(data).hexdigest()
    try:
        source = load_bytes(data, filename)
        rulebook = default_rulebook()
        report = pipeline.check_source(source, rulebook=rulebook)
        tables = read_all(pipeline.read(source).tree, rulebook.parts, rulebook.tables)
        return CheckResult(sha256=sha, format=source.format, report=report, cells=table_cells(tables, rulebook))
    except InputError as error:
        return CheckResult(sha256=sha, error=error.reason)
    except ComplianceError as error:
        return CheckResult(sha256=sha, error=str(error))
    except Exception as error:  # noqa: BLE001 — a worker's boundary: one draft's failure is its own
        return CheckResult(sha256=sha, error=INTERNAL_ERROR.format(error=type(error).__name__))
