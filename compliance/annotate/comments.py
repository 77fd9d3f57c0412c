"""Findings as Word comments (批注), each anchored on the characters it is about.

A finding with a span is anchored on the span's runs (over several paragraphs or cells: from the
first run to the last); one about something absent (an empty span), or whose span no run holds,
on the line or cell at its place — a whole-document finding (at offset 0) so on the title."""

from __future__ import annotations

from datetime import datetime

from docx.text.run import Run

from compliance.annotate.runs import Runs
from compliance.i18n import _
from compliance.models.findings import Finding
from compliance.render import SEVERITY_LABELS


def text_of(finding: Finding) -> str:
    """Severity, rule and message; the suggestion; the basis up to its quoted content."""
    return "\n".join(
        [
            f"【{SEVERITY_LABELS[finding.severity]}】{finding.rule}：{finding.message}",
            _("建议：{suggestion}").format(suggestion=finding.suggestion),
            _("依据：{basis}").format(basis=finding.basis.split("：", 1)[0]),
        ]
    )


def _line(text: str, offset: int) -> tuple[int, int]:
    return text.rfind("\n", 0, offset) + 1, len(text) if (end := text.find("\n", offset)) < 0 else end


def anchor(finding: Finding, runs: Runs, text: str) -> tuple[int, int] | None:
    """The span of ``text`` the comment is anchored on; None when no run holds any of the draft."""
    if runs.traced(finding.start, finding.end):
        return finding.start, finding.end
    if not runs.where:
        return None
    start, end = _line(text, finding.start)  # at a line's end: that line
    if not runs.traced(start, end):  # a blank line: the next one that has text
        after = [offset for offset in runs.where if offset >= finding.start]
        start, end = _line(text, min(after) if after else max(runs.where))
    return start, end


def add_comments(
    document, runs: Runs, commented: list[tuple[Finding, tuple[int, int]]], author: str, initials: str, when: datetime
) -> None:
    """One comment per finding on its span (``runs`` already split at every span's ends)."""
    for finding, (start, end) in commented:
        held = runs.runs(start, end)
        comment = document.add_comment(
            [Run(held[0], document), Run(held[-1], document)], text_of(finding), author=author, initials=initials
        )
        comment._comment_elm.date = when  # python-docx stamps the time of the call and offers no setter
