"""Stage 2: detect Traditional script and convert to mainland Simplified, keeping exact offsets.

Detection counts the CJK characters that character conversion (OpenCC t2s) changes. A
Traditional draft is converted with OpenCC ``tw2sp`` (phrases too: 入口網站→门户网站), line by
line, so newlines and line numbers never move; where a phrase changes length (最佳化→优化) the
line is aligned against its character-by-character conversion, which differs from the phrase
conversion only at phrase substitutions, so the alignment is exact. A Simplified draft keeps its
text; the Traditional characters in it are listed as changes for the style rule."""

from __future__ import annotations

import difflib
import re
from functools import cache, lru_cache

import opencc
import yaml

from compliance.models.text import NormalizedText, ScriptChange, identity, with_line_index
from compliance.resources import rules_dir

_CJK = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
# OpenCC phrases never span punctuation, spaces or Latin text: converting chunk by chunk gives
# the same text, and a chunk whose length is unchanged maps position by position.
_CHUNK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+|[^\u3400-\u4dbf\u4e00-\u9fff]+")


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


def _convert_line(line: str) -> tuple[str, list[int]]:
    """A Traditional line in mainland Simplified, and the offset in ``line`` of each position."""
    parts: list[str] = []
    offsets: list[int] = []
    for chunk in _CHUNK.finditer(line):
        converted = _phrases(chunk.group())
        parts.append(converted)
        offsets += [chunk.start() + o for o in _align(chunk.group(), converted)]
    return "".join(parts), offsets


def _align(line: str, converted: str) -> list[int]:
    """The offset in ``line`` of each position of ``converted`` (a conversion of ``line``)."""
    if len(converted) == len(line):
        return list(range(len(line)))
    per_char = "".join(map(_char, line))  # same length as line
    offsets: list[int] = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, per_char, converted, autojunk=False).get_opcodes():
        if op == "equal":
            offsets.extend(range(a1, a2))
        else:  # a replaced phrase: its positions map into the original phrase, end to end
            offsets.extend(a1 + min(i, max(a2 - a1 - 1, 0)) for i in range(b2 - b1))
    return offsets


def _changed_runs(line: str, converted: str, local: list[int]) -> list[tuple[int, int, str, str]]:
    """Runs of ``converted`` that differ from the original characters they map to."""
    runs, start = [], None
    for i in range(len(converted) + 1):
        changed = i < len(converted) and line[local[i] : local[i] + 1] != converted[i]
        if changed and start is None:
            start = i
        elif not changed and start is not None:
            end_original = local[i] if i < len(converted) else len(line)
            runs.append((start, i, line[local[start] : end_original], converted[start:i]))
            start = None
    return runs


def traditional_ratio(text: str) -> float:
    cjk = _CJK.findall(text)
    if not cjk:
        return 0.0
    return sum(_char(ch) != ch for ch in cjk) / len(cjk)


def normalize(original: str) -> NormalizedText:
    ratio = traditional_ratio(original)
    if ratio == 0.0:
        return identity(original)
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
            converted = "".join(map(_char, line))
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
