"""What ``compliance annotate`` made of one draft: its review copy, with the findings as comments
and the fixes as tracked changes."""

from __future__ import annotations

from pydantic import BaseModel

from compliance.models.fix import SkippedEdit


class TrackedChange(BaseModel):
    """One w:del/w:ins pair (either may be empty) at ``line`` of the draft, and the rules whose
    edits it comes from (none: a change a later round of fixes made)."""

    rules: list[str]
    line: int
    deleted: str
    inserted: str


class ReviewCopy(BaseModel):
    data: bytes  # the .docx
    comments: int
    changes: list[TrackedChange]
    skipped: list[SkippedEdit]  # edits fix leaves out, and changes the review copy cannot show


class AnnotateResult(BaseModel):
    path: str
    output: str
    findings: int
    comments: int
    changes: int
    skipped: list[SkippedEdit]
