"""The runs of a .docx addressed by offsets of its loaded text (``fix/docx.py`` ``trace``), split
so that a span's characters fill whole runs: a comment is anchored on runs, a tracked change
wraps them. A split run is copied with its w:rPr, so the text keeps its formatting."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from compliance.fix.docx import Origin

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
RUN, RUN_PROPERTIES = f"{W}r", f"{W}rPr"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


class Runs:
    def __init__(self, where: dict[int, Origin]):
        self.where = {offset: origin for offset, origin in where.items() if origin[0] is not None}
        self._offsets: dict[Any, list[int]] = {}  # w:t → the offsets traced to it, in order
        for offset in sorted(self.where):
            self._offsets.setdefault(self.where[offset][0], []).append(offset)

    def traced(self, start: int, end: int) -> list[int]:
        """The offsets in [start, end) that some run holds."""
        return [offset for offset in range(start, end) if offset in self.where]

    def boundary(self, offset: int) -> tuple[Any, int] | None:
        """(w:t, index) of the place before ``offset``: before its character, else after the one
        before it (the end of a line or cell); None when neither is in a run."""
        if offset in self.where:
            return self.where[offset]
        if offset - 1 in self.where:
            node, index = self.where[offset - 1]
            return node, index + 1
        return None

    def split(self, offsets: Iterable[int]) -> None:
        """Make a run boundary at each offset's place (``boundary``)."""
        places: dict[Any, set[int]] = {}
        for offset in offsets:
            place = self.boundary(offset)
            if place is not None:
                places.setdefault(place[0], set()).add(place[1])
        for node, indexes in places.items():
            for index in sorted(indexes, reverse=True):  # the text before each cut stays in ``node``
                self._cut(node, index)

    def _cut(self, node, index: int) -> None:
        text = node.text or ""
        if 0 < index < len(text):
            after = copy.deepcopy(node)
            after.text, node.text = text[index:], text[:index]
            for element in (node, after):
                element.set(_XML_SPACE, "preserve")
            node.addnext(after)
            moved = [offset for offset in self._offsets[node] if self.where[offset][1] >= index]
            self._offsets[node] = self._offsets[node][: len(self._offsets[node]) - len(moved)]
            self._offsets[after] = moved
            for offset in moved:
                self.where[offset] = (after, self.where[offset][1] - index)
            first = after
        else:
            first = node if index == 0 else node.getnext()
        run = node.getparent()
        content = [child for child in run if child.tag != RUN_PROPERTIES]
        if first is None or first not in content or content.index(first) == 0:
            return  # the place is already a run boundary
        rest = content[content.index(first) :]
        new = run.makeelement(RUN, run.attrib)
        properties = run.find(RUN_PROPERTIES)
        if properties is not None:
            new.append(copy.deepcopy(properties))
        new.extend(rest)
        run.addnext(new)

    def runs(self, start: int, end: int) -> list:
        """The w:r elements holding the characters of [start, end), in document order (after
        ``split`` at ``start`` and ``end`` they hold nothing else)."""
        found: dict[Any, None] = {}
        for offset in self.traced(start, end):
            found.setdefault(self.where[offset][0].getparent())
        return list(found)
