"""User configuration: ``[tool.compliance]`` in pyproject.toml or a compliance.toml, and CLI flags."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from compliance.models.facts import IssuerKind, Regime
from compliance.models.findings import Severity


class Overrides(BaseModel):
    """What the user states about the draft, beating what the checker infers."""

    model_config = ConfigDict(extra="forbid")

    year: int | None = None
    issuer_kind: IssuerKind | None = None
    regime: Regime | None = None
    force: bool = False  # check it as an annual report even when it looks like something else


class GradeThreshold(BaseModel):
    model_config = ConfigDict(extra="forbid")

    grade: str
    min_score: int


class KeypointSelection(BaseModel):
    """``[[tool.compliance.keypoints]]``: check reports of ``year`` whose issuer or title names
    ``jurisdiction`` against ``checklist`` (a shipped checklist name or a file)."""

    model_config = ConfigDict(extra="forbid")

    checklist: str
    jurisdiction: str | list[str] | None = None
    year: int | None = None


class Limits(BaseModel):
    """How much one input may hold (issue 14): beyond a limit the loader refuses the file in one
    line naming the limit (``InputTooLarge``) instead of reading it for minutes or into gigabytes.
    ``[tool.compliance.limits]``; ``compliance.load.load(path, limits)``."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    # the file as given; and the text extracted from it (a real report has under 200 000 characters)
    max_input_mb: float = Field(default=20, gt=0, alias="max-input-mb")
    max_text_chars: int = Field(default=1_000_000, gt=0, alias="max-text-chars")
    # what a .docx (its zip members' declared sizes) or a PDF (its compressed streams) unpacks to,
    # in all; and how much more than its packed size one part of over a megabyte may unpack to
    max_unpacked_mb: float = Field(default=50, gt=0, alias="max-unpacked-mb")
    max_ratio: float = Field(default=100, gt=0, alias="max-ratio")
    max_docx_entries: int = Field(default=1_000, gt=0, alias="max-docx-entries")
    # pages of a PDF; the operations of one page (content-stream operands and saved states, the
    # strings, glyphs, paths and images drawn: a real report's page with tables has under 10 000),
    # and of all its pages
    max_pdf_pages: int = Field(default=500, gt=0, alias="max-pdf-pages")
    max_pdf_page_operations: int = Field(default=200_000, gt=0, alias="max-pdf-page-operations")
    max_pdf_operations: int = Field(default=2_000_000, gt=0, alias="max-pdf-operations")

    @property
    def max_input_bytes(self) -> int:
        return int(self.max_input_mb * 1024 * 1024)

    @property
    def max_unpacked_bytes(self) -> int:
        return int(self.max_unpacked_mb * 1024 * 1024)


def selections(values: str | Iterable[str]) -> list[str]:
    """Rule selections as given (``--select STRUCT,TIME``, ``select = ["STRUCT, TIME"]``): one per
    comma (or full-width comma), blanks dropped."""
    items = [values] if isinstance(values, str) else values
    return [part.strip() for item in items for part in str(item).replace("，", ",").split(",") if part.strip()]


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    severity: dict[str, Severity] = Field(default_factory=dict)
    fail_on: Severity = Field(default="critical", alias="fail-on")
    grade_levels: list[GradeThreshold] | None = Field(default=None, alias="grade-levels")
    critical_fails: bool | None = Field(default=None, alias="critical-fails")
    keypoints: list[KeypointSelection] = Field(default_factory=list)
    limits: Limits = Field(default_factory=Limits)
    # Rule packs (folders of rule files, basis and mention sets) on top of the shipped rules/, in
    # order; relative paths are relative to the configuration file (compliance.config).
    rules: list[Path] = Field(default_factory=list)
    # The rules engine: durable-rules where it imports (not on Python 3.13+), else the Python one;
    # both give the same findings (compliance.engine.backends).
    engine: Literal["auto", "durable", "python"] = "auto"

    @field_validator("select", "ignore", mode="before")
    @classmethod
    def _comma_lists(cls, value: Any) -> Any:
        return selections(value) if isinstance(value, (str, list, tuple)) else value

    def selects(self, rule_id: str, rule_name: str) -> bool:
        """select/ignore take ids, family prefixes (STYLE) or rule names."""

        def matches(pattern: str) -> bool:
            return rule_id == pattern or rule_name == pattern or rule_id.startswith(pattern + "-")

        if self.select and not any(matches(p) for p in self.select):
            return False
        return not any(matches(p) for p in self.ignore)
