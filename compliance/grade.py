"""Stage 6: findings → score, grade and counts, by the policy of ``rules/grading.yaml``.

Score = 100 − Σ over rules of min(cap_per_rule, Σ weights of the rule's findings); info never
deducts. The grade is the first level whose ``min_score`` the score reaches, except that any
critical finding gives the failing grade when ``critical_fails`` (the default)."""

from __future__ import annotations

from collections import defaultdict

from compliance.models.config import Config
from compliance.models.findings import SEVERITIES, Finding, Summary
from compliance.models.rulespec import Grading


def grade(findings: list[Finding], grading: Grading, config: Config) -> Summary:
    counts = {severity: 0 for severity in SEVERITIES}
    deductions: dict[str, int] = defaultdict(int)
    for finding in findings:
        counts[finding.severity] += 1
        deductions[finding.rule] += grading.weights[finding.severity]
    score = max(0, 100 - sum(min(grading.cap_per_rule, d) for d in deductions.values()))
    levels = (
        [(level.grade, level.min_score) for level in config.grade_levels]
        if config.grade_levels
        else [(str(level["grade"]), int(level["min_score"])) for level in grading.levels]
    )
    critical_fails = grading.critical_fails if config.critical_fails is None else config.critical_fails
    if critical_fails and counts["critical"]:
        label = grading.failing_grade
    else:
        label = next((name for name, minimum in sorted(levels, key=lambda x: -x[1]) if score >= minimum), levels[-1][0])
    return Summary(score=score, grade=label, counts=counts)
