"""Stage 4: the marks of the punctuation lexicon on each line → punctuation facts: the marks
whose context calls for another form (GB/T 15834-2011: a half-width mark in Chinese text calls for
its full-width form), counted; STYLE-PUNCT judges a count above 0.

A mark calls for its full-width form when it belongs to Chinese text: ``, ; : ? !`` with a Chinese character or a
full-width mark on either side; "(" and ")" as a pair that touches or encloses Chinese; "." only
after a Chinese character or closing mark and before no letter, digit or dot. So 1,234 / 12.5 /
3:00 / 2021.1.1 / 1.属于 / www.x.gov.cn / English text are left alone. Straight quotes count as
pairs on one line that touch or enclose Chinese (single ones only around Chinese: apostrophes
pair by accident; an unpaired quote is left: which side it stands for cannot be told); 「」『』
always (a mainland text quotes with “” and ‘’); "<" and ">" inside 《》, a title inside a title (〈〉).
Any other mark of the lexicon (in a number, in English) is right as it is: a line with only such
marks is one fact with a count of 0.

Tables, heading ordinals, 发文字号 brackets, addresses and residue lines are not looked at: other
rules judge them. One fact per line, from its first mark to fix to its last, its replacement the
original span with every mark fixed: a draft typed with a half-width keyboard has such marks on
every line, and one finding per mark would bury the report. An edit is one span and of two
overlapping edits a round of ``fix`` applies one, so a line's span is cut where the edit of a
发文字号 or an address falls inside it: one round fixes both. (An overlapping edit of another
rule, such as a Traditional character's, waits for fix's next round.)"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from compliance.models.facts import Fact
from compliance.models.facts_style import PunctuationFact, PunctuationWords
from compliance.models.text import NormalizedText

_CHINESE = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_FULL_WIDTH = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2018-\u201d\u2026\u2014"
_TOUCHES = re.compile(f"[{_CHINESE}{_FULL_WIDTH}]")
_HAN = re.compile(f"[{_CHINESE}]")
_BEFORE_STOP = re.compile(f"[{_CHINESE}”’）》」』]")  # what a half-width "." may end
_AFTER_STOP = re.compile("[A-Za-z0-9.]")  # what makes "." a decimal, an ordinal or a dot of a name
_CONTEXT = 6  # characters shown on either side of the first mark


def _touches(char: str) -> bool:
    return bool(char) and bool(_TOUCHES.match(char))


class _Spans:
    """Intervals (merged where they overlap or touch)."""

    def __init__(self, spans: list[tuple[int, int]]):
        merged: list[list[int]] = []
        for a, b in sorted(spans):
            if merged and a <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        self.starts = [a for a, _ in merged]
        self.ends = [b for _, b in merged]

    def gaps(self, length: int) -> Iterator[tuple[int, int]]:
        """The intervals of 0…length that no interval holds."""
        for a, b in zip([0, *self.ends], [*self.starts, length]):
            if a < b:
                yield a, b

    def between(self, left: int, right: int) -> bool:
        """Whether an interval starts strictly between two offsets."""
        return bisect.bisect_right(self.starts, left) < bisect.bisect_left(self.starts, right)


class Punctuation:
    def __init__(self, words: PunctuationWords):
        self.words = words
        self.shown = {
            **words.full_width,
            **words.nested_title,
            **words.straight_quotes,
            **words.corner_quotes,
        }  # mark → what it becomes
        self.marks = re.compile("[" + "".join(map(re.escape, self.shown)) + "]")

    def extract(self, text: NormalizedText, masked: list[tuple[int, int]], edited: list[tuple[int, int]]) -> list[Fact]:
        """``masked``: spans no mark is taken from; ``edited``: spans of other safe edits."""
        t, barriers = text.text, _Spans(edited)
        facts: list[Fact] = []
        for start, end, found in self._lines(t, _Spans(masked)):
            fixes = sorted(self._judge(t, start, end, found))
            if not fixes:  # every mark as its context wants it
                facts.append(self._fact(text, [], found[0][0], found[-1][0] + 1))
                continue
            group: list[tuple[int, str, str]] = []
            for fix in fixes:
                if group and barriers.between(group[-1][0], fix[0]):
                    facts.append(self._fact(text, group))
                    group = []
                group.append(fix)
            if group:
                facts.append(self._fact(text, group))
        return facts

    def _lines(self, t: str, hidden: _Spans) -> Iterator[tuple[int, int, list[tuple[int, str]]]]:
        """(start, end, [(offset, mark)…]) of each line that holds marks, found by one scan of the text between
        the hidden spans."""
        start, end = 0, -1
        found: list[tuple[int, str]] = []
        marks = (m for gap in hidden.gaps(len(t)) for m in self.marks.finditer(t, *gap))  # one character each
        for m in marks:
            i = m.start()
            if i > end:  # the first mark of a line
                if found:
                    yield start, end, found
                start, end, found = t.rfind("\n", 0, i) + 1, t.find("\n", i) % (len(t) + 1), []
            found.append((i, m.group()))
        if found:
            yield start, end, found

    def _judge(self, t: str, start: int, end: int, found: list[tuple[int, str]]):
        """(offset, mark, full-width form) of each mark of one line that belongs to Chinese text."""
        around = lambda i: (t[i - 1] if i > start else "", t[i + 1] if i + 1 < end else "")  # noqa: E731
        touches = _TOUCHES.match  # (t, i): whether the character at i is Chinese or a full-width mark
        corner, nested, full = self.words.corner_quotes, self.words.nested_title, self.words.full_width
        opened: list[int] = []
        quotes: dict[str, list[int]] = {q: [] for q in self.words.straight_quotes}
        for i, mark in found:
            if mark in corner:
                yield i, mark, corner[mark]
            elif mark in nested:
                if t.rfind("《", start, i) > t.rfind("》", start, i) and t.find("》", i, end) >= 0:
                    yield i, mark, nested[mark]
            elif mark in quotes:
                quotes[mark].append(i)
            elif mark == "(":
                opened.append(i)
            elif mark == ")" and opened:
                left = opened.pop()
                if (
                    (left > start and touches(t, left - 1))
                    or (i + 1 < end and touches(t, i + 1))
                    or _HAN.search(t, left, i)
                ):
                    yield left, "(", full["("]
                    yield i, ")", full[")"]
            elif mark == ".":
                if i > start and _BEFORE_STOP.match(t, i - 1) and not (i + 1 < end and _AFTER_STOP.match(t, i + 1)):
                    yield i, mark, full[mark]
            elif (i > start and touches(t, i - 1)) or (i + 1 < end and touches(t, i + 1)):
                yield i, mark, full[mark]
        for left in opened:  # "(" never closed on its line
            if any(map(_touches, around(left))):
                yield left, "(", self.words.full_width["("]
        for mark, places in quotes.items():
            opening, closing = tuple(self.words.straight_quotes[mark])
            for left, right in zip(places[0::2], places[1::2]):
                if mark == '"':
                    chinese = bool(
                        _touches(around(left)[0]) or _touches(around(right)[1]) or _HAN.search(t, left, right)
                    )
                else:  # an apostrophe ("it's 中文 don't") pairs by accident: quoted Chinese starts and ends inside
                    chinese = _touches(t[left + 1]) and _touches(t[right - 1])
                if chinese:
                    yield left, mark, opening
                    yield right, mark, closing

    def _fact(
        self, text: NormalizedText, group: list[tuple[int, str, str]], start: int | None = None, end: int | None = None
    ) -> Fact:
        """The marks of ``group`` to fix, from the first to the last (or the span given)."""
        if group:
            start, end = group[0][0], group[-1][0] + 1
        assert start is not None and end is not None, "a group of marks, or the span given"
        o_start, o_end = text.to_original(start, end)
        chars = list(text.original[o_start:o_end])
        for i, mark, new in group:
            at = text.offsets[i] - o_start
            if chars[at] == mark:
                chars[at] = new
        counts: dict[str, int] = {}
        for _, mark, _ in group:
            counts[mark] = counts.get(mark, 0) + 1
        original, first = text.original, text.offsets[start]
        line_start = original.rfind("\n", 0, first) + 1
        line_end = original.find("\n", first) % (len(original) + 1)  # -1 (last line) → the end
        context = original[max(first - _CONTEXT, line_start) : min(first + _CONTEXT + 1, line_end)]
        return PunctuationFact(
            count=len(group),
            marks=list(counts.items()),
            fixed=list(dict.fromkeys(self.shown[mark] for mark in counts)),
            context=context,
            replacement="".join(chars),
            start=start,
            end=end,
        )
