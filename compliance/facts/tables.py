"""Stage 4: the three format tables read from the tree into canonical cells.

Cells are found by their labels (``rules/lexicon/tables.yaml``), not by position, so the same
reading works for full grids (.docx, .html, PDF), browser copies whose merged cells appear once
(rows of different lengths: the numbers are the last cells of a row) and Markdown tables."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

from compliance.facts.table_rows import blank, numeric, numeric_text, parse_number, read_rows
from compliance.models.facts_tables import CellStatus, TableName
from compliance.models.rulespec import (
    ActiveTableSpec,
    PartLexicon,
    RequestsTableSpec,
    ReviewTableSpec,
    TableLexicon,
    TableRowSpec,
)
from compliance.models.tree import DocumentTree, Section, Table, TableCell

__all__ = ["CellValue", "LabelSeen", "TableReading", "TablesFound", "normal_label", "parse_number", "read_all"]

_SPACE = re.compile(r"[\s\u3000]+")
_ORDINAL = re.compile(r"^[（(]?[一二三四五六七八九十0-9]{1,3}[)）]?[.、．]?")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９，．－（）", "0123456789,.-()")
# A label this close to a format label (and this long) is that label misspelt ("2.其他法律行政止公开").
_CLOSE_LABEL = 0.8
_MIN_CLOSE = 6

TableSpec = ActiveTableSpec | RequestsTableSpec | ReviewTableSpec


@dataclass
class CellValue:
    row: str
    column: str
    text: str
    value: float | None
    status: CellStatus
    start: int
    end: int
    # A blank total, computed from its parts: it is compared with prose, never as a stated number.
    derived: float | None = None

    @property
    def amount(self) -> float | None:
        """What the cell counts for: its number, a blank part 0, a blank total its parts' sum."""
        if self.status == "blank":
            return self.derived if self.derived is not None else 0
        return self.value if self.status == "ok" else None


@dataclass
class LabelSeen:
    text: str
    canonical: str
    start: int
    end: int
    only: str | None = None  # the format version this label belongs to alone ("2019": outdated since 2021)


@dataclass
class TableReading:
    table: TableName
    start: int
    end: int
    version: str | None = None
    cells: dict[tuple[str, str], CellValue] = field(default_factory=dict)
    labels: list[LabelSeen] = field(default_factory=list)


_MARKS = re.compile(r"[，,、；;：:。．·]")


@lru_cache(maxsize=4096)  # the same labels and cells, read many times per table
def normal_label(text: str) -> str:
    """A label without white space, ordinal, bracket/stop width differences or the marks between
    its words ("逾期不补正, 行政机关" is the format's "逾期不补正、行政机关")."""
    text = _SPACE.sub("", text).translate(_FULL_WIDTH).replace("“", '"').replace("”", '"')
    return _MARKS.sub("", _ORDINAL.sub("", text))


@cache
def _pattern(pattern: str) -> re.Pattern:
    return re.compile(pattern)


_KNOWN_LABELS = 4096


class _RowMatcher:
    """A table's row patterns compiled once, with one pattern for them all (most cells are numbers
    and name no row: one search says so) and the rows' labels as ``normal_label`` gives them."""

    def __init__(self, rows: tuple[TableRowSpec, ...]) -> None:
        self.rows = rows
        self.patterns = [(_pattern(spec.pattern), spec) for spec in rows]
        self.any = re.compile("|".join(f"(?:{spec.pattern})" for spec in rows)) if rows else None
        self.canonical = {normal_label(spec.label): spec for spec in rows}
        self.known: dict[str, TableRowSpec | None] = {}  # what a cell's text names: the same texts recur

    def __call__(self, label: str) -> TableRowSpec | None:
        """The row a label names: by its pattern, or as the format label it misspells."""
        try:
            return self.known[label]
        except KeyError:
            if len(self.known) > _KNOWN_LABELS:
                self.known.clear()
            found = self.known[label] = self._match(label)
            return found

    def _match(self, label: str) -> TableRowSpec | None:
        text = _SPACE.sub("", label)
        found = None
        if self.any is not None and self.any.search(text):
            found = next(spec for pattern, spec in self.patterns if pattern.search(text))
        if found is not None:
            return found
        normal = normal_label(text)
        if len(normal) < _MIN_CLOSE or numeric_text(text):
            return None
        close = difflib.get_close_matches(normal, list(self.canonical), n=1, cutoff=_CLOSE_LABEL)
        return self.canonical[close[0]] if close else None


_KEPT = 32  # lexicons whose compiled form is kept (one per rulebook in use)
_MATCHERS: dict[int, tuple[list[TableRowSpec], _RowMatcher]] = {}


def _row_matcher(rows: list[TableRowSpec]) -> _RowMatcher:
    """The matcher of a lexicon's rows (one per table of the rulebook, kept for the process)."""
    entry = _MATCHERS.get(id(rows))
    if entry is None or entry[0] is not rows:
        if len(_MATCHERS) >= _KEPT:  # lexicons of rulebooks no longer used
            _MATCHERS.clear()
        entry = _MATCHERS[id(rows)] = (rows, _RowMatcher(tuple(rows)))
    return entry[1]


def _cell(row: str, column: str, cell: TableCell, integer: bool = True, signed: bool = False) -> CellValue:
    value, status = parse_number(cell.text, integer, signed)
    return CellValue(row, column, cell.text, value, status, cell.start, cell.end)


def _column_header(spec: RequestsTableSpec):
    words = {normal_label(c.label) for c in spec.columns} | {"申请人情况", "法人或其他组织"}
    return lambda row: sum(normal_label(c.text) in words for c in row) >= 2


def read_requests(tables: list[Table], spec: RequestsTableSpec) -> TableReading | None:
    match = _row_matcher(spec.rows)
    columns = [c.key for c in spec.columns]
    reading: TableReading | None = None
    header = _column_header(spec)
    read: set[str] = set()  # the rows read
    for table in tables:
        for row in read_rows(table.rows, match, len(columns), header):
            key = row.spec.key
            if reading and key in read:
                continue  # a table repeated on a new page: the first reading counts
            reading = reading or TableReading("requests", table.start, table.end)
            reading.end = max(reading.end, table.end)
            reading.labels.append(
                LabelSeen(row.label.text, row.spec.label, row.label.start, row.label.end, row.spec.only)
            )
            for column, cell in zip(columns, row.values):
                reading.cells[key, column] = _cell(key, column, cell)
            read.add(key)
    if reading:
        reading.version = "2021" if read & {"other_1", "other_2", "other_3"} else "2019" if "other" in read else None
        _derive_requests(reading, spec)
    return reading


def _derive_requests(reading: TableReading, spec: RequestsTableSpec) -> None:
    """Blank totals, computed from their parts: the 总计 column of each row, then the （七）总计
    row of each column from the outcomes."""
    cells = reading.cells
    parts = [c.key for c in spec.columns if c.key != "total"]
    rows = {r for r, _ in cells}
    for row in rows:
        total = cells.get((row, "total"))
        if total and total.status == "blank" and all((row, c) in cells for c in parts):
            total.derived = _sum_known([cells[row, c].amount for c in parts])
    outcomes = [r.key for r in spec.rows if r.outcome and r.key in rows]
    for column in spec.columns:
        total = cells.get(("total", column.key))
        if total and total.status == "blank" and outcomes:
            total.derived = _sum_known([cells[r, column.key].amount for r in outcomes if (r, column.key) in cells])


def _sum_known(amounts: list[float | None]) -> float | None:
    """Their sum, when every one is known."""
    known = [a for a in amounts if a is not None]
    return sum(known) if len(known) == len(amounts) else None


def read_review(tables: list[Table], spec: ReviewTableSpec) -> TableReading | None:
    """Table 四: its 15 numbers, from a row of a table headed 复议/诉讼, or a row of exactly 15
    numbers alone (copied without its header); a data row broken over two lines is joined."""
    width = len(spec.groups) * len(spec.columns)
    for table in tables:
        headed = any("复议" in c.text or "诉讼" in c.text for row in table.rows for c in row)
        run: list[TableCell] = []
        for row in table.rows:
            values = _numbers_after_labels(row)
            if values is None:
                run = []
                continue
            run = run + values if run and len(_trimmed(run, width)) < width else values
            trimmed = _trimmed(run, width)
            alone = len(row) == len(values) and len(trimmed) == width
            if len(trimmed) == width and (headed or alone):
                reading = TableReading("review", table.start, table.end, version="2019/2021")
                keys = [(g.key, c.key) for g in spec.groups for c in spec.columns]
                for (group_key, column_key), cell in zip(keys, trimmed):
                    reading.cells[group_key, column_key] = _cell(group_key, column_key, cell)
                for group in spec.groups:
                    total = reading.cells[group.key, "total"]
                    amounts = [reading.cells[group.key, c.key].amount for c in spec.columns if c.key != "total"]
                    if total.status == "blank" and (derived := _sum_known(amounts)) is not None:
                        total.derived = derived
                return reading
    return None


def _numbers_after_labels(row: list[TableCell]) -> list[TableCell] | None:
    """The cells after a row's leading label cells when they hold a number; None otherwise."""
    lead = 0
    while lead < len(row) and not numeric(row[lead]):
        lead += 1
    values = row[lead:]
    if not any(numeric(c) for c in values) or any(not (numeric(c) or blank(c)) for c in values):
        return None
    return values


def _trimmed(values: list[TableCell], width: int) -> list[TableCell]:
    """Values cut to ``width``: empty cells at the end first (a copy's), then at the start."""
    while len(values) > width and blank(values[-1]):
        values = values[:-1]
    while len(values) > width and blank(values[0]):
        values = values[1:]
    return values[-width:] if len(values) > width else values


def _header_names(header: list[str], spec: ActiveTableSpec) -> tuple[str | None, list[str]]:
    """The format version the header follows, and each header cell's canonical name (the
    closest label of that version; "" for an empty cell)."""
    normal = {version: {normal_label(h): h for h in headers} for version, headers in spec.headers.items()}
    votes = {version: sum(normal_label(h) in known for h in header if h) for version, known in normal.items()}
    version = max(votes.items(), key=lambda item: item[1])[0] if any(votes.values()) else None
    known = list(spec.headers.get(version, [])) if version else []
    names = []
    for label in header:
        exact = normal[version].get(normal_label(label)) if version and label else None
        close = difflib.get_close_matches(normal_label(label), known, n=1, cutoff=0.6) if label and not exact else []
        names.append(exact or (close[0] if close else label))
    return version, names


def _is_active_header(texts: list[str], known: set[str]) -> bool:
    """The 信息内容 row of a block, or a header row that copying left without it (``known``: the
    header labels of every version, as ``normal_label`` gives them)."""
    if texts and "信息内容" in texts[0]:
        return True
    named = [t for t in texts[1:] if t]
    return bool(named) and not texts[0] and all(normal_label(t) in known for t in named)


def read_active(tables: list[Table], spec: ActiveTableSpec) -> TableReading | None:
    match = _row_matcher(spec.rows)
    known = {normal_label(h) for headers in spec.headers.values() for h in headers}
    reading: TableReading | None = None
    header: list[str] = []
    for table in tables:
        pending: tuple[TableRowSpec, TableCell] | None = None  # a label whose numbers follow
        for row in table.rows:
            texts = [c.text for c in row]
            if _is_active_header(texts, known):
                version, header = _header_names(texts[1:], spec)
                reading = reading or TableReading("active", table.start, table.end)
                reading.version = reading.version or version
                for cell, name in zip(row[1:], header):
                    if cell.text:  # a label off the format is reported against its closest label
                        only = next(
                            (
                                v
                                for v, names in spec.headers.items()
                                if name in names
                                and all(name not in others for w, others in spec.headers.items() if w != v)
                            ),
                            None,
                        )
                        reading.labels.append(
                            LabelSeen(cell.text, name if name != cell.text else "", cell.start, cell.end, only)
                        )
                continue
            row_spec = match(row[0].text) if row and row[0].text and not numeric(row[0]) else None
            label, values = (row[0], row[1:]) if row_spec else (pending[1], row) if pending else (None, [])
            row_spec = row_spec or (pending[0] if pending and all(numeric(c) or blank(c) for c in row) else None)
            pending = None
            if row_spec is None or reading is None or label is None:
                continue
            if not any(numeric(c) for c in values) and label is row[0]:
                pending = (row_spec, label)
                continue
            reading.end = max(reading.end, table.end)
            canonical = row_spec.versions.get(reading.version or "", row_spec.label)
            worded = [
                v for v, wording in row_spec.versions.items() if normal_label(label.text) == normal_label(wording)
            ]
            version_only: str | None = row_spec.only or (worded[0] if len(worded) == 1 else None)
            reading.labels.append(LabelSeen(label.text, canonical, label.start, label.end, version_only))
            for name, cell in _under_header(header, values):
                amount = "金额" in name
                reading.cells[row_spec.key, name] = _cell(
                    row_spec.key, name, cell, integer=not amount, signed="增" in name
                )
    return reading


def _under_header(header: list[str], values: list[TableCell]) -> list[tuple[str, TableCell]]:
    """Each header name and its value: a name covers the empty header cells after it (a merged
    header cell, or the empty cells a copy adds), and its value is the first filled cell there —
    so a row whose merges differ from the header's (a value spanning two columns) still lines up."""
    named = [i for i, name in enumerate(header) if name]
    found = []
    for index, start in enumerate(named):
        stop = named[index + 1] if index + 1 < len(named) else len(header)
        cells = values[start:stop]
        if cells:
            found.append((header[start], next((c for c in cells if not blank(c)), cells[0])))
    return found


# Which part each table belongs in (content items of rules/lexicon/parts.yaml).
TABLE_PARTS = {"active": "active", "requests": "request", "review": "review_litigation"}


@dataclass
class TablesFound:
    """The readings of the three tables (None: not found), the parts they belong in, and the
    tables whose words are in their part's prose though no table could be read (``flattened``)."""

    readings: dict[str, TableReading | None]
    parts: dict[str, Section | None]
    flattened: set[str] = field(default_factory=set)


_SIGNATURE_WORDS = 2


def _words_there(part: Section, signature: list[str]) -> bool:
    text = "".join(n.text for n in part.walk() if n.kind == "paragraph")
    return sum(word in text for word in signature) >= _SIGNATURE_WORDS


def read_all(tree: DocumentTree, parts: PartLexicon, lexicon: TableLexicon) -> TablesFound:
    """Read each table from its part, or from anywhere in the draft when its part lacks it."""
    from compliance.facts.structure import classify  # the part lexicon's classifier

    sections: dict[str | None, Section] = {}
    for section in tree.sections:
        sections.setdefault(classify(section.heading.title, parts), section)
    everywhere = [n for n in tree.walk() if n.kind == "table"]
    readers: dict[TableName, tuple[Callable[[list[Table], Any], TableReading | None], TableSpec]] = {
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
        if found.readings[table] is None and part is not None and _words_there(part, spec.signature):
            found.flattened.add(table)
    return found
