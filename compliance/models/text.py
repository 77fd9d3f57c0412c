"""Stage 2 output: the text rules read (mainland Simplified) with a map back to the original."""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Literal, overload

Script = Literal["simplified", "traditional"]


@dataclass(frozen=True)
class ScriptChange:
    """One run of characters the script conversion changed (normalised-text offsets)."""

    start: int
    end: int
    original: str
    converted: str


class ScriptChanges(Sequence[ScriptChange]):
    """The runs of a converted text that differ from the original characters they map to, read
    off on demand: a Traditional draft has thousands, and a check asks how many there are and
    for the first (``facts/script.py``), so only ``fix`` lists them all.

    ``changed`` has a byte per position of ``text``: 1 where it differs from the original
    character ``offsets`` maps it to, else 0. A run is a maximal stretch of 1s; its original text
    runs from the offset of its start to the offset of its end."""

    __slots__ = ("_changed", "_count", "_found", "_offsets", "_original", "_text")

    def __init__(self, text: str, original: str, offsets: Sequence[int], changed: bytes):
        self._text, self._original, self._offsets, self._changed = text, original, offsets, changed
        self._count = changed.count(b"\x00\x01") + changed.startswith(b"\x01")
        self._found: list[ScriptChange] = []

    def _find(self, n: int) -> list[ScriptChange]:
        """The runs, read off up to the ``n``-th at least."""
        found, changed = self._found, self._changed
        at = found[-1].end if found else 0
        while len(found) < min(n, self._count):
            start = changed.find(1, at)
            at = changed.find(0, start)
            if at < 0:
                at = len(changed)
            original = self._original[self._offsets[start] : self._offsets[at]]
            found.append(ScriptChange(start, at, original, self._text[start:at]))
        return found

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> ScriptChange: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[ScriptChange, ...]: ...

    def __getitem__(self, index: int | slice) -> ScriptChange | tuple[ScriptChange, ...]:
        if isinstance(index, slice):
            wanted = range(*index.indices(self._count))
            return tuple(self._find(max(wanted[0], wanted[-1]) + 1 if wanted else 0)[index])
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError("script change index out of range")
        return self._find(index + 1)[index]

    def __iter__(self) -> Iterator[ScriptChange]:
        return iter(self._find(self._count))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and tuple(self) == tuple(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ScriptChanges({self._count} runs)"


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
    changes: Sequence[ScriptChange] = ()
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
    """Offset of each line: a line starts one past the end of the one before it."""
    return tuple(accumulate(map((1).__add__, map(len, text.split("\n")[:-1])), initial=0))


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
