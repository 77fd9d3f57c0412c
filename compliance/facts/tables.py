"""Stage 4: the three format tables read from the tree into canonical cells.

Cells are found by their labels (``rules/lexicon/tables.yaml``), not by position, so the same
reading works for full grids (.docx, .html, PDF), browser copies whose merged cells appear once
(rows of different lengths: the numbers are the last cells of a row) and Markdown tables."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from functools import cache

from compliance.models.rulespec import ActiveTableSpec, PartLexicon, RequestsTableSpec, ReviewTableSpec, TableLexicon, TableRowSpec
from compliance.models.tree import DocumentTree, Section, Table, TableCell

_SPACE = re.compile(r"[\s\u3000]+")
_ORDINAL = re.compile(r"^[（(]?[一二三四五六七八九十0-9]{1,3}[)）]?[.、．]?")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９，．－（）", "0123456789,.-()")
_BLANK = {"", "-", "—", "–", "/", "／", "无", "——"}
_NUMBER = re.compile(r"^([+-]?\d+(?:,\d{3})*(?:\.\d+)?)(万)?(?:元|件|条|个|次|项)?$")


@dataclass
class CellValue:
    row: str
    column: str
    text: str
    value: float | None
    status: str  # ok | blank | negative | non_integer | non_numeric
    start: int
    end: int


@dataclass
class LabelSeen:
    text: str
    canonical: str
    start: int
    end: int


@dataclass
class TableReading:
    table: str  # active | requests | review
    start: int
    end: int
    version: str | None = None
    cells: dict[tuple[str, str], CellValue] = field(default_factory=dict)
    labels: list[LabelSeen] = field(default_factory=list)


def parse_number(text: str, integer: bool = True, signed: bool = False) -> tuple[float | None, str]:
    """A table cell's number and its status; a blank cell is ``(None, "blank")``."""
    cleaned = _SPACE.sub("", text).translate(_FULL_WIDTH)
    if cleaned in _BLANK:
        return None, "blank"
    match = _NUMBER.match(cleaned)
    if not match:
        return None, "non_numeric"
    value = float(match.group(1).replace(",", "")) * (10000 if match.group(2) else 1)
    if value < 0 and not signed:
        return value, "negative"
    if integer and value != int(value):
        return value, "non_integer"
    return value, "ok"


def normal_label(text: str) -> str:
    """A label without white space, ordinal or bracket/stop width differences."""
    text = _SPACE.sub("", text).translate(_FULL_WIDTH).replace("“", '"').replace("”", '"')
    return _ORDINAL.sub("", text)


@cache
def _pattern(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def _match_row(label: str, rows: tuple[TableRowSpec, ...]) -> TableRowSpec | None:
    text = _SPACE.sub("", label)
    return next((spec for spec in rows if _pattern(spec.pattern).search(text)), None)


def _cell(row: str, column: str, cell: TableCell, **number) -> CellValue:
    value, status = parse_number(cell.text, **number)
    return CellValue(row, column, cell.text, value, status, cell.start, cell.end)


def read_requests(tables: list[Table], spec: RequestsTableSpec) -> TableReading | None:
    rows = tuple(spec.rows)
    width = len(spec.columns)
    reading: TableReading | None = None
    for table in tables:
        for row in table.rows:
            labels = [c for c in row[:-width] if c.text]
            if len(row) <= width or not labels:
                continue
            row_spec = _match_row(labels[-1].text, rows) or _match_row("".join(c.text for c in labels), rows)
            if row_spec is None or any(k[0] == row_spec.key for k in (reading.cells if reading else {})):
                continue
            reading = reading or TableReading("requests", table.start, table.end)
            reading.end = max(reading.end, table.end)
            label = labels[-1]
            reading.labels.append(LabelSeen(label.text, row_spec.label, label.start, label.end))
            for column, cell in zip(spec.columns, row[-width:]):
                reading.cells[row_spec.key, column.key] = _cell(row_spec.key, column.key, cell)
    if reading:
        keys = {row for row, _ in reading.cells}
        reading.version = "2021" if keys & {"other_1", "other_2", "other_3"} else "2019" if "other" in keys else None
    return reading


def read_review(tables: list[Table], spec: ReviewTableSpec) -> TableReading | None:
    width = len(spec.groups) * len(spec.columns)
    for table in tables:
        headed = any("复议" in c.text for row in table.rows for c in row)
        for row in table.rows:
            values = row[-width:]
            # Without its header rows (copied as text) the table is a row of exactly 15 numbers.
            numbers_only = len(row) == width and all(parse_number(c.text)[1] != "non_numeric" for c in row)
            if (headed or numbers_only) and len(row) >= width and any(any(ch.isdigit() for ch in c.text) for c in values):
                reading = TableReading("review", table.start, table.end, version="2019/2021")
                keys = [(g.key, c.key) for g in spec.groups for c in spec.columns]
                for (group, column), cell in zip(keys, values):
                    reading.cells[group, column] = _cell(group, column, cell)
                return reading
    return None


def _header_names(header: list[str], spec: ActiveTableSpec) -> tuple[str | None, list[str]]:
    """The format version the header follows, and each header cell's canonical name (the
    closest label of that version; "" for an empty cell)."""
    normal = {version: {normal_label(h): h for h in headers} for version, headers in spec.headers.items()}
    votes = {version: sum(normal_label(h) in known for h in header if h) for version, known in normal.items()}
    version = max(votes, key=votes.get) if any(votes.values()) else None
    known = list(spec.headers.get(version, [])) if version else []
    names = []
    for label in header:
        exact = normal[version].get(normal_label(label)) if version and label else None
        close = difflib.get_close_matches(normal_label(label), known, n=1, cutoff=0.6) if label and not exact else []
        names.append(exact or (close[0] if close else label))
    return version, names


def read_active(tables: list[Table], spec: ActiveTableSpec) -> TableReading | None:
    rows = tuple(spec.rows)
    reading: TableReading | None = None
    header: list[str] = []
    for table in tables:
        for row in table.rows:
            texts = [c.text for c in row]
            if any("信息内容" in t for t in texts[:1]):
                version, header = _header_names(texts[1:], spec)
                reading = reading or TableReading("active", table.start, table.end)
                reading.version = reading.version or version
                for cell, name in zip(row[1:], header):
                    if cell.text:  # a label off the format is reported against its closest label
                        reading.labels.append(LabelSeen(cell.text, name if name != cell.text else "", cell.start, cell.end))
                continue
            row_spec = _match_row(row[0].text, rows) if row and row[0].text else None
            if row_spec is None or reading is None:
                continue
            reading.end = max(reading.end, table.end)
            canonical = row_spec.versions.get(reading.version or "", row_spec.label)
            reading.labels.append(LabelSeen(row[0].text, canonical, row[0].start, row[0].end))
            for name, cell in zip(header, row[1:]):
                if not name:
                    continue  # a column the header leaves empty (a merged block header)
                amount = "金额" in name
                reading.cells[row_spec.key, name] = _cell(row_spec.key, name, cell, integer=not amount, signed="增" in name)
    return reading


# Which part each table belongs in (content items of rules/lexicon/parts.yaml).
TABLE_PARTS = {"active": "active", "requests": "request", "review": "review_litigation"}


@dataclass
class TablesFound:
    """The readings of the three tables (None: not found) and the parts they belong in."""

    readings: dict[str, TableReading | None]
    parts: dict[str, Section | None]


def read_all(tree: DocumentTree, parts: PartLexicon, lexicon: TableLexicon) -> TablesFound:
    """Read each table from its part, or from anywhere in the draft when its part lacks it."""
    from compliance.facts.structure import classify  # the part lexicon's classifier

    sections: dict[str | None, Section] = {}
    for section in tree.sections:
        sections.setdefault(classify(section.heading.title, parts), section)
    everywhere = [n for n in tree.walk() if n.kind == "table"]
    readers = {
        "active": (read_active, lexicon.active),
        "requests": (read_requests, lexicon.requests),
        "review": (read_review, lexicon.review),
    }
    found = TablesFound({}, {})
    for table, (reader, spec) in readers.items():
        part = sections.get(TABLE_PARTS[table])
        local = [n for n in part.walk() if n.kind == "table"] if part else []
        found.readings[table] = reader(local, spec) or reader(everywhere, spec)
        found.parts[table] = part
    return found
