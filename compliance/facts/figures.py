"""Stage 4: figures stated in prose — ``read(tree, year)`` → figures, breakdowns, paragraphs.

Every count, amount and percentage of the paragraphs (table rows are not prose), with the clause
that names it, the table quantity that clause names (``rules/lexicon/figures.yaml``) and the "其中"
breakdowns (a whole and its parts). The number regexes live here, the words in the lexicon.
Offsets are into the normalised text; ``figure_checks`` judges what is read here.

Linear in the length of a paragraph: stops, sentence ends and paragraph offsets are looked up by
bisection, and what a figure reads is bounded: the sentence up to it reaches back at most
``REACH`` characters, its clause ``_CLAUSE_REACH`` either side (in the real reports of the tests
the longest sentence up to a figure has under 300 characters, the longest clause under 120; text
longer than that without punctuation is no sentence, and its far words name nothing). A
breakdown's parts lie within ``_SPAN`` characters of its opener, its whole among the
``_LOOKBACK`` count figures before it."""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left
from decimal import Decimal
from functools import cache

from compliance.models.facts_figures import Breakdown, Figure, FigureLexicon, FigureTerm
from compliance.models.tree import DocumentTree, Paragraph
from compliance.resources import read_model, rules_dir

_DIGITS = "0-9０-９"
_ARABIC = rf"(?<![{_DIGITS}.．A-Za-z第])(?<![{_DIGITS}][,.．])[{_DIGITS}]+(?:,[{_DIGITS}]{{3}})*(?:[.．][{_DIGITS}]+)?"
_CHINESE = (
    "(?<![第零〇一二两三四五六七八九十百千万亿])[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]*"
)
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_STOPS = set('，,、；;。：:！？!?（()）“”"《》')
_LABEL_STOPS = _STOPS - {"、"}  # "予以公开、部分公开258件" is one label (a figure between ends it too)
_SEGMENT_END = set("；;。！？!?")
_SENTENCE_END = set("。！？!?")
_YEAR = re.compile(r"([12][0-9]{3})\s*年(?!度报告)")
_FULL = str.maketrans("０１２３４５６７８９．", "0123456789.")
REACH = 600  # characters: how far back the sentence a figure reads reaches
_CLAUSE_REACH = 300  # characters: how far its clause reaches either side
_SPAN = 2000  # characters: how far a breakdown's parts reach after its opener
_LOOKBACK = 200  # count figures: how far back a breakdown looks for its whole


@cache
def lexicon() -> FigureLexicon:
    return read_model(rules_dir() / "lexicon" / "figures.yaml", FigureLexicon)


def chinese_value(text: str) -> int:
    if all(c in _CN_DIGITS for c in text):  # digit by digit: 一二三
        return int("".join(str(_CN_DIGITS[c]) for c in text))
    total = section = number = 0
    for char in text:
        if char in _CN_DIGITS:
            number = _CN_DIGITS[char]
        elif char in _CN_UNITS:
            section += (number or 1) * _CN_UNITS[char]
            number = 0
        else:  # 万 / 亿
            total = (total + section + number) * (10000 if char == "万" else 100000000)
            section = number = 0
    return total + section + number


_rx = cache(re.compile)  # lexicon patterns, compiled once (re's own cache costs more per call)


@cache
def _figure_regex(units: tuple[str, ...], multipliers: tuple[str, ...], approx: str) -> re.Pattern:
    unit = "|".join(sorted(map(re.escape, units), key=len, reverse=True))
    # One \s* before each optional word, never two in a row: \s*(M)?\s*(P)?\s* tries every split
    # of a run of spaces that no unit follows (cubic in its length).
    return re.compile(
        rf"(?:(?P<arabic>{_ARABIC})|(?P<chinese>{_CHINESE}))\s*(?:(?P<mult>{'|'.join(multipliers)})\s*)?"
        rf"(?:(?P<approx>{approx})\s*)?(?:(?P<unit>{unit})(?![例款目限所])|(?P<percent>[%％]))"
    )


class _Layout:
    """A paragraph read once: per character its bracket depth, segment index (；。) and sentence
    start; the positions of stops and of segment and sentence ends, looked up by bisection."""

    def __init__(self, paragraph: Paragraph) -> None:
        text = self.text = paragraph.text
        self.depth: list[int] = []
        self.segment: list[int] = []
        self.sentence: list[int] = []
        depth, segment, sentence = self.depth, self.segment, self.sentence
        level = seg = start = 0
        for i, char in enumerate(text):
            level += char in "（("
            depth.append(level)
            segment.append(seg)
            sentence.append(start)
            level = max(0, level - (char in "）)"))
            seg += char in _SEGMENT_END
            start = i + 1 if char in _SENTENCE_END else start
        self.label_stops = [i for i, c in enumerate(text) if c in _LABEL_STOPS]
        self.stops = [i for i, c in enumerate(text) if c in _STOPS]
        self.segment_ends = [i for i, c in enumerate(text) if c in _SEGMENT_END]
        self.sentence_ends = [i for i, c in enumerate(text) if c in _SENTENCE_END]
        self._lower: list[int] | None = None
        self._pieces, self._ends, self._end = paragraph.pieces, [], paragraph.end
        seen = 0
        for _, piece in paragraph.pieces:  # where each source line ends in the joined text
            seen += len(piece)
            self._ends.append(seen)

    def doc_offset(self, index: int) -> int:
        """``Paragraph.doc_offset(index)`` by bisection."""
        k = bisect_left(self._ends, index)
        if k == len(self._ends):
            return self._end
        start, piece = self._pieces[k]
        return start + index - (self._ends[k] - len(piece))

    def label_start(self, position: int) -> int:
        """Just after the last label stop before ``position`` (0 if none)."""
        k = bisect_left(self.label_stops, position)
        return self.label_stops[k - 1] + 1 if k else 0

    def stop_after(self, position: int) -> int:
        """The first stop at or after ``position`` (the paragraph's end if none)."""
        k = bisect_left(self.stops, position)
        return self.stops[k] if k < len(self.stops) else len(self.text)

    def region_end(self, position: int, sentences: bool) -> int:
        """The first position after ``position`` that lies in another segment (or sentence)."""
        ends = self.sentence_ends if sentences else self.segment_ends
        k = bisect_left(ends, position)
        return ends[k] + 1 if k < len(ends) else len(self.text)

    def shallower(self, position: int, level: int) -> int:
        """The first position from ``position`` on whose bracket depth is below ``level``."""
        if level <= 0:
            return len(self.text)
        if self._lower is None:  # the next position of smaller depth, for each position
            stack: list[int] = []
            depth, lower = self.depth, [len(self.text)] * len(self.text)
            for i, d in enumerate(depth):
                while stack and depth[stack[-1]] > d:
                    lower[stack.pop()] = i
                stack.append(i)
            self._lower = lower
        while position < len(self.text) and self.depth[position] >= level:
            position = self._lower[position]
        return position


def _figures(index: int, layout: _Layout, lex: FigureLexicon, year: int | None) -> list[Figure]:
    text = layout.text
    depth, segment, sentence = layout.depth, layout.segment, layout.sentence
    regex = _figure_regex(tuple(lex.count_units + lex.money_units), tuple(lex.multipliers), lex.approximate_after)
    found: list[Figure] = []
    previous_end = 0
    for match in regex.finditer(text):
        arabic, chinese = match.group("arabic"), match.group("chinese")
        if chinese and match.group("percent"):
            continue
        number = arabic or chinese
        value = Decimal(arabic.translate(_FULL).replace(",", "")) if arabic else Decimal(chinese_value(chinese))
        value *= lex.multipliers.get(match.group("mult") or "", 1)
        start = match.start()
        left = max(layout.label_start(start), start - _CLAUSE_REACH)
        right = min(layout.stop_after(match.end()), match.end() + _CLAUSE_REACH)
        label = text[max(left, previous_end) : start]  # the words since the previous figure
        opening = sentence[start]
        upto = text[max(opening, start - REACH) : start]
        # A sentence with no verb of its own continues the one before ("…受理申请859件。予以公开…258件")
        continues = not _rx(lex.sentence_subject).search(upto)
        before = text[max(sentence[opening - 1], opening - REACH) : opening] if opening and continues else ""
        years = _YEAR.findall(upto)
        figure = Figure(
            value=value,
            unit=match.group("unit") or "%",
            text=match.group(0),
            number=number,
            # doc_offset(i) of a line's first character is the previous line's end: map the next one
            start=layout.doc_offset(start + 1) - 1,
            end=layout.doc_offset(start + len(number)),
            approx=bool(match.group("approx") or _rx(rf"(?:{lex.approximate_before})\s*$").search(label)),
            label=label,
            between=text[previous_end:start],
            clause=text[left:right],
            sentence=upto,
            context=before + upto,
            depth=depth[start],
            segment=segment[start],
            paragraph=index,
            pos=start,
            prior=bool(_rx(lex.prior).search(label)) or bool(year and years and int(years[-1]) != year),
            scoped=bool(_rx(lex.scope).search(label)),
            subtotal=bool(_rx(lex.subtotal).search(label)),
        )
        after = text[match.end() : right]
        if (
            figure.unit in lex.count_units
            and not _rx(lex.each).search(label)
            and not _rx(lex.counted_after).match(after)
        ):
            _name(figure, label or "", after, lex)
        found.append(figure)
        previous_end = match.end()
    return found


@cache
def _any_term(patterns: tuple[str, ...]) -> re.Pattern | None:
    """One pattern for every term's words: most texts name none, and one scan says so."""
    if any(re.search(r"\\[1-9]|\(\?P=", p) for p in patterns):  # back-references do not combine
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def _term_matches(text: str, context: str, lex: FigureLexicon) -> list[tuple[int, int, FigureTerm]]:
    named = _any_term(tuple(t.pattern for t in lex.terms))
    if named is not None and not named.search(text):
        return []
    found = []
    for term in lex.terms:
        matches = list(_rx(term.pattern).finditer(text))
        if not matches or (term.exclude and _rx(term.exclude).search(text)):
            continue
        if not term.requires or _rx(term.requires).search(context):
            found.append((matches[-1].start(), matches[-1].end(), term))
    # A word inside a longer term's word is that term's (处理 in 不予处理, 复议 in 复议后起诉).
    return sorted(
        (f for f in found if not any(o[0] <= f[0] and f[1] <= o[1] and o[1] - o[0] > f[1] - f[0] for o in found)),
        key=lambda f: f[0],
    )


def _name(figure: Figure, label: str, after: str, lex: FigureLexicon) -> None:
    """The table quantity the clause names: its term(s), readings and key."""
    matches = _term_matches(label, figure.context, lex) or _term_matches(after, figure.context, lex)
    default = next(t for t in lex.terms if t.id == lex.applicant_term)  # "自然人申请120件": requests
    if (
        not matches
        and any(re.search(a.pattern, label) for a in lex.applicants)
        and default.requires is not None
        and re.search(default.requires, label)
    ):
        matches = [(0, 0, default)]
    ids = {m[2].id for m in matches}
    # "因不掌握信息无法提供": the item or its category; "因不掌握等原因无法提供": the category alone
    alternatives = [
        m[2]
        for m in matches
        if m[2].item_of in ids
        and not any(p[2].id == m[2].item_of and _rx(lex.whole_category).search(label[m[1] : p[0]]) for p in matches)
    ]
    matches = [m for m in matches if m[2].item_of not in ids]
    if not matches:
        return
    # "予以公开和部分公开合计85件": categories joined are summed ("受理、办结…142件": verbs are not)
    joined = (
        len(matches) > 1
        and all(m[2].exclusive for m in matches)
        and all(
            re.fullmatch(rf"[^，。；]{{0,4}}?(?:{lex.conjunction})[^，。；]{{0,2}}", label[a[1] : b[0]])
            for a, b in itertools.pairwise(matches)
        )
    )
    terms = [m[2] for m in matches] if joined else [matches[-1][2]]
    # "收到并处理…申请56件", "行政复议结果维持2件": the nearest word names it, the others may too
    alternatives += [] if joined else [m[2] for m in matches[:-1]]
    named = [a for a in lex.applicants if re.search(a.pattern, label)]
    generic = re.search(lex.applicants_all, re.split("[，,；;。]", figure.sentence)[-1])
    applicant = named[0] if len(named) == 1 and not generic else None
    columns = applicant.columns if applicant else ["total"]
    groups = (groups_named(figure.sentence, lex) or [[]])[0]
    if any(t.outcome for t in terms) and not groups:
        return  # 维持/纠正 outside a 复议/诉讼 sentence names nothing we can compare
    cells = lambda term: [[c for ref in r for c in expand(ref, columns, groups)] for r in term.readings]  # noqa: E731
    if joined:
        figure.readings = [[cell for term in terms for cell in cells(term)[0]]]
    else:
        figure.readings = [r for r in cells(terms[0]) + [r for t in alternatives for r in cells(t)] if r]
    figure.term, figure.terms, figure.ambiguous = terms[0], tuple(t.id for t in terms), bool(alternatives)
    figure.names = tuple(t.name for t in terms)
    figure.applicant = found.group(0) if applicant and (found := re.search(applicant.pattern, label)) else ""
    figure.exclusive = all(t.exclusive for t in terms) or columns != ["total"]
    figure.key = "+".join(figure.terms) + "|" + ",".join(columns) + "|" + ",".join(groups if terms[0].outcome else [])


def groups_named(text: str, lex: FigureLexicon, every: bool = False) -> list[list[str]]:
    """Table-四 groups of each 复议/诉讼 word in ``text`` (``every``) or of the last one."""
    words = list(re.finditer("|".join(f"(?:{g.pattern})" for g in lex.groups), text))
    named = [next(g.groups for g in lex.groups if re.fullmatch(g.pattern, w.group(0))) for w in words]
    return named if every else named[-1:]


def expand(ref: str, columns: list[str], groups: list[str]) -> list[tuple[str, str, str]]:
    table, row, column = ref.split("/")
    rows = groups if row == "{group}" else [row]
    return [(table, r, c) for r in rows for c in (columns if column == "{column}" else [column])]


def _breakdowns(layout: _Layout, figures: list[Figure], lex: FigureLexicon) -> list[Breakdown]:
    """Each "其中"/"（含" and each "从…看" sentence: the whole before it and the parts after it."""
    text, depth, segment = layout.text, layout.depth, layout.segment
    counts = [f for f in figures if f.unit != "%" and not f.prior]
    positions = [f.pos for f in counts]
    openers = [(m.start(), m.end()) for m in re.finditer(lex.breakdown_open, text)]
    opens_sentence = _rx(lex.breakdown_sentence)
    openers += [
        (s, s)
        for s in sorted({0, *(e + 1 for e in layout.sentence_ends)} - {len(text)})
        if opens_sentence.match(text[s : s + REACH].lstrip())
    ]
    stops = [m.start() for m in re.finditer(f"(?=(?:{lex.breakdown_stop}))", text)] if openers else []
    found: list[Breakdown] = []
    for start, end in sorted(openers):
        level = depth[max(start, end - 1)]
        limit = start if start == end else end  # a sentence opener runs to its sentence's end
        # the first position outside the opener's segment (sentence), bracket level or reach, or
        # where a stop word ("另有") begins
        k = bisect_left(stops, limit)
        limit = min(
            layout.region_end(start, sentences=start == end),
            layout.shallower(limit, level),
            stops[k] if k < len(stops) else len(text),
            limit + _SPAN,
            len(text),
        )
        first, after = bisect_left(positions, start), bisect_left(positions, end)
        parts = [f for f in counts[after : bisect_left(positions, limit)] if f.depth == level and f.whole is None]
        inside = next(
            (
                f
                for f in reversed(counts[max(0, first - _LOOKBACK) : first])
                if f.segment == segment[start] and f.depth <= level
            ),
            None,
        )
        earlier = next(
            (
                f
                for f in reversed(counts[max(0, first - _LOOKBACK) : first])
                if f.whole is None and parts and f.unit == parts[0].unit
            ),
            None,
        )
        whole = inside or earlier
        parts = [p for p in parts if whole and p.unit == whole.unit and p is not whole]
        if whole and parts:
            found += _breakdown(whole, parts, lex)
    return found


def _breakdown(whole: Figure, parts: list[Figure], lex: FigureLexicon) -> list[Breakdown]:
    """The breakdown, and one for each subtotal among its parts (合计 of the parts before it)."""
    found: list[Breakdown] = []
    outer: list[Figure] = []
    run: list[Figure] = []
    for part in parts:
        if part.subtotal and len(run) >= 2:
            found.append(_flags(part, run, lex, exhaustive=True))
            outer, run = outer[: len(outer) - len(run)], []
        else:
            run.append(part)
        outer.append(part)
    return [_flags(whole, outer, lex)] + found


def _flags(whole: Figure, parts: list[Figure], lex: FigureLexicon, exhaustive: bool = False) -> Breakdown:
    for part in parts:
        part.whole = whole
        if part.term is None and whole.term and any(re.search(a.pattern, part.label) for a in lex.applicants):
            _name(part, whole.label + part.label, "", lex)  # "其中自然人120件": the whole's row, this column
    named = [p for p in parts if p.term]
    remainder = [p for p in parts if re.match(lex.remainder, re.sub(r"^(其中|包括|含)?[，,、：:\s]*", "", p.label))]
    # Parts that together are every kind there is (主动公开 + 依申请公开 + 不予公开 of all 政府信息)
    partition = any(all(any(re.search(word, p.label) for p in parts) for word in words) for words in lex.partitions)
    return Breakdown(
        whole,
        parts,
        exhaustive=exhaustive or bool(remainder) or partition,
        exclusive=len(named) >= 2 and all(p.exclusive for p in named),
        channels=sum(bool(re.search(lex.channels, p.label)) for p in parts) >= 2,
    )


def read(tree: DocumentTree, year: int | None) -> tuple[list[Figure], list[Breakdown], list[Paragraph]]:
    """The figures and breakdowns of every paragraph, and the paragraphs (for claims)."""
    lex = lexicon()
    figures: list[Figure] = []
    breakdowns: list[Breakdown] = []
    paragraphs = [n for n in tree.walk() if n.kind == "paragraph"]
    for index, paragraph in enumerate(paragraphs):
        layout = _Layout(paragraph)
        found = _figures(index, layout, lex, year)
        figures += found
        breakdowns += _breakdowns(layout, found, lex)
    return figures, breakdowns, paragraphs
