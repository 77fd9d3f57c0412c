"""Stage 2: detect Traditional script and convert to mainland Simplified, keeping exact offsets.

Detection counts the CJK characters that character conversion (OpenCC t2s) changes. A
Traditional draft is converted with OpenCC ``tw2sp`` (phrases too: 入口網站→门户网站), whose
phrases never cross a line, so newlines and line numbers never move. Most of a line converts
character for character; only a run of Han characters whose phrase conversion differs from its
character conversion (a phrase substituted: 最佳化→优化, 載入→加载; a character read otherwise
within its phrase) is aligned (difflib) against its character conversion, which differs from the
phrase conversion only at those substitutions, so the alignment is exact. A few mainland words
that tw2sp would rewrite (建立→创建) are kept (rules/lexicon/script.yaml). A Simplified draft keeps
its text; its Traditional characters are listed as changes for the style rule.

The work per character is done in C (OpenCC; ``str.translate`` for the character conversion;
regex splits; two texts compared as UTF-32 integers for the runs where they differ): Python
loops over lines, over the few runs that need an alignment, and over the changes. The offsets
are those of the line-by-line, piece-by-piece alignment this replaced, exactly
(tests/normalize/test_equivalence.py holds it against a copy of it)."""

from __future__ import annotations

import difflib
import operator
import re
from functools import cache, lru_cache
from itertools import accumulate, compress

import opencc

from compliance.models.rulespec import ScriptLexicon
from compliance.models.text import NormalizedText, ScriptChanges, identity, with_line_index
from compliance.resources import read_model, rules_dir

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_CJK = re.compile(f"[{_HAN}]")
# Split: the text between Han runs at even indices, the runs at odd ones.
_HAN_RUNS = re.compile(f"([{_HAN}]+)")
_HAN_RUN = re.compile(f"[{_HAN}]+")
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
def _settings() -> ScriptLexicon:
    return read_model(rules_dir() / "lexicon" / "script.yaml", ScriptLexicon)


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


@lru_cache(maxsize=8192)
def _char(ch: str) -> str:
    converted = _converter("t2s").convert(ch)
    return converted if len(converted) == 1 else ch


class _CharacterTable(dict[int, str]):
    """The character conversion as a ``str.translate`` table, filled as characters are first met.

    Only Han characters are looked up, and only a Han result is taken: t2s changes no other
    character, and changes a Han one into one Han character (tests/normalize/test_equivalence.py
    checks every code point), so this is t2s, and the conversion of a text keeps its length, the
    text between its Han runs, and the place of every run."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        converted = _char(ch) if _CJK.match(ch) else ch
        if not _CJK.match(converted):
            converted = ch
        self[code] = converted
        return converted


_TABLE = _CharacterTable()


@cache
def _keep_pattern() -> re.Pattern:
    return re.compile("|".join(map(re.escape, _settings().keep)))


def _phrases(line: str) -> str:
    """tw2sp, except for the words it would wrongly rewrite (converted per character)."""
    out, position = [], 0
    for match in _keep_pattern().finditer(line):
        out.append(_converter("tw2sp").convert(line[position : match.start()]))
        out.append(_chars(match.group()))
        position = match.end()
    out.append(_converter("tw2sp").convert(line[position:]))
    return "".join(out)


def _chars(text: str) -> str:
    """Character-by-character conversion: same length as ``text``."""
    return text.translate(_TABLE)


_NONZERO = bytes([0] + [1] * 255)


def _differences(a: str, b: str) -> bytes:
    """For two texts of one length, one byte per character: 1 where they differ, else 0.

    In C: the texts as UTF-32 integers, XOR-ed, and the three low bytes of each character's
    difference OR-ed together (a code point has 21 bits: the fourth byte is always 0)."""
    n = len(a)
    xor = int.from_bytes(a.encode("utf-32-le", "surrogatepass"), "little") ^ int.from_bytes(
        b.encode("utf-32-le", "surrogatepass"), "little"
    )
    per_byte = xor.to_bytes(4 * n, "little")
    per_char = (
        int.from_bytes(per_byte[0::4], "little")
        | int.from_bytes(per_byte[1::4], "little")
        | int.from_bytes(per_byte[2::4], "little")
    )
    return per_char.to_bytes(n, "little").translate(_NONZERO)


def _line_by_pieces(line: str) -> tuple[str, list[int]]:
    """A Traditional line in mainland Simplified, and the offset in ``line`` of each position:
    each piece (Han run or other text) converted and aligned on its own. For the lines
    ``_line`` cannot pair with their conversion, and those with a piece over _MAX_PIECE."""
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
        local = _align(piece, result, _chars(piece))
        offsets += range(position, position + len(piece)) if local is None else [position + o for o in local]
        position += len(piece)
    return "".join(converted), offsets


def _pairs(pieces: list[str], results: list[str]) -> bool:
    """Whether a text and its conversion, split by _HAN_RUNS, pair up: the same text between the
    Han runs in both (so Han run i of the text became Han run i of the conversion), and no piece
    of a line over _MAX_PIECE characters."""
    return (
        len(pieces) == len(results)
        and pieces[0::2] == results[0::2]
        and max(map(len, pieces[1::2]), default=0) <= _MAX_PIECE
        and all(len(line) <= _MAX_PIECE for part in pieces[0::2] if len(part) > _MAX_PIECE for line in part.split("\n"))
    )


def _aligned(
    text: str, pieces: list[str], results: list[str], per_char: list[str], base: int, offsets: list[int]
) -> str:
    """For a text whose pieces pair up with those of its conversion (``_pairs``; ``per_char``: the
    Han runs of its character conversion, which stand where the text's do): append the offset
    (``base`` + the offset in ``text``) of each position of its conversion and of its end, and
    return the character of ``text`` at each position of its conversion ("\\n" one past the end of
    a line). Only the Han runs whose conversion differs from their character conversion are
    aligned, and mapped otherwise than one to one only where ``_align`` says so."""
    bounds = list(accumulate(map(len, pieces)))
    mapped: list[str] = []
    done = 0  # the text is mapped up to here
    for k in compress(range(1, len(pieces), 2), map(operator.ne, results[1::2], per_char)):
        local = _align(pieces[k], results[k], per_char[k // 2])
        if local is None:
            continue  # one to one: the run stays in the stretch
        start = bounds[k - 1]
        offsets.extend(range(base + done, base + start))
        mapped.append(text[done:start])
        offsets.extend([base + start + o for o in local])
        mapped.append("".join([text[start + o : start + o + 1] or "\n" for o in local]))
        done = bounds[k]
    offsets.extend(range(base + done, base + len(text) + 1))
    mapped.append(text[done:])
    return "".join(mapped)


def _line(line: str, converted: str, per_char: str, base: int, offsets: list[int]) -> tuple[str, str]:
    """Convert a line whose phrase conversion (``converted``) differs from its character
    conversion: append the offset of each of its positions and of its end (``base``: the line's
    offset), return the converted line and the original character at each of its positions."""
    pieces, results = _HAN_RUNS.split(line), _HAN_RUNS.split(converted)
    if _pairs(pieces, results):
        return converted, _aligned(line, pieces, results, _HAN_RUN.findall(per_char), base, offsets)
    converted, local = _line_by_pieces(line)
    offsets += [base + o for o in local]
    offsets.append(base + len(line))
    return converted, "".join([line[o : o + 1] or "\n" for o in local])


def _align(line: str, converted: str, per_char: str) -> list[int] | None:
    """The offset in ``line`` of each position of ``converted`` (a conversion of ``line``;
    ``per_char``: its character conversion); None when they map one to one.

    Equal length is not enough to map 1:1: a phrase that shrinks (最佳化→优化) and one that grows
    in the same line cancel out, so a line of the same length as its character conversion skips
    the diff only when what the two have in common stands in place (``_only_in_place``)."""
    if converted == per_char or (len(converted) == len(per_char) and _only_in_place(per_char, converted)):
        return None
    offsets: list[int] = []
    for op, a1, a2, b1, b2 in _blocks(per_char, converted):
        if op == "equal":
            offsets.extend(range(a1, a2))
        else:  # a substituted phrase: its positions map into the original phrase, start to start
            offsets.extend(a1 + min(i, max(a2 - a1 - 1, 0)) for i in range(b2 - b1))
    return offsets


def _only_in_place(a: str, b: str) -> bool:
    """Whether every _SHORT_MATCH characters ``a`` and ``b`` (of one length) have in common stand
    at the same place in both. Then ``_blocks`` maps them one to one, without a diff: each match
    it keeps is in place (a shorter one out of place lies between two differences and is taken
    into them; the first starts, the last ends, both texts), so each difference starts and ends at
    the same place in both (substituted phrases of the same length: 入口網站→门户网站)."""
    for i in range(len(a) - _SHORT_MATCH + 1):
        gram = a[i : i + _SHORT_MATCH]
        j = b.find(gram)
        while j >= 0:
            if j != i:
                return False
            j = b.find(gram, j + 1)
    return True


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


def _convert(original: str, chars: str, pieces: list[str]) -> tuple[str, list[int], str]:
    """A Traditional text in mainland Simplified; the offset in ``original`` of each of its
    positions and of its end; the original character at each of its positions. (``chars``: its
    character conversion; ``pieces``: the text split by _HAN_RUNS.)"""
    # tw2sp phrases never cross a line: the text converted at once is its lines converted one by
    # one. (OpenCC stops at a NUL character: a text with one is converted line by line, as before.)
    whole = "\n".join(map(_phrases, original.split("\n"))) if "\x00" in original else _phrases(original)
    offsets: list[int] = []
    results = _HAN_RUNS.split(whole)
    if _pairs(pieces, results):  # the whole text at once
        return whole, offsets, _aligned(original, pieces, results, _HAN_RUN.findall(chars), 0, offsets)
    lines: list[str] = []
    mapped: list[str] = []
    base = 0  # offset of the current line in the original
    for line, phrased, line_chars in zip(original.split("\n"), whole.split("\n"), chars.split("\n"), strict=True):
        if phrased == line_chars:  # character for character
            offsets.extend(range(base, base + len(line) + 1))  # and the newline (or the end of the text)
            lines.append(phrased)
            mapped.append(line)
        else:
            converted, line_mapped = _line(line, phrased, line_chars, base, offsets)
            lines.append(converted)
            mapped.append(line_mapped)
        base += len(line) + 1
    return "\n".join(lines), offsets, "\n".join(mapped)


def _census(text: str) -> tuple[str, bytes, list[str], float]:
    """``text``'s character conversion, where it differs (``_differences``), ``text`` split by
    _HAN_RUNS (if it differs), and the share of its CJK characters the conversion changes."""
    chars = _chars(text)
    if chars == text:
        return chars, b"", [], 0.0
    flags = _differences(chars, text)
    pieces = _HAN_RUNS.split(text)
    return chars, flags, pieces, flags.count(1) / (len(text) - sum(map(len, pieces[0::2])))


def traditional_ratio(text: str) -> float:
    """Share of the CJK characters that character conversion (t2s) changes."""
    return _census(text)[3]


def normalize(original: str) -> NormalizedText:
    """``original`` as mainland Simplified (if Traditional), with offsets back and the changed runs."""
    chars, flags, pieces, ratio = _census(original)
    if ratio == 0.0:
        return identity(original)
    # Threshold from rules/lexicon/script.yaml (0.05). Measured: Simplified drafts 0.000 (seeds
    # 001, 002, 004, the corpus, the fixtures), Traditional ones 0.358 (seed 000) and 0.345 (003),
    # since about a third of the characters in running text have a distinct Traditional form. A
    # Simplified draft with a few pasted Traditional words or sentences stays below 0.05 and keeps
    # its text, its Traditional characters listed for the style rule rather than silently rewritten.
    if ratio <= _settings().traditional_ratio:
        same = range(len(original) + 1)
        text = NormalizedText(
            original=original,
            text=original,
            script="simplified",
            offsets=tuple(same),
            changes=ScriptChanges(chars, original, same, flags),
            traditional_ratio=ratio,
        )
    else:
        converted, positions, mapped = _convert(original, chars, pieces)
        offsets = tuple(positions)
        text = NormalizedText(
            original=original,
            text=converted,
            script="traditional",
            offsets=offsets,
            changes=ScriptChanges(converted, original, offsets, _differences(converted, mapped)),
            traditional_ratio=ratio,
        )
    return with_line_index(text)
