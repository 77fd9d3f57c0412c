"""Stage 7: the findings as a Markdown document — header, grade, counts, then the findings grouped
by part with line, rule, severity, message, 原文 and 建议.

Draft text and messages are escaped (the characters that start inline Markdown or HTML
backslashed, line breaks flattened; every value follows a list marker or heading marker, so
line-start syntax cannot apply), so a draft containing Markdown or HTML cannot change the report's
structure or inject markup into a page that renders it. The file's path is a code span whose
control characters (a line break in a file name) are written as escapes (``\\n``), so that it
stays on its line."""

from __future__ import annotations

import re

from compliance.models.findings import SEVERITIES, Report
from compliance.render import SEVERITY_LABELS, by_part, document_facts, inferences

_INLINE = re.compile(r"([\\`*_\[\]<>&~|])")
# Line breaks and the other characters some readers break lines at (form feed, vertical tab, the
# file/group/record/unit separators, NEL, the Unicode line and paragraph separators).
_BREAKS = re.compile(r"\s*[\t\n\r\x0b\x0c\x1c-\x1f\x85\u2028\u2029]+\s*")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")  # no text: dropped
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def escape(text: str) -> str:
    return _INLINE.sub(r"\\\1", _BREAKS.sub(" ", _CONTROLS.sub("", text.strip())))


def code(text: str) -> str:
    """A code span that no backtick inside can close, on one line: control characters are
    written as Python writes them in a string (``\\n``, ``\\x1b``)."""
    text = _UNPRINTABLE.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}"


def render_markdown(report: Report) -> str:
    document, summary = report.document, report.summary
    counts = " · ".join(f"{SEVERITY_LABELS[s]} {summary.counts.get(s, 0)}" for s in SEVERITIES)
    lines = [
        f"# 合规检查报告：{escape(document.title or '（无标题）')}",
        "",
        f"- 文件：{code(report.source.path)}",
        f"- 报告：{escape(' · '.join(document_facts(document)))}",
        f"- 等级：**{escape(summary.grade)}**（得分 {summary.score}）",
        f"- 问题：{counts}",
    ]
    lines += [f"- {escape(inference)}" for inference in inferences(document)]
    for part, findings in by_part(report.findings):
        lines += ["", f"## {escape(part)}", ""]
        for finding in findings:
            lines.append(
                f"- **{SEVERITY_LABELS[finding.severity]}** `{finding.rule}` "
                f"第{finding.line}行：{escape(finding.message)}"
            )
            if finding.excerpt.strip():
                lines.append(f"  - 原文：{escape(finding.excerpt)}")
            lines.append(f"  - 建议：{escape(finding.suggestion)}")
    if not report.findings:
        lines += ["", "未发现问题。"]
    if report.not_checked:
        lines += ["", "## 未检查", ""]
        lines += [f"- `{item.rule}`：{escape(item.reason)}" for item in report.not_checked]
    return "\n".join(lines) + "\n"
