"""Stage 5: where a finding is — normalised span → original offsets, line, excerpt and part."""

from __future__ import annotations

import bisect

from compliance.models.text import NormalizedText, with_line_index
from compliance.models.tree import DocumentTree

MAX_EXCERPT = 80


class Locator:
    def __init__(self, text: NormalizedText, tree: DocumentTree):
        self.text = with_line_index(text)
        self._starts = [s.start for s in tree.sections]
        self._parts = [s.heading.marker + s.heading.title for s in tree.sections]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        start = min(max(start, 0), len(self.text.text))
        end = min(max(end, start), len(self.text.text))
        return self.text.to_original(start, end)

    def line(self, original_start: int) -> int:
        return self.text.line_of(original_start)

    def excerpt(self, original_start: int, original_end: int) -> str:
        """The original text at the span (cut to a readable length; the offsets stay exact)."""
        return self.text.original[original_start : min(original_end, original_start + MAX_EXCERPT)]

    def part(self, start: int) -> str | None:
        """The top-level part containing normalised offset ``start``."""
        index = bisect.bisect_right(self._starts, start) - 1
        return self._parts[index] if index >= 0 else None
