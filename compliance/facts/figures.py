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
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from decimal import Decimal
from functools import cache
from pathlib import Path

from compliance.models.facts_figures import Breakdown, Figure, FigureLexicon, FigureTerm
from compliance.models.tree import DocumentTree, Paragraph
from compliance.resources import read_model, rules_dir

_DIGITS = "0-9０-９"
# A number: Arabic digits (not glued to letters, a dot or another number before it), or Chinese
# numerals. Written as its first character, then the rest with the look-behinds reaching back over
# that character (".", never a line break here): a pattern that opens with a class is one re skips
# through to the next digit or numeral, where one that opens with a look-behind is tried at every
# position. The number is ``lead`` + ``arabic`` (or + ``chinese``).
_CN_FIRST = "零〇一二两三四五六七八九十"
_CN_ALL = _CN_FIRST + "百千万亿"
_LEAD = f"(?P<lead>[{_DIGITS}{_CN_FIRST}])"
_ARABIC = (
    rf"(?<=[{_DIGITS}])(?<![{_DIGITS}.．A-Za-z第].)(?<![{_DIGITS}][,.．].)"
    rf"(?P<arabic>[{_DIGITS}]*(?:,[{_DIGITS}]{{3}})*(?:[.．][{_DIGITS}]+)?)"
)
_CHINESE = rf"(?<=[{_CN_FIRST}])(?<![第{_CN_ALL}].)(?P<chinese>[{_CN_ALL}]*)"
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
def lexicon(root: Path | None = None) -> FigureLexicon:
    """The figure words of a rules folder (the rulebook's root; the shipped one by default)."""
    return read_model((root or rules_dir()) / "lexicon" / "figures.yaml", FigureLexicon)


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


compiled = cache(re.compile)  # lexicon patterns, compiled once (re's own cache costs more per call)


@cache
def _figure_regex(units: tuple[str, ...], multipliers: tuple[str, ...], approx: str) -> re.Pattern:
    unit = "|".join(sorted(map(re.escape, units), key=len, reverse=True))
    # One \s* before each optional word, never two in a row: \s*(M)?\s*(P)?\s* tries every split
    # of a run of spaces that no unit follows (cubic in its length).
    return re.compile(
        rf"{_LEAD}(?:{_ARABIC}|{_CHINESE})\s*(?:(?P<mult>{'|'.join(multipliers)})\s*)?"
        rf"(?:(?P<approx>{approx})\s*)?(?:(?P<unit>{unit})(?![例款目限所])|(?P<percent>[%％]))"
    )


def _other_year(text: str, year: int) -> bool:
    """Whether the last year ``text`` names is not ``year``."""
    years = _YEAR.findall(text) if "年" in text else []
    return bool(years) and int(years[-1]) != year


def _number_read(match: re.Match) -> tuple[str, bool]:
    """The number of a figure match as written, and whether it is in Arabic digits."""
    lead, arabic = match.group("lead"), match.group("arabic")
    return (lead + arabic, True) if arabic is not None else (lead + match.group("chinese"), False)


def _either(patterns: Iterable[str]) -> re.Pattern:
    """One pattern that matches where any of ``patterns`` does, first to last. Joined bare, not
    each in a group: re skips ahead to the characters that can begin one of them only then."""
    return re.compile("|".join(patterns))


_CONTEXT = re.compile(r"\(\?<?[=!]|[$^]|\\[bBAZ]")  # a look-around or an anchor in a pattern


class _Words:
    """The lexicon's patterns, compiled once: a figure tests a dozen of them, and building or
    looking up a pattern (or the key that caches it) costs more than most searches."""

    def __init__(self, lex: FigureLexicon) -> None:
        self.lex = lex
        self.figure = _figure_regex(
            tuple(lex.count_units + lex.money_units), tuple(lex.multipliers), lex.approximate_after
        )
        self.count_units = frozenset(lex.count_units)
        self.sentence_subject = re.compile(lex.sentence_subject)
        self.approximate_before = re.compile(rf"(?:{lex.approximate_before})\s*$")
        self.prior, self.scope, self.subtotal = compiled(lex.prior), compiled(lex.scope), compiled(lex.subtotal)
        self.each, self.counted_after = compiled(lex.each), compiled(lex.counted_after)
        self.whole_category = compiled(lex.whole_category)
        self.joined = re.compile(rf"[^，。；]{{0,4}}?(?:{lex.conjunction})[^，。；]{{0,2}}")
        self.terms = [
            (
                t,
                compiled(t.pattern),
                compiled(t.exclude) if t.exclude else None,
                compiled(t.requires) if t.requires else None,
            )
            for t in lex.terms
        ]
        self.any_term = _any_term(tuple(t.pattern for t in lex.terms))
        self.default = next(t for t in lex.terms if t.id == lex.applicant_term)  # "自然人申请120件": requests
        self.default_requires = compiled(self.default.requires) if self.default.requires is not None else None
        self.applicants = [(a, compiled(a.pattern)) for a in lex.applicants]
        self.any_applicant = _either(a.pattern for a in lex.applicants)
        self.applicants_all = compiled(lex.applicants_all)
        self.groups = [(g, compiled(g.pattern)) for g in lex.groups]
        self.grouped = {
            t.id for t in lex.terms if t.outcome or any(ref.split("/")[1] == "{group}" for r in t.readings for ref in r)
        }
        self.any_group = _either(g.pattern for g in lex.groups)
        # Words that neither look around nor anchor match in a text wherever they match in a part of it.
        self.groups_local = not any(_CONTEXT.search(g.pattern) for g in lex.groups)
        self.breakdown_open, self.breakdown_sentence = compiled(lex.breakdown_open), compiled(lex.breakdown_sentence)
        self.breakdown_stop = compiled(lex.breakdown_stop)
        self.remainder, self.channels = compiled(lex.remainder), compiled(lex.channels)
        self.partitions = [[compiled(word) for word in words] for words in lex.partitions]


_KEPT = 32  # lexicons whose compiled form is kept (one per rulebook in use)
_WORDS: dict[int, tuple[FigureLexicon, _Words]] = {}


def _words(lex: FigureLexicon) -> _Words:
    """The compiled patterns of ``lex`` (one lexicon per process, in practice)."""
    entry = _WORDS.get(id(lex))
    if entry is None or entry[0] is not lex:
        if len(_WORDS) >= _KEPT:  # lexicons of rulebooks no longer used
            _WORDS.clear()
        entry = _WORDS[id(lex)] = (lex, _Words(lex))
    return entry[1]


def _char_class(chars: set[str]) -> re.Pattern:
    return re.compile("[" + "".join(sorted(map(re.escape, chars))) + "]")


_STOP_CHARS = _char_class(_STOPS)
_LABEL_STOP_CHARS = _char_class(_LABEL_STOPS)
_SEGMENT_END_CHARS = _char_class(_SEGMENT_END)
_BRACKETS = re.compile("[（()）]")


class _Layout:
    """A paragraph read once: the positions of segment (；。) and sentence ends and of brackets, by
    which a position's bracket depth, segment index and sentence start are looked up by bisection
    (a scan of the text per character costs more than all the figures' look-ups). Stops, a sixth
    of the characters, are searched for from a figure instead, within its clause's reach."""

    def __init__(self, paragraph: Paragraph) -> None:
        text = self.text = paragraph.text
        self._reversed = text[::-1]  # the stop before a position is the first one after it here
        self.segment_ends = [m.start() for m in _SEGMENT_END_CHARS.finditer(text)]
        self.sentence_ends = [i for i in self.segment_ends if text[i] in _SENTENCE_END]
        # Bracket depth changes only at brackets: an opening one is deeper than what precedes it, a
        # closing one still at the depth it closes (never below 0). ``_changes[k]`` is where the
        # depth becomes ``_depths[k]``.
        self._changes, self._depths = [0], [0]
        level = 0
        for match in _BRACKETS.finditer(text):
            if match.group() in "（(":
                level += 1
                at = match.start()
            elif level:
                level -= 1
                at = match.end()
            else:
                continue
            if self._changes[-1] == at:
                self._depths[-1] = level
            else:
                self._changes.append(at)
                self._depths.append(level)
        self._lower: list[int] | None = None
        self._pieces, self._ends, self._end = paragraph.pieces, [], paragraph.end
        seen = 0
        for _, piece in paragraph.pieces:  # where each source line ends in the joined text
            seen += len(piece)
            self._ends.append(seen)

    def depth(self, position: int) -> int:
        """The bracket depth at ``position`` (an opening bracket counts in, a closing one too)."""
        return self._depths[bisect_right(self._changes, position) - 1]

    def segment(self, position: int) -> int:
        """The index of the ；/。 segment ``position`` lies in."""
        return bisect_left(self.segment_ends, position)

    def sentence(self, position: int) -> int:
        """Where the sentence ``position`` lies in starts."""
        k = bisect_left(self.sentence_ends, position)
        return self.sentence_ends[k - 1] + 1 if k else 0

    def doc_offset(self, index: int) -> int:
        """``Paragraph.doc_offset(index)`` by bisection."""
        k = bisect_left(self._ends, index)
        if k == len(self._ends):
            return self._end
        start, piece = self._pieces[k]
        return start + index - (self._ends[k] - len(piece))

    def clause_start(self, position: int) -> int:
        """Just after the last label stop before ``position`` (0 if none), or ``_CLAUSE_REACH``
        before it if that is nearer."""
        at = len(self.text) - position
        stop = _LABEL_STOP_CHARS.search(self._reversed, at, at + _CLAUSE_REACH)
        return len(self.text) - stop.start() if stop else max(0, position - _CLAUSE_REACH)

    def clause_end(self, position: int) -> int:
        """The first stop at or after ``position`` (the paragraph's end if none), or
        ``_CLAUSE_REACH`` after it if that is nearer."""
        stop = _STOP_CHARS.search(self.text, position, position + _CLAUSE_REACH)
        return stop.start() if stop else min(len(self.text), position + _CLAUSE_REACH)

    def region_end(self, position: int, sentences: bool) -> int:
        """The first position after ``position`` that lies in another segment (or sentence)."""
        ends = self.sentence_ends if sentences else self.segment_ends
        k = bisect_left(ends, position)
        return ends[k] + 1 if k < len(ends) else len(self.text)

    def shallower(self, position: int, level: int) -> int:
        """The first position from ``position`` on whose bracket depth is below ``level``."""
        if level <= 0:
            return len(self.text)
        if position >= len(self.text):
            return position
        depths = self._depths
        if self._lower is None:  # the next change to a smaller depth, for each change
            stack: list[int] = []
            lower = [len(depths)] * len(depths)
            for k, d in enumerate(depths):
                while stack and depths[stack[-1]] > d:
                    lower[stack.pop()] = k
                stack.append(k)
            self._lower = lower
        k = bisect_right(self._changes, position) - 1
        if depths[k] < level:
            return position
        while k < len(depths) and depths[k] >= level:
            k = self._lower[k]
        return min(self._changes[k], len(self.text)) if k < len(depths) else len(self.text)


def _figures(index: int, layout: _Layout, matches: list[re.Match], words: _Words, year: int | None) -> list[Figure]:
    """The figures of a paragraph: ``matches``, its matches of the figure pattern."""
    text, multipliers = layout.text, words.lex.multipliers
    found: list[Figure] = []
    previous_end = 0
    for match in matches:
        number, arabic = _number_read(match)
        if not arabic and match.group("percent"):
            continue
        value = Decimal(number.translate(_FULL).replace(",", "")) if arabic else Decimal(chinese_value(number))
        if mult := match.group("mult"):
            value *= multipliers[mult]
        start = match.start()
        left, right = layout.clause_start(start), layout.clause_end(match.end())
        label = text[max(left, previous_end) : start]  # the words since the previous figure
        opening = layout.sentence(start)
        upto = text[max(opening, start - REACH) : start]
        # A sentence with no verb of its own continues the one before ("…受理申请859件。予以公开…258件")
        continues = opening and not words.sentence_subject.search(upto)
        before = text[max(layout.sentence(opening - 1), opening - REACH) : opening] if continues else ""
        prior = bool(words.prior.search(label)) or bool(year and _other_year(upto, year))
        figure = Figure(
            value=value,
            unit=match.group("unit") or "%",
            text=match.group(0),
            number=number,
            # doc_offset(i) of a line's first character is the previous line's end: map the next one
            start=layout.doc_offset(start + 1) - 1,
            end=layout.doc_offset(start + len(number)),
            approx=bool(match.group("approx") or words.approximate_before.search(label)),
            label=label,
            between=text[previous_end:start],
            clause=text[left:right],
            sentence=upto,
            context=before + upto,
            depth=layout.depth(start),
            segment=layout.segment(start),
            paragraph=index,
            pos=start,
            prior=prior,
            scoped=bool(words.scope.search(label)),
            subtotal=bool(words.subtotal.search(label)),
        )
        after = text[match.end() : right]
        if figure.unit in words.count_units and not words.each.search(label) and not words.counted_after.match(after):
            _name(figure, label, after, words)
        found.append(figure)
        previous_end = match.end()
    return found


@cache
def _any_term(patterns: tuple[str, ...]) -> re.Pattern | None:
    """One pattern for every term's words: most texts name none, and one scan says so."""
    if any(re.search(r"\\[1-9]|\(\?P=", p) for p in patterns):  # back-references do not combine
        return None
    return _either(patterns)


def _term_matches(text: str, context: str, words: _Words) -> list[tuple[int, int, FigureTerm]]:
    if words.any_term is not None and not words.any_term.search(text):
        return []
    found = []
    # the terms whose words are in ``text`` first: a clause names one or two of them
    for term, pattern, exclude, requires in [entry for entry in words.terms if entry[1].search(text)]:
        if (exclude and exclude.search(text)) or (requires and not requires.search(context)):
            continue
        *_, last = pattern.finditer(text)  # the term's last words in the text
        found.append((last.start(), last.end(), term))
    if len(found) < 2:
        return found
    # A word inside a longer term's word is that term's (处理 in 不予处理, 复议 in 复议后起诉).
    return sorted(
        (f for f in found if not any(o[0] <= f[0] and f[1] <= o[1] and o[1] - o[0] > f[1] - f[0] for o in found)),
        key=lambda f: f[0],
    )


def _name(figure: Figure, label: str, after: str, words: _Words) -> None:
    """The table quantity the clause names: its term(s), readings and key."""
    matches = _term_matches(label, figure.context, words) or _term_matches(after, figure.context, words)
    default = words.default  # "自然人申请120件": requests
    if (
        not matches
        and words.any_applicant.search(label)
        and words.default_requires is not None
        and words.default_requires.search(label)
    ):
        matches = [(0, 0, default)]
    if not matches:
        return
    ids = {m[2].id for m in matches}
    # "因不掌握信息无法提供": the item or its category; "因不掌握等原因无法提供": the category alone
    alternatives = [
        m[2]
        for m in matches
        if m[2].item_of in ids
        and not any(p[2].id == m[2].item_of and words.whole_category.search(label[m[1] : p[0]]) for p in matches)
    ]
    matches = [m for m in matches if m[2].item_of not in ids]
    if not matches:
        return
    # "予以公开和部分公开合计85件": categories joined are summed ("受理、办结…142件": verbs are not)
    joined = (
        len(matches) > 1
        and all(m[2].exclusive for m in matches)
        and all(words.joined.fullmatch(label[a[1] : b[0]]) for a, b in itertools.pairwise(matches))
    )
    terms = [m[2] for m in matches] if joined else [matches[-1][2]]
    # "收到并处理…申请56件", "行政复议结果维持2件": the nearest word names it, the others may too
    alternatives += [] if joined else [m[2] for m in matches[:-1]]
    # one applicant kind named, and not all of them: its column(s)
    named = [(a, m) for a, pattern in words.applicants if (m := pattern.search(label))]
    applicant, applicant_words = (None, None)
    if len(named) == 1 and not words.applicants_all.search(_last_clause(figure.sentence)):
        applicant, applicant_words = named[0]
    columns = applicant.columns if applicant else ["total"]
    # the 复议/诉讼 groups, of the terms whose readings take them
    grouped = any(t.id in words.grouped for t in terms + alternatives)
    groups = (_groups_named(figure.sentence, words, every=False) or [[]])[0] if grouped else []
    if any(t.outcome for t in terms) and not groups:
        return  # 维持/纠正 outside a 复议/诉讼 sentence names nothing we can compare
    cells = lambda term: [[c for ref in r for c in expand(ref, columns, groups)] for r in term.readings]  # noqa: E731
    if joined:
        figure.readings = [[cell for term in terms for cell in cells(term)[0]]]
    else:
        figure.readings = [r for r in cells(terms[0]) + [r for t in alternatives for r in cells(t)] if r]
    figure.term, figure.terms, figure.ambiguous = terms[0], tuple(t.id for t in terms), bool(alternatives)
    figure.names = tuple(t.name for t in terms)
    figure.applicant = applicant_words.group(0) if applicant_words else ""
    figure.exclusive = all(t.exclusive for t in terms) or columns != ["total"]
    figure.key = "+".join(figure.terms) + "|" + ",".join(columns) + "|" + ",".join(groups if terms[0].outcome else [])


def _last_clause(text: str) -> str:
    """``text`` after its last ，/；/。 (all of it if none)."""
    return text[max(map(text.rfind, "，,；;。")) + 1 :]


def groups_named(text: str, lex: FigureLexicon, every: bool = False) -> list[list[str]]:
    """Table-四 groups of each 复议/诉讼 word in ``text`` (``every``) or of the last one."""
    return _groups_named(text, _words(lex), every)


def may_name_groups(text: str, lex: FigureLexicon) -> bool:
    """Whether a part of ``text`` may name a 复议/诉讼 group (``groups_named``): not if no group's
    words are in it and they are words that match wherever they match in a part of it."""
    words = _words(lex)
    return not words.groups_local or words.any_group.search(text) is not None


def _groups_named(text: str, words: _Words, every: bool) -> list[list[str]]:
    found = [w.group(0) for w in words.any_group.finditer(text)]
    return [
        next(g.groups for g, pattern in words.groups if pattern.fullmatch(w)) for w in (found if every else found[-1:])
    ]


def expand(ref: str, columns: list[str], groups: list[str]) -> list[tuple[str, str, str]]:
    table, row, column = ref.split("/")
    rows = groups if row == "{group}" else [row]
    return [(table, r, c) for r in rows for c in (columns if column == "{column}" else [column])]


def _breakdowns(layout: _Layout, figures: list[Figure], words: _Words) -> list[Breakdown]:
    """Each "其中"/"（含" and each "从…看" sentence: the whole before it and the parts after it."""
    text = layout.text
    counts = [f for f in figures if f.unit != "%" and not f.prior]
    positions = [f.pos for f in counts]
    openers = [(m.start(), m.end()) for m in words.breakdown_open.finditer(text)]
    opens_sentence = words.breakdown_sentence
    openers += [
        (s, s)
        for s in sorted({0, *(e + 1 for e in layout.sentence_ends)} - {len(text)})
        if opens_sentence.match(text[s : s + REACH].lstrip())
    ]
    found: list[Breakdown] = []
    for start, end in sorted(openers):
        level = layout.depth(max(start, end - 1))
        limit = start if start == end else end  # a sentence opener runs to its sentence's end
        # the first position outside the opener's segment (sentence), bracket level or reach, or
        # where a stop word ("另有") begins
        stop = words.breakdown_stop.search(text, limit)
        limit = min(
            layout.region_end(start, sentences=start == end),
            layout.shallower(limit, level),
            stop.start() if stop else len(text),
            limit + _SPAN,
            len(text),
        )
        first, after = bisect_left(positions, start), bisect_left(positions, end)
        segment = layout.segment(start)
        parts = [f for f in counts[after : bisect_left(positions, limit)] if f.depth == level and f.whole is None]
        inside = next(
            (
                f
                for f in reversed(counts[max(0, first - _LOOKBACK) : first])
                if f.segment == segment and f.depth <= level
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
            found += _breakdown(whole, parts, words)
    return found


def _breakdown(whole: Figure, parts: list[Figure], words: _Words) -> list[Breakdown]:
    """The breakdown, and one for each subtotal among its parts (合计 of the parts before it)."""
    found: list[Breakdown] = []
    outer: list[Figure] = []
    run: list[Figure] = []
    for part in parts:
        if part.subtotal and len(run) >= 2:
            found.append(_flags(part, run, words, exhaustive=True))
            outer, run = outer[: len(outer) - len(run)], []
        else:
            run.append(part)
        outer.append(part)
    return [_flags(whole, outer, words)] + found


_OPENING = re.compile(r"^(其中|包括|含)?[，,、：:\s]*")


def _flags(whole: Figure, parts: list[Figure], words: _Words, exhaustive: bool = False) -> Breakdown:
    for part in parts:
        part.whole = whole
        if part.term is None and whole.term and words.any_applicant.search(part.label):
            _name(part, whole.label + part.label, "", words)  # "其中自然人120件": the whole's row, this column
    named = [p for p in parts if p.term]
    remainder = [p for p in parts if words.remainder.match(_OPENING.sub("", p.label))]
    # Parts that together are every kind there is (主动公开 + 依申请公开 + 不予公开 of all 政府信息)
    partition = any(all(any(word.search(p.label) for p in parts) for word in kinds) for kinds in words.partitions)
    return Breakdown(
        whole,
        parts,
        exhaustive=exhaustive or bool(remainder) or partition,
        exclusive=len(named) >= 2 and all(p.exclusive for p in named),
        channels=sum(bool(words.channels.search(p.label)) for p in parts) >= 2,
    )


def read(
    tree: DocumentTree, year: int | None, root: Path | None = None
) -> tuple[list[Figure], list[Breakdown], list[Paragraph]]:
    """The figures and breakdowns of every paragraph, and the paragraphs (for claims); the words
    of ``root``'s figure lexicon."""
    words = _words(lexicon(root))
    figures: list[Figure] = []
    breakdowns: list[Breakdown] = []
    paragraphs = [n for n in tree.walk() if n.kind == "paragraph"]
    for index, paragraph in enumerate(paragraphs):
        matches = list(words.figure.finditer(paragraph.text))
        if not matches:
            continue  # no figure, no breakdown: its layout is not needed
        layout = _Layout(paragraph)
        found = _figures(index, layout, matches, words, year)
        figures += found
        breakdowns += _breakdowns(layout, found, words)
    return figures, breakdowns, paragraphs
