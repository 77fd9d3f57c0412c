"""Stage 4: 发文字号 → a doc_number fact for each, with its parts as written and its ``form``
("〔Y〕N号", "[Y]N号", "〔Y〕第0N号" …); STYLE-DOCNO holds it against 机关代字〔年份〕序号号 (GB/T 9704-2012 7.2.4).

A number is a bracketed year after a Chinese character (the 机关代字) and a number ending in 号
("苏府办[2021]128号", "（2021）第5号"); a court's 案号 ("（2019）苏05民初1号") has the year first and
is not one. A 〔 whose year runs into the number with no 〕 ("淮政办发〔201919", "国办发〔201822号")
lost its bracket in extraction. Every fix keeps the characters that carry meaning (代字, year,
number) and changes only brackets, 第, leading zeros and the missing 〕/号: form, so safe. A
number already in the standard form is its own correction."""

from __future__ import annotations

import re

from compliance.models.facts import Fact
from compliance.models.facts_style import DocNumberFact, DocNumberWords
from compliance.models.text import NormalizedText

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")  # the last character of a 机关代字
_YEAR = "(?:19|20)[0-9]{2}"
_SPACE = r"[ \t\u3000]*"


def _class(chars: list[str]) -> str:
    return "".join(map(re.escape, chars))


def _patterns(words: DocNumberWords) -> tuple[re.Pattern, re.Pattern]:
    opens, closes = _class([words.open, *words.wrong_open]), _class([words.close, *words.wrong_close])
    whole = re.compile(
        rf"(?P<open>[{opens}]){_SPACE}(?P<year>{_YEAR}){_SPACE}(?P<close>[{closes}]){_SPACE}"
        rf"(?P<prefix>{re.escape(words.number_prefix)})?{_SPACE}(?P<zeros>0*)(?P<number>[0-9]{{1,5}}){_SPACE}"
        rf"{re.escape(words.number_suffix)}"
    )
    unclosed = re.compile(
        rf"(?P<open>{re.escape(words.open)})(?P<year>{_YEAR})(?P<number>[1-9][0-9]{{0,3}})"
        rf"(?P<suffix>{re.escape(words.number_suffix)})?(?![0-9{closes}])"
    )
    return whole, unclosed


def _fixed(text: NormalizedText, start: int, end: int, changes: list[tuple[int, int, str]]) -> tuple[str, str]:
    """The original span and that span with ``changes`` (normalised spans → new text) applied."""
    o_start, o_end = text.to_original(start, end)
    written = fixed = text.original[o_start:o_end]
    for a, b, new in sorted(changes, reverse=True):
        oa, ob = text.offsets[a] - o_start, text.offsets[b] - o_start
        fixed = fixed[:oa] + new + fixed[ob:]
    return written, fixed


class DocNumbers:
    def __init__(self, words: DocNumberWords):
        self.words = words
        self.whole, self.unclosed = _patterns(words)

    def extract(self, text: NormalizedText) -> tuple[list[Fact], list[tuple[int, int]]]:
        """A fact for every number found, and the span of each (other style rules leave the
        brackets inside alone)."""
        words = self.words
        facts: list[Fact] = []
        spans: list[tuple[int, int]] = []
        # The patterns open with the bracket (a fast scan); the 代字 before it is checked here.
        after_code = lambda m: m.start() > 0 and _HAN.match(text.text, m.start() - 1)  # noqa: E731
        for m in filter(after_code, self.whole.finditer(text.text)):
            spans.append(m.span())
            changes = [(*m.span(g), new) for g, new in (("open", words.open), ("close", words.close)) if m[g] != new]
            changes += [(*m.span(g), "") for g in ("prefix", "zeros") if m[g]]
            written, fixed = _fixed(text, *m.span(), changes)
            facts.append(
                self._fact(m, m["close"], m["prefix"] or "", len(m["zeros"]), words.number_suffix, written, fixed)
            )
        for m in filter(after_code, self.unclosed.finditer(text.text)):
            spans.append(m.span())
            changes = [(m.end("year"), m.end("year"), words.close)]
            if not m["suffix"]:
                changes.append((m.end("number"), m.end("number"), words.number_suffix))
            written, fixed = _fixed(text, *m.span(), changes)
            facts.append(self._fact(m, "", "", 0, m["suffix"] or "", written, fixed))
        return facts, spans

    @staticmethod
    def _fact(m: re.Match, close: str, prefix: str, zeros: int, suffix: str, written: str, fixed: str) -> DocNumberFact:
        form = f"{m['open']}Y{close}{prefix}{'0' * zeros}N{suffix}"
        return DocNumberFact(
            text=written,
            open=m["open"],
            close=close,
            year=int(m["year"]),
            prefix=prefix,
            zeros=zeros,
            number=int(m["number"]),
            suffix=suffix,
            form=form,
            corrected=fixed,
            replacement=fixed,
            start=m.start(),
            end=m.end(),
        )
