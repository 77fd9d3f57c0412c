"""Stage 7: SARIF 2.1.0 — one run for any number of checked drafts, for code-scanning dashboards
and editors.

Positions refer to the text as extracted (a .txt/.md file with its BOM dropped and line ends read
as \\n; for .docx/.pdf/.html, the extracted text the other reports quote). Columns and character
offsets count UTF-16 code units, which the run states (``columnKind``): a character outside the
Basic Multilingual Plane, such as a rare character in a name (𠮷), is two units."""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from importlib.metadata import version
from pathlib import PurePath
from typing import Any
from urllib.parse import quote

from compliance.models.findings import Finding, Report
from compliance.models.rulespec import RuleSpec
from compliance.rulebook import Rulebook, default_rulebook

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"critical": "error", "major": "error", "minor": "warning", "info": "note"}
# A replacement in the bytes of a .docx or .pdf would break the file: only plain text gets fixes.
_EDITABLE_FORMATS = {"txt", "md"}


_ASTRAL = re.compile("[\U00010000-\U0010ffff]")  # two UTF-16 code units each


class _Positions:
    """Offsets into one text → SARIF lines, columns and character offsets. The line starts and the
    characters outside the BMP are found once, so each finding costs a few binary searches however
    long the text or its lines (a crawler's page can be one line of megabytes)."""

    def __init__(self, text: str):
        self.text = text
        self.line_starts = [0] + [match.end() for match in re.finditer("\n", text)]
        self.astral = [match.start() for match in _ASTRAL.finditer(text)]

    def units(self, start: int, end: int) -> int:
        """Length of text[start:end] in UTF-16 code units."""
        return end - start + bisect_left(self.astral, end) - bisect_left(self.astral, start)

    def point(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.line_starts, offset)
        return line, self.units(self.line_starts[line - 1], offset) + 1

    def region(self, start: int, end: int, with_lines: bool = True) -> dict:
        region: dict[str, Any] = {"charOffset": self.units(0, start), "charLength": self.units(start, end)}
        if with_lines:
            (start_line, start_column), (end_line, end_column) = self.point(start), self.point(end)
            region = {
                "startLine": start_line,
                "startColumn": start_column,
                "endLine": end_line,
                "endColumn": end_column,
                **region,
                "snippet": {"text": self.text[start:end]},
            }
        return region


def _uri(path: str) -> str:
    pure = PurePath(path)
    return pure.as_uri() if pure.is_absolute() else quote(pure.as_posix())


def _rule(spec: RuleSpec, rulebook: Rulebook) -> dict:
    basis = [rulebook.basis[key] for key in spec.basis_keys()]
    text = f"检查什么：{spec.doc.what}\n为什么：{spec.doc.why}\n怎么改：{spec.doc.fix}\n依据：{'；'.join(basis)}"
    markdown = "\n\n".join(
        [
            f"**检查什么**：{spec.doc.what}",
            f"**为什么**：{spec.doc.why}",
            f"**怎么改**：{spec.doc.fix}",
            "**依据**：\n\n" + "\n".join(f"- {item}" for item in basis),
        ]
    )
    return {
        "id": spec.id,
        "name": spec.name,
        "shortDescription": {"text": spec.title},
        "fullDescription": {"text": spec.doc.what},
        "help": {"text": text, "markdown": markdown},
        "defaultConfiguration": {"level": LEVELS[spec.severity]},
        "properties": {"severity": spec.severity, "tags": [spec.family]},
    }


def _result(finding: Finding, index: int, rule_index: int, uri: str, positions: _Positions, editable: bool) -> dict:
    location = {"uri": uri, "index": index}
    result = {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": f"{finding.message}\n建议：{finding.suggestion}"},
        "locations": [
            {"physicalLocation": {"artifactLocation": location, "region": positions.region(finding.start, finding.end)}}
        ],
        "properties": {"severity": finding.severity, "part": finding.part, "basis": finding.basis},
    }
    if finding.edit and editable:
        edit = finding.edit
        result["fixes"] = [
            {
                "description": {"text": finding.suggestion},
                "artifactChanges": [
                    {
                        "artifactLocation": location,
                        "replacements": [
                            {
                                "deletedRegion": positions.region(edit.start, edit.end, with_lines=False),
                                "insertedContent": {"text": edit.replacement},
                            }
                        ],
                    }
                ],
                "properties": {"safe": edit.safe},
            }
        ]
    return result


def _not_checked(rule: str, reason: str, uri: str, index: int, rule_index: dict[str, int]) -> dict:
    return {
        "level": "note",
        "message": {"text": f"未检查 {rule}：{reason}"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri, "index": index}}}],
        "associatedRule": {"id": rule, "index": rule_index[rule]},
    }


def render_sarif(items: list[tuple[Report, str]], rulebook: Rulebook | None = None) -> str:
    """One SARIF log for the checked drafts: each item is a report and the text it was made from."""
    rulebook = rulebook or default_rulebook()
    specs = sorted(rulebook.rules.values(), key=lambda spec: spec.id)
    rule_index = {spec.id: index for index, spec in enumerate(specs)}
    artifacts, results, unchecked = [], [], []
    for index, (report, text) in enumerate(items):
        uri = _uri(report.source.path)
        artifact: dict[str, Any] = {"location": {"uri": uri}, "hashes": {"sha-256": report.source.sha256}}
        if report.source.encoding:
            artifact["encoding"] = report.source.encoding
        artifacts.append(artifact)
        positions = _Positions(text)
        editable = report.source.format in _EDITABLE_FORMATS
        results += [_result(f, index, rule_index[f.rule], uri, positions, editable) for f in report.findings]
        unchecked += [_not_checked(item.rule, item.reason, uri, index, rule_index) for item in report.not_checked]
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "ogi-compliance",
                        "version": version("ogi-compliance"),
                        "rules": [_rule(spec, rulebook) for spec in specs],
                    }
                },
                # What could not be checked is said, never skipped silently (checks.md).
                "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": unchecked}],
                "columnKind": "utf16CodeUnits",
                "artifacts": artifacts,
                "results": results,
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"
