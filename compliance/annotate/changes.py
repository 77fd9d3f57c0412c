"""Tracked changes (修订): the difference between a draft's text and its text as ``fix`` leaves it,
line by line and then character by character, written as w:del/w:ins on the draft's runs.

Accepting every change gives the fixed text; rejecting every one gives the draft back. A
deletion keeps its runs (their w:t become w:delText), an insertion is a new run with the
w:rPr of the text it replaces or joins. A change that would add or join lines or cells cannot be
shown on runs and is skipped with a reason."""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Iterator, Sequence
from datetime import datetime

from pydantic import BaseModel

from compliance.annotate.runs import RUN, RUN_PROPERTIES, Runs, W
from compliance.i18n import N_
from compliance.models.findings import Edit

SEPARATORS = "\n\t"
NEW_UNIT = N_("会新增或合并段落、单元格，修订无法表示")
OUTSIDE = N_("所改文字不在文档的文字块中")
_TEXT, _DELETED_TEXT = f"{W}t", f"{W}delText"


class Change(BaseModel):
    """Characters [start, end) of the draft's text replaced by ``text``."""

    start: int
    end: int
    text: str


def _character_changes(before: str, after: str, offset: int) -> Iterator[Change]:
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            yield Change(start=offset + i1, end=offset + i2, text=after[j1:j2])


def differences(original: str, fixed: str) -> list[Change]:
    """What changed from ``original`` to ``fixed``: lines matched first (a fix seldom adds or
    removes one: then they pair in order), then the characters of each changed line, or of a
    changed block of lines."""
    before, after = original.split("\n"), fixed.split("\n")
    starts = [0]
    for line in before:
        starts.append(starts[-1] + len(line) + 1)
    changes: list[Change] = []
    if len(before) == len(after):  # lines paired as they stand: empty ones would match anywhere
        opcodes: Sequence[tuple[str, int, int, int, int]] = [
            ("replace", i, i + 1, i, i + 1) for i in range(len(before)) if before[i] != after[i]
        ]
    else:
        opcodes = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            continue
        if i2 - i1 == j2 - j1:
            for i, j in zip(range(i1, i2), range(j1, j2)):
                changes += _character_changes(before[i], after[j], starts[i])
        else:
            start = starts[i1] if i1 < len(before) else len(original)
            changes += _character_changes("\n".join(before[i1:i2]), "\n".join(after[j1:j2]), start)
    return changes


def _joins(change: Change, original: str) -> bool:
    """Whether the change deletes a separator with text left on both sides: two units become one."""
    deleted = original[change.start : change.end]
    if not any(ch in SEPARATORS for ch in deleted):
        return False
    before = re.split(f"[{SEPARATORS}]", original[: change.start])[-1]
    after = re.split(f"[{SEPARATORS}]", original[change.end :])[0]
    return bool(before.strip() and after.strip())


def unshown(change: Change, runs: Runs, original: str) -> str | None:
    """Why ``change`` cannot be a tracked change, or None. A deleted separator between two lines
    or cells that keep no text on one side is left alone: the emptied unit stays empty (the loader
    drops an empty paragraph, as it drops the line)."""
    if any(ch in SEPARATORS for ch in change.text) or _joins(change, original):
        return NEW_UNIT
    kept = [i for i in range(change.start, change.end) if original[i] not in SEPARATORS]
    if any(i not in runs.where for i in kept):
        return OUTSIDE
    if change.start == change.end and runs.boundary(change.start) is None:
        return OUTSIDE
    return None


def rules_of(change: Change, edits: list[tuple[str, Edit]]) -> list[str]:
    """The rules whose first-round edits overlap or touch the change."""
    return sorted({rule for rule, edit in edits if edit.start <= change.end and change.start <= edit.end})


class Writer:
    """Writes changes as w:del/w:ins, each with its own w:id from ``next_id`` on."""

    def __init__(self, runs: Runs, author: str, when: datetime, next_id: int):
        self.runs, self.next_id = runs, next_id
        self.attributes = {f"{W}author": author, f"{W}date": when.strftime("%Y-%m-%dT%H:%M:%SZ")}

    def _wrapper(self, tag: str, like):
        element = like.makeelement(f"{W}{tag}", {f"{W}id": str(self.next_id), **self.attributes})
        self.next_id += 1
        return element

    def _delete(self, runs: list) -> object:
        """Wrap the runs, consecutive siblings together, in w:del; the last w:del."""
        wrapper = None
        for run in runs:
            for text in run.iter(_TEXT):
                text.tag = _DELETED_TEXT
            if wrapper is None or wrapper.getnext() is not run:
                wrapper = self._wrapper("del", run)
                run.addprevious(wrapper)
            wrapper.append(run)
        return wrapper

    def _insert(self, text: str, like, after: bool, place) -> None:
        run = like.makeelement(RUN, {})
        properties = like.find(RUN_PROPERTIES)
        if properties is not None:
            run.append(copy.deepcopy(properties))
        node = run.makeelement(_TEXT, {"{http://www.w3.org/XML/1998/namespace}space": "preserve"})
        node.text = text
        run.append(node)
        wrapper = self._wrapper("ins", place)
        wrapper.append(run)
        (place.addnext if after else place.addprevious)(wrapper)

    def write(self, change: Change) -> None:
        deleted = self.runs.runs(change.start, change.end)
        if deleted:
            last = self._delete(deleted)
            if change.text:
                self._insert(change.text, deleted[0], True, last)
            return
        if change.start in self.runs.where:  # before the character there, in its run's formatting
            run = self.runs.where[change.start][0].getparent()
            self._insert(change.text, run, False, _outer(run))
        else:  # at the end of a line or cell: after the character before
            run = self.runs.where[change.start - 1][0].getparent()
            self._insert(change.text, run, True, _outer(run))


def _outer(run):
    """The run, or the w:del a change has put it in."""
    parent = run.getparent()
    return parent if parent.tag == f"{W}del" else run
