"""Stage 6: findings → score, grade and counts, by the policy of ``rules/grading.yaml``.

Score = 100 − Σ over severities of min(cap_per_severity, Σ over the severity's rules of
min(cap_per_rule, Σ weights of the rule's findings)); info never deducts. The severity cap keeps
many small matters of form (one STYLE-PUNCT finding per line) from failing a report on its own.
The grade is the first level whose ``min_score`` the score reaches, except that any
critical finding gives the failing grade when ``critical_fails`` (the default)."""

from __future__ import annotations

from collections import defaultdict

from compliance.models.config import Config
from compliance.models.findings import SEVERITIES, Finding, Severity, Summary
from compliance.models.rulespec import Grading


def grade(findings: list[Finding], grading: Grading, config: Config) -> Summary:
    counts = dict.fromkeys(SEVERITIES, 0)
    by_rule: dict[tuple[Severity, str], int] = defaultdict(int)  # (severity, rule) → weights
    for finding in findings:
        counts[finding.severity] += 1
        by_rule[finding.severity, finding.rule] += grading.weights[finding.severity]
    by_severity: dict[Severity, int] = defaultdict(int)
    for (severity, _), weight in by_rule.items():
        by_severity[severity] += min(grading.cap_per_rule, weight)
    deduction = sum(min(grading.cap_per_severity.get(s, total), total) for s, total in by_severity.items())
    score = max(0, 100 - deduction)
    levels = _levels(grading, config)
    critical_fails = grading.critical_fails if config.critical_fails is None else config.critical_fails
    if critical_fails and counts["critical"]:
        label = grading.failing_grade
    else:
        label = next((name for name, minimum in levels if score >= minimum), levels[-1][0])
    return Summary(score=score, grade=label, counts=counts)


def _levels(grading: Grading, config: Config) -> list[tuple[str, int]]:
    """(grade, min_score), best first: the configured levels, else those of grading.yaml."""
    levels = (
        [(level.grade, level.min_score) for level in config.grade_levels]
        if config.grade_levels
        else [(str(level["grade"]), int(level["min_score"])) for level in grading.levels]
    )
    return sorted(levels, key=lambda level: -level[1])


def grades(grading: Grading, config: Config) -> list[str]:
    """Every grade a report can get, best first (for summaries)."""
    names = [name for name, _ in _levels(grading, config)]
    return names + [grading.failing_grade] * (grading.failing_grade not in names)


def fails(summary: Summary, grading: Grading, config: Config) -> bool:
    """The report failed: the lowest level, or the failing grade a critical finding gives."""
    return summary.grade in (grading.failing_grade, _levels(grading, config)[-1][0])
