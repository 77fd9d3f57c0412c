"""Stage 7: GitHub Actions annotations (``--format github``): one workflow command a finding,
``::error file=…,line=…,col=…,title=…::message``, which a workflow run shows on the file's line.

Critical and major findings are errors, minor ones warnings, hints notices. Values are escaped as
the runner reads them (``%``, line breaks; and in properties ``:`` and ``,``), so a draft's text
cannot end an annotation or start another command."""

from __future__ import annotations

from compliance.models.findings import Report

_LEVELS = {"critical": "error", "major": "error", "minor": "warning", "info": "notice"}


def _data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(value: str) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report, text: str) -> str:
    lines = []
    for finding in report.findings:
        column = finding.start - (text.rfind("\n", 0, finding.start) + 1) + 1
        where = f"file={_property(report.source.path)},line={finding.line},col={column}"
        title = _property(f"{finding.rule} {finding.severity}")
        said = _data(f"{finding.message}。建议：{finding.suggestion}")
        lines.append(f"::{_LEVELS[finding.severity]} {where},title={title}::{said}")
    return "".join(line + "\n" for line in lines)
