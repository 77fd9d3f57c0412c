"""Key points: the attachment task table (序号 / 重点任务 / 牵头单位 / 责任单位) → rows, in either layout.

- A real table (tab-separated rows, or a Word/HTML table): columns are named by the header row,
  which may repeat on every page.
- A table flattened one cell per line (淮安 2019): after the header cells, a row starts at a cell
  that is the next 序号; its other cells are category cells (一级/二级任务, repeated only when they
  change), then the task, then its unit cells. A 序号 cell may cover several task/unit groups
  (a merged cell): they stay one row. Numbers that are not the next 序号 (page numbers) are skipped."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from compliance.checklists.units import is_units_cell
from compliance.facts.keypoints.lexicon import KeypointLexicon
from compliance.models.tree import DocumentTree, Section, Table

_NUMBER = re.compile(r"^\s*(\d{1,3})\s*$")
_END = re.compile(r"^\s*(?:抄送|抄报|主送|印发|.{0,20}\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日印发)")


@dataclass
class Cell:
    text: str
    line: int
    start: int


@dataclass
class Row:
    number: int
    line: int
    start: int
    categories: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # one per task/unit group
    unit_cells: list[list[str]] = field(default_factory=list)  # per group, in column order
    lead_cells: list[str] = field(default_factory=list)  # only when a lead column is known
    deadline: str = ""


def _cells(tree: DocumentTree) -> list[Cell | Table]:
    """Every paragraph, heading and table of the document, in order."""
    found: list[Cell | Table] = []
    for node in tree.walk():
        if isinstance(node, Section):
            found.append(Cell(node.heading.text, node.line, node.start))
        elif node.kind == "paragraph":
            found.append(Cell(node.text, node.line, node.start))
        else:
            found.append(node)
    return found


def _columns(roles: dict[str, int], texts: list[str]):
    """A row's cell by the role of its column ("" when the row has no such cell)."""

    def column(role: str) -> str:
        index = roles.get(role)
        return texts[index] if index is not None and index < len(texts) else ""

    return column


def _roles(cells: list[str], lexicon: KeypointLexicon) -> dict[str, int] | None:
    roles = {}
    for index, cell in enumerate(cells):
        role = lexicon.header_role(cell)
        if role and role not in roles:
            roles[role] = index
    return roles if {"number", "task"} <= set(roles) else None


def _from_tables(tables: list[Table], lexicon: KeypointLexicon) -> list[Row]:
    rows: list[Row] = []
    roles: dict[str, int] | None = None
    for table in tables:
        for cells in table.rows:
            texts = [c.text.strip() for c in cells]
            header = _roles(texts, lexicon)
            if header:
                roles = header
                continue
            number = _NUMBER.match(texts[roles["number"]]) if roles and roles["number"] < len(texts) else None
            if not roles or not number:
                continue

            column = _columns(roles, texts)
            units = [c for c in (column("lead"), column("units")) if c]
            rows.append(
                Row(
                    number=int(number.group(1)),
                    line=cells[0].line,
                    start=cells[0].start,
                    texts=[column("task")],
                    unit_cells=[units],
                    lead_cells=[column("lead")] if column("lead") else [],
                    deadline=column("deadline"),
                )
            )
    return rows


def _from_cells(cells: list[Cell], lexicon: KeypointLexicon) -> list[Row]:
    rows: list[Row] = []
    current: Row | None = None
    pending: list[str] = []  # text cells not yet closed by unit cells
    for cell in cells:
        text = cell.text.strip()
        if not text:
            continue
        if _END.match(text):
            break
        number = _NUMBER.match(text)
        if number:
            if int(number.group(1)) == (current.number + 1 if current else 1):
                current = Row(number=int(number.group(1)), line=cell.line, start=cell.start)
                rows.append(current)
                pending = []
            continue  # a page number
        if current is None:
            continue
        if is_units_cell(text, lexicon):
            if pending:
                if not current.texts:
                    current.categories = pending[:-1]
                current.texts.append(pending[-1])
                current.unit_cells.append([])
                pending = []
            if current.unit_cells:
                current.unit_cells[-1].append(text)
        else:
            pending.append(text)
    return [row for row in rows if row.texts]


def read_rows(tree: DocumentTree, lexicon: KeypointLexicon) -> tuple[list[Row], int | None]:
    """The attachment's rows and the offset where the attachment starts (None: no attachment)."""
    nodes = _cells(tree)
    for index, node in enumerate(nodes):
        if isinstance(node, Table):
            if node.rows and _roles([c.text for c in node.rows[0]], lexicon):
                tables = [n for n in nodes[index:] if isinstance(n, Table)]
                return _from_tables(tables, lexicon), _attachment_start(nodes, index)
            continue
        # Flattened: a run of header cells (序号, 主要任务, 牵头单位, 责任单位), one per line.
        run = [n.text for n in nodes[index : index + 6] if isinstance(n, Cell)]
        length = 0
        while length < len(run) and lexicon.header_role(run[length]):
            length += 1
        if length >= 2 and _roles(run[:length], lexicon):
            cells = [n for n in nodes[index + length :] if isinstance(n, Cell)]
            return _from_cells(cells, lexicon), _attachment_start(nodes, index)
    return [], None


def _attachment_start(nodes: list, header_index: int) -> int:
    """Where the attachment begins: its "附件" line when one precedes the header, else the header."""
    for node in reversed(nodes[max(0, header_index - 4) : header_index]):
        if isinstance(node, Cell) and re.match(r"^\s*附\s*件\s*\d*\s*$", node.text):
            return node.start
    node = nodes[header_index]
    return node.start
