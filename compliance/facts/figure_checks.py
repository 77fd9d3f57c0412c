"""Stage 4: prose figures beside what they relate to — the tables (XREF-PROSE-TABLE), their
earlier statement (XREF-REPEAT), the figures a share or growth rate is computed from
(CALC-PERCENT), the whole of a "其中" breakdown (CALC-BREAKDOWN), and 一＋二＝（七）＋四 as the
prose states it (CALC-BALANCE).

``extract(read_figures, regime, tables, lexicon)`` → (facts, unavailable). The arithmetic is done
here, whether it comes out right or not; the rules judge (difference ≠ 0, error > 0 …)."""

from __future__ import annotations

import re
from bisect import bisect_left
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from itertools import islice
from pathlib import Path
from typing import Any, Literal

from compliance.facts.figures import (
    REACH,
    Breakdown,
    Figure,
    compiled,
    expand,
    groups_named,
    lexicon,
    may_name_groups,
)
from compliance.facts.tables import TablesFound
from compliance.models.facts import Fact, Unavailable
from compliance.models.facts_figures import (
    BreakdownFact,
    FigureLexicon,
    ProseReading,
    ProseRepeatFact,
    ProseTableFact,
    StatedPercentFact,
)
from compliance.models.facts_tables import EquationCell, TableBalanceFact
from compliance.models.rulespec import TableLexicon
from compliance.models.tree import Paragraph

Cells = list[tuple[str, str, str]]
_MAX_BASES = 50  # distinct stated totals of one quantity a share is tried against


def _exponent(value: Decimal) -> int:
    """The exponent of a finite number (figures and cells are): 2 for 1.23."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int), value
    return exponent


def _units(value: Decimal) -> int:
    """A difference as an integer: itself when whole, else in units of its last digit."""
    if value == value.to_integral_value():
        return int(value)
    return int(value.scaleb(-_exponent(value)))


def _fmt(value: Decimal, like: str = "") -> str:
    if value == value.to_integral_value():
        return f"{int(value):,}" if "," in like else str(int(value))
    return format(value.normalize(), "f")


class _Tables:
    """The values of prose readings in the tables, and how messages name them."""

    def __init__(self, found: TablesFound | None, tables: TableLexicon, lex: FigureLexicon):
        self.readings = found.readings if found else {}
        self.labels = {"active": tables.active.label, "requests": tables.requests.label, "review": tables.review.label}
        self.rows = {r.key: r.short or r.label for r in tables.requests.rows + tables.active.rows}
        self.rows |= {prefix + "*": label for prefix, label in lex.row_groups.items()}
        self.columns = {c.key: c.label for c in tables.requests.columns + tables.review.columns}
        self.groups = {g.key: g.label for g in tables.review.groups}
        self.outcomes = [r.key for r in tables.requests.rows if r.outcome]
        self.review_columns = {c.key for c in tables.review.columns}
        # Figures name the same cells again and again (every 受理 the new requests' total): each
        # reference and each sum is looked up once.
        self._cells: dict[tuple[str, str, str], list] = {}
        self._values: dict[tuple[tuple[tuple[str, str, str], ...], bool], Decimal | None] = {}

    def value(self, cells: Cells, recompute: bool = False) -> Decimal | None:
        """The sum of the cells; with ``recompute``, each total as the sum of its parts (a prose
        figure that agrees with the parts is right where the table's total is not: CALC-SUM's)."""
        key = (tuple(cells), recompute)
        if key not in self._values:
            self._values[key] = self._value(cells, recompute)
        return self._values[key]

    def _value(self, cells: Cells, recompute: bool) -> Decimal | None:
        total = Decimal(0)
        for table, row, column in cells:
            parts = self._parts(table, row, column) if recompute else None
            if parts:
                total += self.value(parts) or 0
                continue
            amounts = [cell.amount for cell in self.cells(table, row, column)]
            if not amounts or None in amounts:
                return None
            for amount in amounts:
                total += Decimal(str(amount))
        return total

    def cells(self, table: str, row: str, column: str) -> list:
        """The cells a reference names (``refuse_*``: every 不予公开 sub-row)."""
        found = self._cells.get((table, row, column))
        if found is None:
            found = self._cells[table, row, column] = self._find(table, row, column)
        return found

    def _find(self, table: str, row: str, column: str) -> list:
        reading = self.readings.get(table)
        if reading is None:
            return []
        if not row.endswith("*"):
            return [reading.cells[row, column]] if (row, column) in reading.cells else []
        # a row prefix: a few references a report, each looked up once
        return [cell for (r, c), cell in reading.cells.items() if c == column and r.startswith(row[:-1])]

    def derived(self, cells: Cells) -> bool:
        """Whether the value of ``cells`` takes a blank total from its parts."""
        return any(c.derived is not None for ref in cells for c in self.cells(*ref))

    def _parts(self, table: str, row: str, column: str) -> Cells | None:
        if table == "review" and column == "total":
            parts = [(table, row, c) for c in ("upheld", "corrected", "other", "pending")]
        elif table == "requests" and row == "total":
            parts = [(table, r, column) for r in self.outcomes]
        elif table == "requests" and column == "total":
            parts = [(table, row, c) for c in self.columns if c not in self.review_columns and c != "total"]
        else:
            return None
        reading = self.readings.get(table)
        cells = reading.cells if reading else {}
        return [p for p in parts if p[1:] in cells] or None

    def reading(self, cells: Cells, value: Decimal, derived: bool = False) -> ProseReading:
        """How messages name ``cells``: in table 四 each cell's group and column (行政复议“结果纠正”),
        else the rows and the columns (“一、本年新收”＋“二、上年结转”（总计））."""
        table = cells[0][0]
        if table == "review":
            rows, columns = [self.groups[g] for _, g, _ in cells], [self.columns[c] for _, _, c in cells]
        else:
            rows = list(dict.fromkeys(self.rows.get(r, r) for _, r, _ in cells))
            columns = list(dict.fromkeys(self.columns.get(c, c) for _, _, c in cells))
        return ProseReading(table=table, rows=rows, columns=columns, value=_fmt(value), derived=derived)


def _against_tables(figures: list[Figure], tables: _Tables, missing: set[str]) -> list[Fact]:
    facts: list[Fact] = []
    for figure in figures:
        if not figure.readings or figure.prior or figure.approx or figure.scoped:
            continue
        if figure.whole and figure.term is not None and figure.term.level == "total" and "|total|" in figure.key:
            continue  # "其中，本级受理…", "其中网上受理…": a part, not the table's whole
        read = [(cells, tables.value(cells)) for cells in figure.readings]
        missing |= {cells[0][0] for cells, value in read if value is None and not tables.readings.get(cells[0][0])}
        known = list({value: (cells, value) for cells, value in reversed(read) if value is not None}.values())[::-1]
        if not known:
            continue
        recomputed = [tables.value(c, recompute=True) for c, _ in known]
        nearest = min(
            (v for v in [v for _, v in known] + recomputed if v is not None), key=lambda v: abs(figure.value - v)
        )
        # A table figure that is not the sum of its own parts is not the one to copy into the prose.
        expected = _fmt(recomputed[0] if recomputed[0] is not None else known[0][1], figure.number)
        facts.append(
            ProseTableFact(
                statement="figure",
                names=list(figure.names),
                applicant=figure.applicant,
                text=figure.text,
                context=figure.clause,
                table_label=tables.labels[known[0][0][0][0]],
                readings=[tables.reading(cells, value, tables.derived(cells)) for cells, value in known],
                difference=_units(figure.value - nearest),
                fix_text=figure.text.replace(figure.number, expected, 1),
                fix_number=expected,
                start=figure.start,
                end=figure.end,
            )
        )
    return facts


def _claims(paragraphs: list[Paragraph], tables: _Tables, lex: FigureLexicon, missing: set[str]) -> list[Fact]:
    """ "均获维持" and the like, against the table-四 groups the sentence names."""
    facts: list[Fact] = []
    for paragraph in paragraphs:
        text = paragraph.text
        if not may_name_groups(text, lex):
            continue  # a claim is checked for the groups its sentence names
        ends: list[int] | None = None
        for claim in lex.claims:
            for match in compiled(claim.pattern).finditer(text):
                if ends is None:  # sentence ends and clause ends, looked up by bisection
                    ends = [i for i, c in enumerate(text) if c in "。！？"]
                    closes = [i for i, c in enumerate(text) if c in "，。；"]
                k = bisect_left(ends, match.start())
                begin = max(ends[k - 1] + 1 if k else 0, match.start() - REACH)
                k = bisect_left(closes, match.end())
                close = min(closes[k] if k < len(closes) else len(text), match.end() + REACH)
                scope = text[match.end() : close] if claim.groups_after else text[begin : match.start()]
                if claim.groups_after and re.search(r"[0-9０-９]", scope):
                    continue  # "没有经过行政复议直接起诉2件" states a count, not that there were none
                groups = list(dict.fromkeys(g for found in groups_named(scope, lex, every=True) for g in found))
                cells = [("review", g, c) for g in groups for c in claim.zero]
                missing |= {"review"} if cells and not tables.readings.get("review") else set()
                known = [(c, v) for c, v in ((c, tables.value([c])) for c in cells) if v is not None]
                if known:
                    facts.append(
                        ProseTableFact(
                            statement="claim",
                            names=[claim.name],
                            applicant="",
                            text=match.group(0),
                            context=text[max(begin, match.start() - 40) : close],
                            table_label=tables.labels["review"],
                            readings=[tables.reading([c], v) for c, v in known],
                            difference=_units(-sum((v for _, v in known), Decimal(0))),
                            fix_text="",
                            fix_number="",
                            start=paragraph.doc_offset(match.start() + 1) - 1,
                            end=paragraph.doc_offset(match.end()),
                        )
                    )
    return facts


def _repeats(figures: list[Figure], tables: _Tables) -> list[Fact]:
    """Each quantity stated again, beside its first statement, where no table settles it (a figure
    that fits a table reading is that reading — 新收, 新收＋结转 — or else XREF-PROSE-TABLE's)."""
    facts: list[Fact] = []
    first: dict[str, Figure] = {}
    carried = {id(f.whole) for f in figures if f.whole and f.term and f.term.id == "carried"}
    for figure in figures:
        skip = not figure.key or figure.prior or figure.approx or figure.scoped or figure.ambiguous or figure.whole
        if skip or any(tables.value(cells) is not None for cells in figure.readings):
            continue
        key = figure.key + ("+carried" if id(figure) in carried else "")  # "收到149件（含上年结转7件）"
        earlier = first.setdefault(key, figure)
        if earlier is not figure:
            number = _fmt(earlier.value, figure.number)
            facts.append(
                ProseRepeatFact(
                    names=list(figure.names),
                    applicant=figure.applicant,
                    text=figure.text,
                    context=figure.clause,
                    first_text=earlier.text,
                    first_context=earlier.clause,
                    difference=_units(figure.value - earlier.value),
                    fix_text=figure.text.replace(figure.number, number, 1),
                    fix_number=number,
                    start=figure.start,
                    end=figure.end,
                )
            )
    return facts


def _percent_fact(
    figure: Figure, measure: Literal["share", "growth"], value: Decimal, base: Decimal, computed: Decimal, error: int
) -> Fact:
    places = Decimal(1).scaleb(_exponent(figure.value))
    number = format(computed.quantize(places, rounding=ROUND_HALF_UP), "f")  # at the stated precision
    return StatedPercentFact(
        measure=measure,
        text=figure.text,
        context=figure.clause,
        value=_fmt(value),
        base=_fmt(base),
        computed=number,
        error=error,
        fix_number=number,
        fix_text=figure.text.replace(figure.number, number, 1),
        start=figure.start,
        end=figure.end,
    )


def _error(stated: Decimal, computed: Decimal) -> int:
    """How many units of the stated precision ``stated`` is off ``computed`` rounded or cut to it,
    whichever is nearer: 0 for 33.9% of 33.85–33.99…, and for 4.34% of 35÷805=4.3478%."""
    unit = Decimal(1).scaleb(_exponent(stated))
    rounded = (computed + unit / 2).quantize(unit, rounding=ROUND_FLOOR)  # halves up, also below 0
    cut = computed.quantize(unit, rounding=ROUND_FLOOR)
    return int(min(abs(rounded - stated), abs(cut - stated)) / unit)


def _stated(figures: list[Figure]) -> dict[int, list[Decimal]]:
    """The values the prose states as a quantity's total, per term (``id``), first seen first:
    read once for every share (at most ``_MAX_BASES`` values each)."""
    stated: dict[int, dict[Decimal, None]] = {}
    for f in figures:
        if f.term is not None and not (f.whole or f.prior) and f.key.endswith("|total|"):
            values = stated.setdefault(id(f.term), {})
            if len(values) < _MAX_BASES:
                values.setdefault(f.value, None)
    return {term: list(values) for term, values in stated.items()}


def _bases(
    part: Figure, base: str, stated: dict[int, list[Decimal]], tables: _Tables, lex: FigureLexicon
) -> list[Decimal]:
    """What a share of ``part`` may be of: the whole of its "其中", and the total that the words
    after 占 name (占办结总数的 → any reading of the requests total, in prose or table)."""
    terms = {t.id: t for t in lex.terms}
    named = next((terms[b.term] for b in lex.share_bases if re.search(b.pattern, base)), None)
    if (
        named is None
        and not base.strip("的比为达是 ")
        and part.term
        and part.term.readings[0][0].startswith("requests")
    ):
        named = terms["closed"]  # "予以公开258件，占33.9%": of the requests
    bases: list[Decimal | None] = [part.whole.value] if part.whole else []
    if named:
        # the named whole first: a share of outcomes is reported against 办结 before 受理
        others = [terms[t] for t in ("closed", "new", "received") if t != named.id]
        family = [named] if named.readings[0][0].startswith("review") else [named] + others
        bases += [value for term in family for value in stated.get(id(term), ())]
        readings = [r for term in family for r in term.readings]
        bases += [tables.value([c for ref in r for c in expand(ref, ["total"], [])]) for r in readings]
    return [b for b in bases if b]


def _shares(figures: list[Figure], tables: _Tables, lex: FigureLexicon) -> list[Fact]:
    facts: list[Fact] = []
    stated = _stated(figures)
    counts: dict[tuple[int, int], list[Figure]] = {}  # the figures so far of each segment, no shares
    for figure in figures:
        here = (figure.paragraph, figure.segment)
        before = counts.setdefault(here, [])
        fact = _share(figure, before, stated, tables, lex)
        facts += [fact] if fact else []
        if figure.unit != "%":
            before.append(figure)
    return facts


def _share(figure: Figure, before: list[Figure], stated: dict, tables: _Tables, lex: FigureLexicon) -> Fact | None:
    """The fact about a percentage, given the figures before it in its segment."""
    if figure.unit != "%" or figure.approx:
        return None
    after = figure.clause[figure.clause.find(figure.text) + len(figure.text) :]
    if re.match(rf"\s*(?:{lex.approximate_tail})", after):
        return None
    grows = f"{lex.growth_up}|{lex.growth_down}"
    share = re.search(lex.share, figure.label)
    # Of the figure just before it, "85件，占…" — not "142件，其中自然人申请占…"
    adjacent = share and not figure.label[: share.start()].strip() and len(re.findall("[，,；;]", figure.between)) < 2
    if share and adjacent and before and not before[-1].prior:
        part = before[-1]
        bases = _bases(part, figure.label[share.end() :], stated, tables, lex)
        # A share of a figure the table contradicts is computed from the table's (XREF-PROSE-TABLE
        # reports the figure): never a suggestion built on a wrong number.
        table = [v for cells in part.readings if (v := tables.value(cells, recompute=True)) is not None]
        amount = table[0] if table and part.value not in table else part.value
        if bases:
            error = min(_error(figure.value, value / b * 100) for value in {part.value, amount} for b in bases)
            return _percent_fact(figure, "share", amount, bases[0], amount / bases[0] * 100, error)
    elif re.search(grows, figure.label) and len(before) >= 2 and before[-1].prior:
        previous = before[-1]
        current = next((f for f in islice(reversed(before), 1, None) if not f.prior and f.unit == previous.unit), None)
        if current is None or not previous.value or re.search(grows, previous.label):
            return None  # "较上年增加12件，增长15%": 12 is the difference, not last year's figure
        computed = (current.value - previous.value) / previous.value * 100
        computed = -computed if re.search(lex.growth_down, figure.label) else computed
        return _percent_fact(figure, "growth", current.value, previous.value, computed, _error(figure.value, computed))
    return None


def _prose_balance(figures: list[Figure], tables: _Tables) -> list[Fact]:
    """一＋二＝（七）＋四 as the prose states it, where the report has no table 三 to hold it: a
    paragraph giving 新收 (or 受理), 上年结转, 办结 and 结转下年度 once each, of all requests."""
    if tables.readings.get("requests"):
        return []  # the table's balance is CALC-BALANCE's, its figures XREF-PROSE-TABLE's
    facts: list[Fact] = []
    by_paragraph: dict[int, list[Figure]] = {}
    for f in figures:
        by_paragraph.setdefault(f.paragraph, []).append(f)
    for paragraph in sorted(by_paragraph):
        named: dict[str, list[Figure]] = {}
        for f in by_paragraph[paragraph]:
            if f.term and f.key.endswith("|total|") and not (f.prior or f.approx or f.scoped or f.whole):
                named.setdefault(f.term.id, []).append(f)
        new = named.get("new") or named.get("received")
        sides = [new, named.get("carried"), named.get("closed"), named.get("next")]
        alone = [side[0] for side in sides if side and len(side) == 1]
        if len(alone) != len(sides):
            continue
        received, carried, closed, carried_on = alone
        stated = closed.value + carried_on.value
        # 受理 may count the carried requests already (domain.md §3.4): either reading holds it
        readings = [received.value + carried.value] + (
            [received.value] if received.term and received.term.id == "received" else []
        )
        computed = stated if stated in readings else readings[0]
        cell = lambda f: EquationCell(row=f.term.name, column="", value=int(f.value))  # noqa: E731
        facts.append(
            TableBalanceFact(
                table="requests",
                table_label="",
                line="prose",
                line_label="",
                left=[cell(received), cell(carried)],
                right=[cell(closed), cell(carried_on)],
                stated=int(stated),
                computed=int(computed),
                difference=int(stated - computed),
                fix_text=closed.text,
                start=closed.start,
                end=closed.end,
            )
        )
    return facts


def _breakdown_facts(breakdowns: list[Breakdown]) -> list[Fact]:
    facts: list[Fact] = []
    for item in breakdowns:
        whole, parts = item.whole, item.parts
        if whole.approx or any(p.approx for p in parts):
            continue
        run, complete = Decimal(0), False
        for part in parts:  # parallel breakdowns (人大建议1件、政协提案3件，主办1件、会办3件) each add up
            run += part.value
            if run == whole.value and not item.exclusive:  # outcomes of one total are one breakdown
                complete, run = True, Decimal(0)
        settled = (item.exclusive or item.exhaustive) and not item.channels  # categories that cannot overlap
        overlapping = not settled and all(p.value <= whole.value for p in parts)
        last = run if run or not complete else whole.value  # the list under way, else the last complete one
        bounds: list[tuple[Literal["at_most", "at_most_overlapping", "at_least"], Decimal]] = [
            ("at_most_overlapping" if overlapping else "at_most", last - whole.value)
        ]
        if item.exhaustive and not complete:
            bounds.append(("at_least", whole.value - run))
        common: dict[str, Any] = dict(
            whole_text=whole.text,
            whole_context=whole.clause,
            count=len(parts),
            parts=[p.text for p in parts],
            parts_sum=_fmt(sum((p.value for p in parts), Decimal(0))),
            unit=whole.unit,
            start=whole.start,
            end=whole.end,
        )
        facts += [BreakdownFact(relation=relation, excess=_units(excess), **common) for relation, excess in bounds]
    return facts


def prose_values(figures: list[Figure]) -> dict[tuple[str, str, str], set[int]]:
    """What the prose states of single table cells ("行政复议7件" → review/review/total: {7}): the
    evidence that tells which of several suspect cells is the wrong one (facts.table_checks)."""
    stated: dict[tuple[str, str, str], set[int]] = {}
    for figure in figures:
        exact = not (figure.prior or figure.approx or figure.scoped or figure.whole)
        if (
            exact
            and len(figure.readings) == 1
            and len(figure.readings[0]) == 1
            and not figure.readings[0][0][1].endswith("*")
        ):
            stated.setdefault(figure.readings[0][0], set()).add(int(figure.value))
    return stated


def extract(
    read_figures: tuple, regime: str, found: TablesFound | None, tables: TableLexicon, root: Path | None = None
) -> tuple[list[Fact], list[Unavailable]]:
    """``read_figures``: what ``figures.read`` found in the document (figures, breakdowns, paragraphs);
    ``root``: the rules folder whose figure lexicon they were read with."""
    lex = lexicon(root)
    figures, breakdowns, paragraphs = read_figures
    judged = _Tables(found if regime != "ogi2007" else None, tables, lex)  # 2007: no format tables
    missing: set[str] = set()
    facts = (
        _against_tables(figures, judged, missing) + _claims(paragraphs, judged, lex, missing)
        if regime != "ogi2007"
        else []
    )
    facts += _repeats(figures, judged) + _shares(figures, judged, lex) + _breakdown_facts(breakdowns)
    facts += _prose_balance(figures, judged) if regime != "ogi2007" else []
    flattened = found.flattened if found else set()
    return facts, [
        Unavailable(
            fact="prose_table",
            reason="table-unread",
            values={"label": judged.labels[t], "flattened": t in flattened, "prose": True},
        )
        for t in sorted(missing)
    ]
