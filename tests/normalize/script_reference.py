"""The script conversion as it was before issue 13 (per-character alignment of every line), kept
as the oracle that ``compliance/normalize/script.py`` must agree with exactly: same text, offsets,
changes and ratio (tests/normalize/test_equivalence.py)."""

from __future__ import annotations

import difflib
import re
from collections import Counter
from functools import cache, lru_cache

import opencc
import yaml

from compliance.models.text import NormalizedText, ScriptChange, identity, with_line_index
from compliance.resources import rules_dir

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK = re.compile(f"[{_HAN}]")
# OpenCC phrases never span punctuation, spaces or Latin text, so a line can be aligned piece by
# piece: each SequenceMatcher stays small, and most pieces need none.
_CHUNK = re.compile(f"[{_HAN}]+|[^{_HAN}]+")
_SHORT_MATCH = 3  # characters; a match this short between two differences is taken into them
# A piece longer than _MAX_PIECE (real text has runs of under 100 Han characters between
# punctuation) is converted and aligned in parts of _PART characters, so the alignment stays linear
# in the length of the line; a phrase across a cut is converted character by character.
_MAX_PIECE = 200
_PART = 64


@cache
def _settings() -> dict:
    return yaml.safe_load((rules_dir() / "lexicon" / "script.yaml").read_text(encoding="utf-8"))


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


@lru_cache(maxsize=8192)
def _char(ch: str) -> str:
    converted = _converter("t2s").convert(ch)
    return converted if len(converted) == 1 else ch


@cache
def _keep_pattern() -> re.Pattern:
    return re.compile("|".join(map(re.escape, _settings()["keep"])))


def _phrases(line: str) -> str:
    """tw2sp, except for the words it would wrongly rewrite (converted per character)."""
    out, position = [], 0
    for match in _keep_pattern().finditer(line):
        out.append(_converter("tw2sp").convert(line[position : match.start()]))
        out.append("".join(map(_char, match.group())))
        position = match.end()
    out.append(_converter("tw2sp").convert(line[position:]))
    return "".join(out)


def _chars(text: str) -> str:
    """Character-by-character conversion: same length as ``text``."""
    return "".join(map(_char, text))


def _convert_line(line: str) -> tuple[str, list[int]]:
    """A Traditional line in mainland Simplified, and the offset in ``line`` of each position."""
    whole = _phrases(line)
    if whole == _chars(line):  # no phrase substitution: positions map 1:1
        return whole, list(range(len(line)))
    pieces = _CHUNK.findall(line)
    converted = _CHUNK.findall(whole)
    # The conversion keeps every non-CJK piece, so piece i of the line became piece i of
    # ``whole`` and only the pieces that differ need a diff; a phrase whose conversion holds a
    # Latin letter (隨身碟→U盘) breaks the pairing, and those lines are converted piece by piece.
    paired = len(converted) == len(pieces) and all(a == b for a, b in zip(pieces, converted) if not _CJK.match(a))
    if any(len(piece) > _MAX_PIECE for piece in pieces):
        pieces = [piece[i : i + _PART] for piece in pieces for i in range(0, len(piece), _PART)]
        paired = False
    if not paired:
        converted = [_phrases(piece) for piece in pieces]
    offsets: list[int] = []
    position = 0
    for piece, result in zip(pieces, converted):
        offsets += [position + o for o in _align(piece, result)]
        position += len(piece)
    return "".join(converted), offsets


def _align(line: str, converted: str) -> list[int]:
    """The offset in ``line`` of each position of ``converted`` (a conversion of ``line``).

    Equal length is not enough to map 1:1: a phrase that shrinks (最佳化→优化) and one that grows
    in the same line cancel out, so only a line equal to its character conversion skips the diff."""
    per_char = _chars(line)
    if converted == per_char:
        return list(range(len(line)))
    offsets: list[int] = []
    for op, a1, a2, b1, b2 in _blocks(per_char, converted):
        if op == "equal":
            offsets.extend(range(a1, a2))
        else:  # a substituted phrase: its positions map into the original phrase, start to start
            offsets.extend(a1 + min(i, max(a2 - a1 - 1, 0)) for i in range(b2 - b1))
    return offsets


def _blocks(a: str, b: str) -> list[tuple[str, int, int, int, int]]:
    """difflib opcodes, with a short match between two differences taken into the difference.

    Within one phrase a character may match at another place (視窗→窗口 matches 窗): kept as a
    match, it would hand 視 to the text before the phrase. Two distinct phrases one character
    apart merge as well, which costs nothing when their lengths are unchanged."""
    merged: list[list] = []
    codes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    for index, (op, a1, a2, b1, b2) in enumerate(codes):
        sandwiched = op == "equal" and 0 < index < len(codes) - 1 and a2 - a1 < _SHORT_MATCH
        kind = op
        if op != "equal" or sandwiched:
            if merged and merged[-1][0] == "replace":
                merged[-1][2], merged[-1][4] = a2, b2
                continue
            kind = "replace"
        merged.append([kind, a1, a2, b1, b2])
    return [tuple(block) for block in merged]


def _changed_runs(line: str, converted: str, local: list[int]) -> list[tuple[int, int, str, str]]:
    """Runs of ``converted`` that differ from the original characters they map to."""
    bounds: list[tuple[int, int]] = []
    start = None
    for i, (o, c) in enumerate(zip(local, converted)):
        if line[o : o + 1] != c:
            start = i if start is None else start
        elif start is not None:
            bounds.append((start, i))
            start = None
    if start is not None:
        bounds.append((start, len(converted)))
    ends = local + [len(line)]  # a run's original text ends where the next position starts
    return [(a, b, line[local[a] : ends[b]], converted[a:b]) for a, b in bounds]


def traditional_ratio(text: str) -> float:
    """Share of the CJK characters that character conversion (t2s) changes."""
    counts = Counter(_CJK.findall(text))
    total = sum(counts.values())
    return sum(n for ch, n in counts.items() if _char(ch) != ch) / total if total else 0.0


def normalize(original: str) -> NormalizedText:
    """``original`` as mainland Simplified (if Traditional), with offsets back and the changed runs."""
    ratio = traditional_ratio(original)
    if ratio == 0.0:
        return identity(original)
    # Threshold from rules/lexicon/script.yaml (0.05). Measured: Simplified drafts 0.000 (seeds
    # 001, 002, 004, the corpus, the fixtures), Traditional ones 0.358 (seed 000) and 0.345 (003),
    # since about a third of the characters in running text have a distinct Traditional form. A
    # Simplified draft with a few pasted Traditional words or sentences stays below 0.05 and keeps
    # its text, its Traditional characters listed for the style rule rather than silently rewritten.
    traditional = ratio > _settings()["traditional_ratio"]
    lines: list[str] = []
    offsets: list[int] = []
    changes: list[ScriptChange] = []
    base = 0  # offset of the current line in the original
    for line in original.split("\n"):
        if traditional:
            converted, local = _convert_line(line)
            lines.append(converted)
        else:  # a Simplified draft keeps its text; its Traditional characters become changes
            converted = _chars(line)
            local = list(range(len(line)))
            lines.append(line)
        norm_base = len(offsets)
        changes += [
            ScriptChange(norm_base + a, norm_base + b, before, after)
            for a, b, before, after in _changed_runs(line, converted, local)
        ]
        offsets += [base + o for o in (local if traditional else range(len(line)))]
        offsets.append(base + len(line))  # the newline (or the end of the text)
        base += len(line) + 1
    return with_line_index(
        NormalizedText(
            original=original,
            text="\n".join(lines),
            script="traditional" if traditional else "simplified",
            offsets=tuple(offsets),
            changes=tuple(changes),
            traditional_ratio=ratio,
        )
    )
