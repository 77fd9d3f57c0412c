"""Key points: ``rules/lexicon/keypoints.yaml`` as a validated model, loaded once per path.

Everything language-specific that extraction and matching read lives in that file, so an office
adds a synonym or a generic word without touching code."""

from __future__ import annotations

import re
from functools import cache, cached_property
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from compliance.errors import RuleFileError
from compliance.resources import read_model, rules_dir

LEXICON = Path("lexicon") / "keypoints.yaml"


class AttachmentHeaders(BaseModel):
    model_config = ConfigDict(extra="forbid")

    number: list[str]
    task: list[str]
    lead: list[str]
    units: list[str]
    deadline: list[str]


class KeypointLexicon(BaseModel):
    model_config = ConfigDict(extra="forbid", ignored_types=(cached_property,))

    title_pattern: str
    instruction_patterns: list[str]
    attachment_headers: AttachmentHeaders
    item_marker_pattern: str
    deadline_pattern: str
    unit_suffixes: list[str]
    unit_noise: list[str]
    all_departments: list[str]
    all_governments: list[str]
    generic: list[str]
    splitters: list[str]
    protected: list[str]
    leading: list[str]
    trailing: list[str]
    synonyms: list[list[str]]
    completed: list[str]
    not_completed: list[str]
    plan_patterns: list[str]

    @cached_property
    def title(self) -> re.Pattern:
        return re.compile(self.title_pattern)

    @cached_property
    def instructions(self) -> tuple[re.Pattern, ...]:
        return tuple(re.compile(p) for p in self.instruction_patterns)

    @cached_property
    def item_marker(self) -> re.Pattern:
        return re.compile(self.item_marker_pattern)

    @cached_property
    def deadline(self) -> re.Pattern:
        return re.compile(self.deadline_pattern)

    @cached_property
    def plans(self) -> tuple[re.Pattern, ...]:
        return tuple(re.compile(p) for p in self.plan_patterns)

    def header_role(self, cell: str) -> str | None:
        """Which column a header cell names (number, task, lead, units, deadline), or None."""
        cell = re.sub(r"\s+", "", cell)
        for role, names in self.attachment_headers.model_dump().items():
            if cell in names:
                return role
        return None


def _compile_check(lexicon: KeypointLexicon, path: Path) -> None:
    for field in ("title_pattern", "item_marker_pattern", "deadline_pattern"):
        try:
            re.compile(getattr(lexicon, field))
        except re.error as error:
            raise RuleFileError(str(path), f"bad regular expression: {error}", field=field) from None
    for field in ("instruction_patterns", "plan_patterns"):
        for index, pattern in enumerate(getattr(lexicon, field)):
            try:
                re.compile(pattern)
            except re.error as error:
                raise RuleFileError(str(path), f"bad regular expression: {error}", field=f"{field}.{index}") from None


@cache
def load_lexicon(root: Path | None = None) -> KeypointLexicon:
    path = (root or rules_dir()) / LEXICON
    lexicon = read_model(path, KeypointLexicon)
    _compile_check(lexicon, path)
    return lexicon
