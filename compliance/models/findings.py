"""Stage 5–6 output and the JSON contract of checks.md (schema_version 1)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Severity = Literal["critical", "major", "minor", "info"]
SEVERITIES: tuple[Severity, ...] = ("critical", "major", "minor", "info")


def rank(severity: Severity) -> int:
    """0 for critical … 3 for info: the order findings sort in, gravest first."""
    return SEVERITIES.index(severity)


def reaches(severity: Severity, threshold: Severity) -> bool:
    """Whether ``severity`` is ``threshold`` or graver (``--fail-on``, ``--min-severity``)."""
    return rank(severity) <= rank(threshold)


class Edit(BaseModel):
    start: int
    end: int
    replacement: str
    safe: bool


class Finding(BaseModel):
    rule: str
    severity: Severity
    message: str
    basis: str
    basis_ref: str | None = None
    line: int
    start: int
    end: int
    excerpt: str
    suggestion: str
    edit: Edit | None = None
    part: str | None = None
    # Other findings about the same wrong number ("CALC-SUM@87"): one problem, deducted once.
    related: list[str] = Field(default_factory=list)


class NotChecked(BaseModel):
    rule: str
    reason: str


class Evidence(BaseModel):
    """Why a key-point task counts as reported: the passage that addresses it (original offsets)
    and the task's terms found there."""

    rule: str
    checklist: str
    task_id: str
    task: str
    line: int
    start: int
    end: int
    excerpt: str
    hits: list[str]


class SourceInfo(BaseModel):
    path: str
    format: Literal["txt", "md", "docx", "html", "pdf"]
    encoding: str | None
    sha256: str


class DocumentInfo(BaseModel):
    title: str | None
    issuer: str | None
    issuer_kind: Literal["government", "department", "unknown"]
    year: int | None
    regime: Literal["ogi2007", "ogi2019-trial", "ogi2019"]
    script: Literal["simplified", "traditional"]
    published: str | None = None
    inferred: dict[str, str] = Field(default_factory=dict)


class Summary(BaseModel):
    score: int
    grade: str
    counts: dict[Severity, int]


class Report(BaseModel):
    schema_version: Literal[1] = 1
    source: SourceInfo
    document: DocumentInfo
    summary: Summary
    findings: list[Finding]
    not_checked: list[NotChecked] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
