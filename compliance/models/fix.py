"""What ``compliance fix`` did to one report: the edits applied, those skipped and why."""

from __future__ import annotations

from pydantic import BaseModel, Field

from compliance.models.findings import Edit


class RuleEdit(BaseModel):
    """An edit with its rule, and where it was: offsets, line and text are those of the text the
    edit was chosen on (the report, or the report as an earlier round of fixes left it)."""

    rule: str
    line: int
    text: str  # what the edit replaces
    edit: Edit


class SkippedEdit(RuleEdit):
    reason: str


class FixResult(BaseModel):
    path: str
    output: str | None  # None: nothing written (--diff alone)
    original: str  # the report's extracted text
    fixed: str  # the text of the fixed report
    rounds: int  # check-and-apply rounds that changed the text
    applied: list[RuleEdit]
    skipped: list[SkippedEdit]
    remaining: int  # findings of the fixed report
    notes: list[str] = Field(default_factory=list)
