"""What the checker says of every seed, corpus, fixture and real-world document: the findings
(rule, severity, line, span, message, suggestion, edit), the 未检查 reasons and the grade. Held
by test_findings_unchanged.py, so that work on speed or structure cannot change a finding
unnoticed; a change that is meant is regenerated and reviewed in the diff:

    .venv/bin/python tests/golden/findings.py     # rewrites tests/golden/findings.json
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
SHARED = TESTS.parents[1] / "shared"
GOLDEN = HERE / "findings.json"


def documents() -> dict[str, tuple[Path, Path | None]]:
    """Name → (draft, last year's report or None), for the documents on this machine."""
    found: dict[str, tuple[Path, Path | None]] = {}
    for path in sorted((TESTS / "fixtures").glob("report_*.txt")):
        found[f"fixtures/{path.name}"] = (path, None)
    for path in sorted((TESTS / "realworld" / "docs").iterdir()):
        if path.suffix != ".yaml":
            found[f"realworld/{path.name}"] = (path, None)
    for folder in ("seeds", "corpus"):
        for path in sorted((SHARED / folder).glob("*")):
            if path.suffix in (".txt", ".pdf"):
                found[f"shared/{folder}/{path.name}"] = (path, None)
    last, this = SHARED / "corpus" / "huaian-hongze-2023.pdf", SHARED / "corpus" / "huaian-hongze-2024.txt"
    if last.exists() and this.exists():
        found["shared/corpus/huaian-hongze-2024.txt --previous huaian-hongze-2023.pdf"] = (this, last)
    return found


def said(path: Path, previous: Path | None) -> dict:
    from compliance.errors import ComplianceError
    from compliance.load import load
    from compliance.pipeline import check_source, previous_report

    try:
        last = previous_report(load(previous)) if previous else None
        report = check_source(load(path), previous=last)
    except ComplianceError as error:
        return {"error": error.reason if hasattr(error, "reason") else str(error)}
    return {
        "grade": [report.summary.score, report.summary.grade],
        "findings": [
            [f.rule, f.severity, f.line, f.start, f.end, f.message, f.suggestion, f.edit and f.edit.replacement]
            for f in report.findings
        ],
        "not_checked": [[n.rule, n.reason] for n in report.not_checked],
    }


def main() -> int:
    everything = {name: said(*paths) for name, paths in documents().items()}
    GOLDEN.write_text(json.dumps(everything, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    count = sum(len(v.get("findings", [])) for v in everything.values())
    print(f"{GOLDEN}: {len(everything)} documents, {count} findings")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(TESTS.parent))
    sys.exit(main())
