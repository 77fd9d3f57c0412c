"""Stage 7: one self-contained HTML page — the draft itself with every finding marked where it is,
filters by severity and family, the findings list and what was not checked.

The page is built from the original text (the offsets of the findings refer to it). Lines with
tabs are table rows; consecutive ones form one ``<table>``. Each line or cell is a *run*, cut at
every finding boundary inside it into segments; a segment knows every finding that covers it, so
overlapping and nested findings need no nested markup. Every finding also gets a numbered pin at
its start — the only mark a finding about something absent (an empty span) can have. All draft
text reaches the page through Jinja2 autoescaping; nothing here builds markup from it."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Any, cast

from compliance.models.findings import SEVERITIES, Finding, Report, rank
from compliance.render import SEVERITY_LABELS, by_part, document_facts, family, family_label, inferences
from compliance.rulebook import DOCUMENT_LIMIT, MAX_STEPS, BoundedSandboxedEnvironment, BoundedTemplate


@dataclass(slots=True)  # not frozen: a page makes hundreds, and a frozen one costs three times as much to make
class Piece:
    """Draft text (a segment, marked when ``ids`` is not empty) or, with ``pin`` set, the pin of
    finding number ``pin`` (no text)."""

    text: str = ""
    start: int = 0
    ids: tuple[int, ...] = ()
    severity: str | None = None
    pin: int | None = None


@dataclass(slots=True)
class Run:
    """A line outside tables, or one table cell: the pieces and the findings that touch it."""

    pieces: list[Piece]
    ids: tuple[int, ...]
    severity: str | None


@dataclass(slots=True)
class Block:
    """A line, or a table of lines. A line or cell no finding touches is its text alone (most are:
    the page renders them without looking into a Run)."""

    kind: str  # "line" or "table"
    line: int = 0  # a line block's 1-based line number
    run: Run | str = ""
    rows: list[tuple[int, list[Run | str]]] = field(default_factory=list)  # a table's (line, cells)


def _worst(findings: list[Finding], ids) -> str | None:
    return min((findings[i - 1].severity for i in ids), key=rank, default=None)


def _run(text: str, start: int, end: int, findings: list[Finding]) -> Run | str:
    """Cut text[start:end] at the finding boundaries inside it. Pins of findings starting at a
    position go before the text there; a run owns the pins in [start, end] (its end is the
    newline or tab after it, so no position belongs to two runs). The text alone when it has
    nothing to mark."""
    numbered = list(enumerate(findings, 1))
    cuts = sorted({start, end} | {x for _, f in numbered for x in (f.start, f.end) if start < x < end})
    pins: dict[int, list[int]] = {}
    for number, finding in numbered:
        if start <= finding.start <= end:
            pins.setdefault(finding.start, []).append(number)
    pieces: list[Piece] = []
    touching: set[int] = set()
    for index, here in enumerate(cuts):
        for number in pins.get(here, []):
            pieces.append(Piece(start=here, ids=(number,), severity=findings[number - 1].severity, pin=number))
            touching.add(number)
        if index + 1 == len(cuts):
            break
        until = cuts[index + 1]
        ids = tuple(n for n, f in numbered if f.start <= here and until <= f.end)
        pieces.append(Piece(text=text[here:until], start=here, ids=ids, severity=_worst(findings, ids)))
        touching.update(ids)
    if not touching:  # a finding ends where this starts, or an empty line inside one: nothing to mark
        return text[start:end]
    ids = tuple(sorted(touching))
    return Run(pieces, ids, _worst(findings, ids))


def _touched(findings: list[Finding]) -> Callable[[int, int], bool]:
    """Whether some finding touches [start, end] (start <= its end, its start <= end): among the
    findings starting at or before ``end`` (sorted by start), whether the furthest end reaches
    ``start``. Most lines and cells are touched by none."""
    spans = sorted((f.start, f.end) for f in findings)
    starts = [start for start, _ in spans]
    reach = list(accumulate((end for _, end in spans), max))

    def touched(start: int, end: int) -> bool:
        count = bisect_right(starts, end)
        return count > 0 and reach[count - 1] >= start

    return touched


def layout(text: str, findings: list[Finding]) -> list[Block]:
    """The draft as blocks: each line, or a table for each stretch of lines containing tabs."""
    blocks: list[Block] = []
    touched = _touched(findings)
    offset = 0
    for number, line in enumerate(text.split("\n"), 1):
        if "\t" in line:
            if not blocks or blocks[-1].kind != "table":
                blocks.append(Block("table"))
            cells, cell_start = [], offset
            for cell in line.split("\t"):
                cell_end = cell_start + len(cell)
                touching = touched(cell_start, cell_end)
                cells.append(_run(text, cell_start, cell_end, findings) if touching else cell)
                cell_start = cell_end + 1
            blocks[-1].rows.append((number, cells))
        else:
            end = offset + len(line)
            run = _run(text, offset, end, findings) if touched(offset, end) else line
            blocks.append(Block("line", line=number, run=run))
        offset += len(line) + 1
    return blocks


_LAYOUT_FIELDS = {kind: frozenset(f.name for f in fields(kind)) for kind in (Piece, Run, Block)}


class _SandboxedPageEnvironment(BoundedSandboxedEnvironment):
    """The sandbox, reading the fields of the page's own layout objects (Piece, Run, Block: text,
    numbers, tuples and lists of them) without its safety checks — the same values it would give,
    at a fraction of the cost: they are most of the page's lookups. Anything else (the report,
    its findings) goes through the sandbox as before."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        names = _LAYOUT_FIELDS.get(type(obj))
        if names is not None and attribute in names:
            return getattr(obj, attribute)
        return super().getattr(obj, attribute)


@cache
def _environment() -> BoundedSandboxedEnvironment:
    return _SandboxedPageEnvironment.for_pages(Path(__file__).parent / "templates")


def _limits(report: Report, text: str) -> tuple[int, int]:
    """The page's output and steps at most: a bound on what the template makes of this draft and
    these findings (each line at most a few dozen characters of markup, each finding a list item
    and a pin repeating its message), never reached by a page that renders as it should."""
    findings = report.findings
    said = sum(len(f.message) + len(f.suggestion) + len(f.basis) + len(f.excerpt) + len(f.part or "") for f in findings)
    output = DOCUMENT_LIMIT + 64 * len(text) + 4 * said + 2048 * len(findings)
    steps = MAX_STEPS + 4 * len(text) + 64 * len(findings)
    return output, steps


def render_html(report: Report, text: str) -> str:
    findings = report.findings
    families = sorted({family(f.rule) for f in findings})
    groups, numbered = [], 0  # (part, [(number, finding)]): findings are numbered through the page
    for part, items in by_part(findings):
        groups.append((part, list(enumerate(items, numbered + 1))))
        numbered += len(items)
    output, steps = _limits(report, text)
    context = dict(
        report=report,
        document=report.document,
        blocks=layout(text, findings),
        groups=groups,
        severities=SEVERITIES,
        severity_labels=SEVERITY_LABELS,
        families=[(name, family_label(name), sum(family(f.rule) == name for f in findings)) for name in families],
        family=family,
        facts=document_facts(report.document),
        inferences=inferences(report.document),
    )
    # the environment's template_class: get_template is typed as giving a plain Template
    template = cast(BoundedTemplate, _environment().get_template("report.html.j2"))
    return template.render_within(context, output=output, steps=steps)
