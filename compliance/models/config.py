"""User configuration: ``[tool.compliance]`` in pyproject.toml or a compliance.toml, and CLI flags."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

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


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    severity: dict[str, Severity] = Field(default_factory=dict)
    fail_on: Severity = Field(default="critical", alias="fail-on")
    grade_levels: list[GradeThreshold] | None = Field(default=None, alias="grade-levels")
    critical_fails: bool | None = Field(default=None, alias="critical-fails")
    keypoints: list[KeypointSelection] = Field(default_factory=list)

    def selects(self, rule_id: str, rule_name: str) -> bool:
        """select/ignore take ids, family prefixes (STYLE) or rule names."""

        def matches(pattern: str) -> bool:
            return rule_id == pattern or rule_name == pattern or rule_id.startswith(pattern + "-")

        if self.select and not any(matches(p) for p in self.select):
            return False
        return not any(matches(p) for p in self.ignore)
