"""Stage 2 output: the text rules read (mainland Simplified) with a map back to the original."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Literal

Script = Literal["simplified", "traditional"]


@dataclass(frozen=True)
class ScriptChange:
    """One run of characters the script conversion changed (normalised-text offsets)."""

    start: int
    end: int
    original: str
    converted: str


@dataclass(frozen=True)
class NormalizedText:
    """``text`` is what parsing and rules see; ``original`` is ``Source.text``.

    ``offsets[i]`` is the original offset of normalised position ``i`` (len(text)+1 entries), so a
    span found in ``text`` is reported against ``original`` without drift, even where a
    conversion changed a phrase's length (最佳化 → 优化)."""

    original: str
    text: str
    script: Script
    offsets: tuple[int, ...]
    changes: tuple[ScriptChange, ...] = ()
    traditional_ratio: float = 0.0
    _line_starts: tuple[int, ...] = field(default=(), repr=False, compare=False)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised span [start, end) to the original text."""
        o_start = self.offsets[start]
        o_end = self.offsets[end] if end > start else o_start
        return o_start, max(o_start, o_end)

    def line_of(self, original_offset: int) -> int:
        """1-based line number of an offset into the original text."""
        starts = self._line_starts or _line_starts(self.original)
        return bisect.bisect_right(starts, original_offset)


def _line_starts(text: str) -> tuple[int, ...]:
    starts = [0]
    starts.extend(i + 1 for i, ch in enumerate(text) if ch == "\n")
    return tuple(starts)


def identity(original: str) -> NormalizedText:
    """A text that needs no conversion."""
    return NormalizedText(
        original=original,
        text=original,
        script="simplified",
        offsets=tuple(range(len(original) + 1)),
        _line_starts=_line_starts(original),
    )


def with_line_index(text: NormalizedText) -> NormalizedText:
    """Return ``text`` with its line index filled in (build once, query often)."""
    if text._line_starts:
        return text
    object.__setattr__(text, "_line_starts", _line_starts(text.original))
    return text
