"""Stage 4: pattern hits — the regexes of ``rules/lexicon/patterns.yaml`` run over the text.

Regular expressions run here, never in the rules engine (durable-rules' ``$mt`` is anchored,
ASCII-only for classes and crashes on CJK ranges)."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from compliance.models.facts import PatternHitFact
from compliance.models.rulespec import PatternSet

# Enough to show every kind of problem; a draft full of one mistake needs no thousand facts.
MAX_HITS_PER_SET = 50
_SAMPLE = 40


@cache
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.MULTILINE)


# What a match must hold. Most patterns match nowhere in a report, and many are led by a
# look-behind or a class that re cannot skip ahead to, so they are tried at every position; a test
# that the text holds none of the strings one of which every match holds (str's own search, many
# times faster) says so first. The strings come from the pattern's parse: the literal runs it
# must match and the alternatives of those, where they are few and seldom in Chinese prose.
_MAX_EXACT = 32  # strings an exact part of a pattern may stand for
_MAX_HINT_COST = 30  # a hint that costs more to test than most patterns cost to run is none
_CLASS = 16  # characters of a class spelt out

Strings = frozenset[str]


@cache
def _parsed(pattern: str, flags: int) -> Any:
    """The parse of ``pattern`` by re's own parser (None where that cannot be had)."""
    try:
        return importlib.import_module("re._parser").parse(pattern, flags)
    except Exception:  # noqa: BLE001  (a private module of re: without it, there is no hint)
        return None


def _selective(text: str) -> bool:
    """Whether a string is seldom in a report: longer than a character, or a character that is no
    Chinese character, digit, white space or common mark."""
    return len(text) > 1 or not (
        text.isdigit() or text.isspace() or "\u3000" <= text <= "\u9fff" or text in "，。、；：,.;:"
    )


def _best(candidates: list[Strings]) -> Strings | None:
    """Of sets of strings each of which a match must hold one of, the cheapest to test."""
    usable = [c for c in candidates if c and all(s and _selective(s) for s in c)]
    return min(usable, key=lambda c: (sum(1 if len(s) == 1 else 5 for s in c), sorted(c)), default=None)


def _item(op: Any, av: Any, c: Any) -> tuple[Strings | None, Strings | None]:
    """(the strings an item matches exactly, when few; strings one of which its match holds)."""
    if op is c.LITERAL:
        return frozenset([chr(av)]), frozenset([chr(av)])
    if op is c.IN:
        chars: set[str] = set()
        for kind, value in av:
            if kind is c.LITERAL:
                chars.add(chr(value))
            elif kind is c.RANGE and value[1] - value[0] < _CLASS:
                chars.update(map(chr, range(value[0], value[1] + 1)))
            else:  # a negation, a category or a wide range
                return None, None
        exact = frozenset(chars) if len(chars) <= _CLASS else None
        return exact, exact
    if op is c.SUBPATTERN:
        return (None, None) if av[1] & re.IGNORECASE else _sequence(av[-1], c)
    if op is c.ATOMIC_GROUP:
        return _sequence(av, c)
    if op is c.BRANCH:
        found = [_sequence(alternative, c) for alternative in av[1]]
        exacts = [e for e, _ in found if e is not None]
        holds = [r for _, r in found if r is not None]
        union: Strings = frozenset().union(*exacts)
        every_exact, every_holds = len(exacts) == len(found), len(holds) == len(found)
        return (
            union if every_exact and len(union) <= _MAX_EXACT else None,
            frozenset().union(*holds) if every_holds else None,
        )
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        low, high, body = av
        exact, required = _sequence(body, c)
        if low == 0:
            return None, None
        if low == high and exact is not None and len(exact) ** low <= _MAX_EXACT:
            strings = [""]
            for _ in range(low):
                strings = [a + b for a in strings for b in exact]
            return frozenset(strings), required
        return None, required
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return frozenset([""]), None  # consumes nothing
    return None, None


def _sequence(items: Any, c: Any) -> tuple[Strings | None, Strings | None]:
    """(the strings a sequence matches exactly, when few; the best set one of which it holds)."""
    run: Strings = frozenset([""])  # the exact strings of the items since the last inexact one
    candidates: list[Strings] = []
    exact_throughout = True
    for op, av in items:
        exact, required = _item(op, av, c)
        if exact is not None and len(run) * len(exact) <= _MAX_EXACT:
            run = frozenset(a + b for a in run for b in exact)
            continue
        candidates.append(run)
        exact_throughout = False
        run = exact if exact is not None else frozenset([""])
        if required is not None:
            candidates.append(required)
    candidates.append(run)
    return (run if exact_throughout else None), _best(candidates)


@cache
def _hint(pattern: str) -> Strings | None:
    """Strings one of which every match of ``pattern`` holds, if a few such are known."""
    parsed = _parsed(pattern, re.MULTILINE)
    if parsed is None or parsed.state.flags & re.IGNORECASE:
        return None
    _, required = _sequence(parsed.data, importlib.import_module("re._constants"))
    if required is None:
        return None
    required = frozenset(s for s in required if not any(o != s and o in s for o in required))  # 位置 for 当前位置
    return required if sum(1 if len(s) == 1 else 5 for s in required) <= _MAX_HINT_COST else None


def _may_match(pattern: str, text: str) -> bool:
    hint = _hint(pattern)
    return hint is None or any(s in text for s in hint)


# A pattern anchored at line starts ("^…", most of them) is tried by re at every position of the
# text, where "^" fails, and those tries cost more than the lines it reads. Its body after a line
# break, "\n(?=(?:…))", is found by re's quick scan for that first character; over the text with a
# line break put first, so that every line starts after one, it matches where the pattern does,
# unless the pattern looks behind where it starts (a look-behind, "\A") and would see the added
# break. An empty group last ("()", numbered after the pattern's own) marks where the match ends.


@cache
def _after_breaks(pattern: str) -> re.Pattern | None:
    """``pattern``'s body after a line break, for a pattern anchored at line starts that never
    matches empty text (its next match is the first at or after the end of the last) nor looks
    behind; None for any other pattern."""
    parsed, c = _parsed(pattern, re.MULTILINE), importlib.import_module("re._constants")
    anchored = (
        parsed is not None and pattern.startswith("^") and parsed.data and parsed.data[0] == (c.AT, c.AT_BEGINNING)
    )
    if not anchored or parsed.getwidth()[0] == 0 or any(s in pattern for s in ("(?<=", "(?<!", "\\A")):
        return None
    return re.compile(f"\n(?=(?:{pattern[1:]})())", re.MULTILINE)


def _spans(pattern: str, text: str, broken: str) -> Iterator[tuple[int, int]]:
    """The spans of ``pattern``'s matches in ``text``, as ``finditer`` finds them; ``broken`` is
    ``text`` with a line break put first."""
    after_breaks = _after_breaks(pattern)
    if after_breaks is None:
        yield from (m.span() for m in _compiled(pattern).finditer(text))
        return
    end = 0
    for m in after_breaks.finditer(broken):
        start = m.end() - 1  # in text
        if start >= end:
            end = m.start(after_breaks.groups) - 1
            yield start, end


def extract(text: str, pattern_sets: dict[str, PatternSet]) -> list[PatternHitFact]:
    facts: list[PatternHitFact] = []
    broken = "\n" + text  # for _spans
    for name, pattern_set in pattern_sets.items():
        hits = sorted(
            (start, -end, pattern, matched)
            for pattern in pattern_set.patterns
            if _may_match(pattern, text)
            for start, end in _spans(pattern, text, broken)
            if (matched := text[start:end].strip())
        )
        covered = -1
        kept = 0
        for start, negative_end, pattern, matched in hits:
            if start < covered or kept == MAX_HITS_PER_SET:
                continue  # overlapping hits of several patterns are one problem
            lead = text.find(matched, start)
            previous = facts[-1] if facts and facts[-1].pattern_set == name else None
            if (
                pattern_set.merge_adjacent
                and previous
                and not text[previous.end : lead].strip()
                and text.count("\n", previous.end, lead) == 1
            ):
                previous.text, previous.end = text[previous.start : lead + len(matched)], lead + len(matched)
                previous.lines += 1
            else:
                facts.append(
                    PatternHitFact(
                        pattern_set=name,
                        pattern=pattern,
                        text=matched,
                        start=lead,
                        end=lead + len(matched),
                        sample=matched[:_SAMPLE],
                    )
                )
                kept += 1
            covered = -negative_end
    return facts
