"""Stage 7: the terminal report — findings grouped by part, with line, excerpt and suggestion.

Every value is shown on its line: line breaks in it (a multi-line excerpt, a path with a newline)
become spaces, and control characters are written as escapes (``\\x1b``), so that a draft or a
file name cannot move the cursor, clear the screen or recolour the terminal (ANSI sequences), nor
add lines that look like findings."""

from __future__ import annotations

import click

from compliance.models.findings import Report
from compliance.render import SEVERITY_LABELS, by_part, document_facts, inferences
from compliance.render import shown as _shown

_COLOURS = {"critical": "red", "major": "yellow", "minor": "cyan", "info": "white"}


def _header(report: Report, colour: bool) -> list[str]:
    document, summary = report.document, report.summary
    counts = " · ".join(f"{SEVERITY_LABELS[s]} {n}" for s, n in summary.counts.items())
    grade = click.style(summary.grade, bold=True) if colour else summary.grade
    lines = [
        f"{_shown(report.source.path)} — {_shown(document.title or '（无标题）')}",
        "  " + _shown(" · ".join(document_facts(document))),
        f"  得分 {summary.score} · {grade} · {counts}",
    ]
    lines += [f"  {_shown(inference)}" for inference in inferences(document)]
    return lines


def render_text(report: Report, colour: bool = False, detail: int = 1) -> str:
    """``detail`` 0: a line a finding; 1: with its excerpt and suggestion, and what was not
    checked; 2: with its basis and where it is in the text too."""
    lines = _header(report, colour)
    for part, findings in by_part(report.findings):
        lines += ["", _shown(part)]
        for finding in findings:
            label = f"{finding.rule} {SEVERITY_LABELS[finding.severity]}"
            if colour:
                label = click.style(label, fg=_COLOURS[finding.severity], bold=finding.severity == "critical")
            lines.append(f"  第{finding.line}行  {label}  {_shown(finding.message)}")
            if detail < 1:
                continue
            if finding.excerpt.strip():
                lines.append(f"      原文：{_shown(finding.excerpt.strip())}")
            lines.append(f"      建议：{_shown(finding.suggestion)}")
            if detail > 1:
                lines.append(f"      依据：{_shown(finding.basis)}")
                lines.append(f"      位置：第{finding.start}至{finding.end}字符")
    if not report.findings:
        lines += ["", "  未发现问题。"]
    if report.not_checked and detail > 0:
        lines += ["", "未检查："]
        lines += [f"  {item.rule}：{_shown(item.reason)}" for item in report.not_checked]
    return "\n".join(lines) + "\n"
