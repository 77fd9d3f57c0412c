"""Stage 4: figures stated in prose — ``read(tree, year)`` → figures, breakdowns, paragraphs.

Every count, amount and percentage of the paragraphs (table rows are not prose), with the clause
that names it, the table quantity that clause names (``rules/lexicon/figures.yaml``) and the "其中"
breakdowns (a whole and its parts). The number regexes live here, the words in the lexicon.
Offsets are into the normalised text; ``figure_checks`` judges what is read here."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from compliance.models.facts_figures import Breakdown, Figure, FigureLexicon, FigureTerm
from compliance.models.tree import DocumentTree, Paragraph
from compliance.resources import read_model, rules_dir

_DIGITS = "0-9０-９"
_ARABIC = rf"(?<![{_DIGITS}.．A-Za-z第])(?<![{_DIGITS}][,.．])[{_DIGITS}]+(?:,[{_DIGITS}]{{3}})*(?:[.．][{_DIGITS}]+)?"
_CHINESE = "(?<![第零〇一二两三四五六七八九十百千万亿])[零〇一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]*"
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_STOPS = set("，,、；;。：:！？!?（()）“”\"《》")
_LABEL_STOPS = _STOPS - {"、"}  # "予以公开、部分公开258件" is one label (a figure between ends it too)
_SEGMENT_END = set("；;。！？!?")
_SENTENCE_END = set("。！？!?")
_YEAR = re.compile(r"([12][0-9]{3})\s*年(?!度报告)")
_FULL = str.maketrans("０１２３４５６７８９．", "0123456789.")


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
    return re.compile(
        rf"(?:(?P<arabic>{_ARABIC})|(?P<chinese>{_CHINESE}))\s*(?P<mult>{'|'.join(multipliers)})?\s*"
        rf"(?P<approx>{approx})?\s*(?:(?P<unit>{unit})(?![例款目限所])|(?P<percent>[%％]))"
    )


def _layout(text: str) -> tuple[list[int], list[int], list[int]]:
    """Per character: bracket depth, segment index (；。) and sentence start."""
    depth, segment, sentence = [], [], []
    level = seg = start = 0
    for i, char in enumerate(text):
        level += char in "（("
        depth.append(level)
        segment.append(seg)
        sentence.append(start)
        level = max(0, level - (char in "）)"))
        seg += char in _SEGMENT_END
        start = i + 1 if char in _SENTENCE_END else start
    return depth, segment, sentence


def _figures(paragraph: Paragraph, index: int, layout, lex: FigureLexicon, year: int | None) -> list[Figure]:
    text = paragraph.text
    depth, segment, sentence = layout
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
        left = max(text.rfind(c, 0, start) for c in _LABEL_STOPS) + 1
        right = min([i for i in (text.find(c, match.end()) for c in _STOPS) if i >= 0] or [len(text)])
        label = text[max(left, previous_end) : start]  # the words since the previous figure
        upto = text[sentence[start] : start]
        # A sentence with no verb of its own continues the one before ("…受理申请859件。予以公开…258件")
        continues = not _rx(lex.sentence_subject).search(upto)
        before = text[sentence[sentence[start] - 1] : sentence[start]] if sentence[start] and continues else ""
        years = _YEAR.findall(upto)
        figure = Figure(
            value=value, unit=match.group("unit") or "%", text=match.group(0), number=number,
            # doc_offset(i) of a line's first character is the previous line's end: map the next one
            start=paragraph.doc_offset(start + 1) - 1, end=paragraph.doc_offset(start + len(number)),
            approx=bool(match.group("approx") or _rx(rf"(?:{lex.approximate_before})\s*$").search(label)),
            label=label, between=text[previous_end:start], clause=text[left:right], sentence=upto, context=before + upto,
            depth=depth[start], segment=segment[start], paragraph=index, pos=start,
            prior=bool(_rx(lex.prior).search(label)) or bool(year and years and int(years[-1]) != year),
            scoped=bool(_rx(lex.scope).search(label)),
            subtotal=bool(_rx(lex.subtotal).search(label)),
        )
        after = text[match.end() : right]
        if figure.unit in lex.count_units and not _rx(lex.each).search(label) and not _rx(lex.counted_after).match(after):
            _name(figure, label or "", after, lex)
        found.append(figure)
        previous_end = match.end()
    return found


def _term_matches(text: str, context: str, lex: FigureLexicon) -> list[tuple[int, int, FigureTerm]]:
    found = []
    for term in lex.terms:
        if (term.exclude and _rx(term.exclude).search(text)) or (term.requires and not _rx(term.requires).search(context)):
            continue
        matches = list(_rx(term.pattern).finditer(text))
        if matches:
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
    if not matches and any(re.search(a.pattern, label) for a in lex.applicants) and re.search(default.requires, label):
        matches = [(0, 0, default)]
    ids = {m[2].id for m in matches}
    # "因不掌握信息无法提供": the item or its category; "因不掌握等原因无法提供": the category alone
    alternatives = [
        m[2] for m in matches if m[2].item_of in ids
        and not any(p[2].id == m[2].item_of and _rx(lex.whole_category).search(label[m[1] : p[0]]) for p in matches)
    ]
    matches = [m for m in matches if m[2].item_of not in ids]
    if not matches:
        return
    # "予以公开和部分公开合计85件": categories joined are summed ("受理、办结…142件": verbs are not)
    joined = len(matches) > 1 and all(m[2].exclusive for m in matches) and all(
        re.fullmatch(rf"[^，。；]{{0,4}}?(?:{lex.conjunction})[^，。；]{{0,2}}", label[a[1] : b[0]])
        for a, b in zip(matches, matches[1:])
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
    figure.quantity = "和".join(t.name for t in terms) + (f"（{re.search(applicant.pattern, label).group(0)}）" if applicant else "")
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


def _breakdowns(text: str, figures: list[Figure], layout, lex: FigureLexicon) -> list[Breakdown]:
    """Each "其中"/"（含" and each "从…看" sentence: the whole before it and the parts after it."""
    depth, segment, sentence = layout
    counts = [f for f in figures if f.unit != "%" and not f.prior]
    openers = [(m.start(), m.end()) for m in re.finditer(lex.breakdown_open, text)]
    openers += [(s, s) for s in sorted(set(sentence)) if re.match(lex.breakdown_sentence, text[s:].lstrip())]
    found: list[Breakdown] = []
    for start, end in sorted(openers):
        level = depth[max(start, end - 1)]
        limit = start if start == end else end  # a sentence opener runs to its sentence's end
        stop = re.compile(lex.breakdown_stop)
        while limit < len(text) and depth[limit] >= level and not stop.match(text, limit):
            if (segment if start != end else sentence)[limit] != (segment if start != end else sentence)[start]:
                break
            limit += 1
        parts = [f for f in counts if end <= f.pos < limit and f.depth == level and f.whole is None]
        inside = [f for f in counts if f.pos < start and f.segment == segment[start] and f.depth <= level]
        earlier = [f for f in counts if f.pos < start and f.whole is None and parts and f.unit == parts[0].unit]
        whole = (inside or earlier or [None])[-1]
        parts = [p for p in parts if whole and p.unit == whole.unit and p is not whole]
        if whole and parts:
            found += _breakdown(whole, parts, lex)
    return found


def _breakdown(whole: Figure, parts: list[Figure], lex: FigureLexicon) -> list[Breakdown]:
    """The breakdown, and one for each subtotal among its parts (合计 of the parts before it)."""
    found, outer, run = [], [], []
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
        whole, parts, exhaustive=exhaustive or bool(remainder) or partition,
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
        layout = _layout(paragraph.text)
        found = _figures(paragraph, index, layout, lex, year)
        figures += found
        breakdowns += _breakdowns(paragraph.text, found, layout, lex)
    return figures, breakdowns, paragraphs
