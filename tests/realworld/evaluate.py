"""Precision and recall of the checker on real published reports (tests/realworld/README.md).

    python tests/realworld/evaluate.py            # the table per rule and per severity
    python tests/realworld/evaluate.py -v         # and every false alarm and miss, per document
    python tests/realworld/evaluate.py --doc NAME # one document: every finding with its verdict

Each document under docs/ has a label file beside it (NAME.yaml): ``findings`` lists what the
checker must say (a real defect), ``false_alarms`` what it must not say, ``ignore`` the rules not
measured on it (with the reason). A finding is a true positive when a ``findings`` entry matches
it (same rule; its line, excerpt and message fragment, where given, agree), a false positive
otherwise; an entry no finding matches is a miss. Negative documents (``document.kind``: not an
annual report) must be refused, which counts for the rule NOT-A-REPORT."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
DOCS = HERE / "docs"
SHARED = HERE.parents[2] / "shared"
SEVERITIES = ("critical", "major", "minor", "info")
REFUSAL = "NOT-A-REPORT"


@dataclass
class Entry:
    rule: str
    line: int | None = None
    excerpt: str | None = None
    message: str | None = None
    why: str = ""

    def matches(self, finding, text: str) -> bool:
        if finding.rule != self.rule:
            return False
        if self.line is not None and finding.line != self.line:
            return False
        if self.message and self.message not in finding.message:
            return False
        if self.excerpt:
            span = text[finding.start : max(finding.end, finding.start + 1)]
            near = [
                i
                for i in _occurrences(text, self.excerpt)
                if i < finding.end + 1 and finding.start < i + len(self.excerpt) + 1
            ]
            if not (
                near
                or self.excerpt in finding.excerpt
                or (finding.excerpt and finding.excerpt in self.excerpt)
                or self.excerpt in span
            ):
                return False
        return True


def _occurrences(text: str, needle: str) -> list[int]:
    found, at = [], text.find(needle)
    while at >= 0:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def _entries(raw: list[dict] | None) -> list[Entry]:
    entries = []
    for item in raw or []:
        lines = item.get("lines")
        base = {k: item.get(k) for k in ("rule", "excerpt", "message")} | {"why": item.get("why", "")}
        if lines:
            entries += [Entry(line=line, **base) for line in lines]
        else:
            entries.append(Entry(line=item.get("line"), **base))
    return entries


@dataclass
class Labels:
    name: str
    path: Path | None
    data: dict
    findings: list[Entry]
    false_alarms: list[Entry]
    ignore: list[Entry]  # rule, and a message fragment when only some of its findings are artifacts

    @property
    def negative(self) -> bool:
        return bool((self.data.get("document") or {}).get("kind"))


def document_path(label_file: Path, data: dict) -> Path | None:
    """The document a label file describes: ``file:`` (``shared:`` for ../shared), else the
    file of the same stem beside it; None when it is not on this machine."""
    named = data.get("file")
    if named:
        path = SHARED / named.split(":", 1)[1] if named.startswith("shared:") else label_file.parent / named
        return path if path.exists() else None
    candidates = [p for p in label_file.parent.glob(label_file.stem + ".*") if p.suffix != ".yaml"]
    return candidates[0] if candidates else None


def labels() -> list[Labels]:
    found = []
    for label_file in sorted(DOCS.glob("*.yaml")):
        data = yaml.safe_load(label_file.read_text(encoding="utf-8")) or {}
        ignore = [
            Entry(item) if isinstance(item, str) else Entry(item["rule"], message=item.get("message"))
            for item in data.get("ignore") or []
        ]
        found.append(
            Labels(
                label_file.stem,
                document_path(label_file, data),
                data,
                _entries(data.get("findings")),
                _entries(data.get("false_alarms")),
                ignore,
            )
        )
    return found


@dataclass
class Verdicts:
    """What one document's check got right and wrong."""

    name: str
    true: list = field(default_factory=list)  # (finding, entry)
    false: list = field(default_factory=list)  # (finding, known false-alarm entry or None)
    missed: list = field(default_factory=list)  # entries
    ignored: list = field(default_factory=list)
    refused: str | None = None  # the reason, when the checker refused the document


def judge(label: Labels, check) -> Verdicts:
    """Check one labelled document (``check(path) -> (report, text)``, raising on refusal)."""
    from compliance.errors import ComplianceError

    verdicts = Verdicts(label.name)
    try:
        report, text = check(label.path)
    except ComplianceError as error:
        verdicts.refused = str(error)
        refusal = _Refusal(str(error))
        if label.negative:
            verdicts.true.append((refusal, Entry(REFUSAL)))
        else:
            verdicts.false.append((refusal, next((e for e in label.false_alarms if e.rule == REFUSAL), None)))
            verdicts.missed += label.findings
        return verdicts
    if label.negative:
        verdicts.missed.append(Entry(REFUSAL, why="not an annual report: must be refused"))
    open_entries = list(label.findings)
    for finding in report.findings:
        if any(e.matches(finding, text) for e in label.ignore):
            verdicts.ignored.append(finding)
            continue
        entry = next((e for e in open_entries if e.matches(finding, text)), None)
        if entry is not None:
            open_entries.remove(entry)
            verdicts.true.append((finding, entry))
        else:
            known = next((e for e in label.false_alarms if e.matches(finding, text)), None)
            verdicts.false.append((finding, known))
    verdicts.missed += open_entries
    return verdicts


@dataclass
class _Refusal:
    """A refusal ("not an annual report") counted as a finding of its own rule."""

    message: str
    rule: str = REFUSAL
    severity: str = "critical"
    line: int = 0
    excerpt: str = ""
    suggestion: str = ""


def _checker():
    from compliance.load import load
    from compliance.pipeline import check_source

    def check(path: Path):
        source = load(path)
        return check_source(source), source.text

    return check


def evaluate(selected: list[Labels] | None = None) -> tuple[list[Verdicts], list[Labels]]:
    """Verdicts for every labelled document on this machine, and the labels skipped (absent)."""
    check = _checker()
    chosen = selected if selected is not None else labels()
    present = [label for label in chosen if label.path is not None]
    return [judge(label, check) for label in present], [label for label in chosen if label.path is None]


def tally(verdicts: list[Verdicts]) -> tuple[dict[str, Counter], dict[str, Counter]]:
    """Counts of true and false positives and misses, per rule and per severity."""
    by_rule: dict[str, Counter] = {}
    by_severity: dict[str, Counter] = {s: Counter() for s in SEVERITIES}
    for verdict in verdicts:
        for finding, _ in verdict.true:
            by_rule.setdefault(finding.rule, Counter())["tp"] += 1
            by_severity[finding.severity]["tp"] += 1
        for finding, _ in verdict.false:
            by_rule.setdefault(finding.rule, Counter())["fp"] += 1
            by_severity[finding.severity]["fp"] += 1
        for entry in verdict.missed:
            by_rule.setdefault(entry.rule, Counter())["fn"] += 1
    return by_rule, by_severity


def precision(counts: Counter) -> float | None:
    total = counts["tp"] + counts["fp"]
    return counts["tp"] / total if total else None


def recall(counts: Counter) -> float | None:
    total = counts["tp"] + counts["fn"]
    return counts["tp"] / total if total else None


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def table(verdicts: list[Verdicts]) -> str:
    by_rule, by_severity = tally(verdicts)
    overall = sum(by_severity.values(), Counter())
    for verdict in verdicts:  # misses have no severity of their own: count them overall
        overall["fn"] += len(verdict.missed)
    lines = ["| rule | true positives | false positives | misses | precision | recall |", "|---|---|---|---|---|---|"]
    for rule in sorted(by_rule):
        c = by_rule[rule]
        lines.append(f"| {rule} | {c['tp']} | {c['fp']} | {c['fn']} | {_fmt(precision(c))} | {_fmt(recall(c))} |")
    lines += ["", "| severity | true positives | false positives | precision |", "|---|---|---|---|"]
    for severity in SEVERITIES:
        c = by_severity[severity]
        lines.append(f"| {severity} | {c['tp']} | {c['fp']} | {_fmt(precision(c))} |")
    lines.append(f"| all | {overall['tp']} | {overall['fp']} | {_fmt(precision(overall))} |")
    lines.append("")
    lines.append(f"{len(verdicts)} documents; {overall['fn']} labelled defects missed; recall {_fmt(recall(overall))}")
    return "\n".join(lines)


def _describe(finding) -> str:
    return f"{finding.rule} {finding.severity} L{finding.line} «{finding.excerpt[:30]}» {finding.message[:90]}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list every false alarm and miss")
    parser.add_argument("--doc", help="one document (its name): every finding with its verdict")
    args = parser.parse_args(argv)
    chosen = [label for label in labels() if args.doc is None or label.name == args.doc]
    verdicts, absent = evaluate(chosen)
    if args.doc:
        for verdict in verdicts:
            if verdict.refused:
                print("refused:", verdict.refused)
            rows = [("TP", f) for f, _ in verdict.true] + [
                ("FP" + (" known" if k else ""), f) for f, k in verdict.false
            ]
            rows += [("ignored", f) for f in verdict.ignored]
            for verdict_name, finding in sorted(rows, key=lambda r: (r[1].line, r[1].rule)):
                print(
                    f"{verdict_name}\t{finding.rule} {finding.severity} line {finding.line} excerpt «{finding.excerpt}»"
                )
                print(f"\t{finding.message}\n\t建议：{finding.suggestion}")
            for entry in verdict.missed:
                print(
                    f"FN (labelled, not found)\t{entry.rule} line {entry.line} excerpt «{entry.excerpt}» "
                    f"message «{entry.message}» — {entry.why}"
                )
        return 0
    print(table(verdicts))
    if absent:
        print(
            f"{len(absent)} labelled documents not on this machine (../shared missing?): "
            + ", ".join(a.name for a in absent)
        )
    if args.verbose:
        for verdict in verdicts:
            if verdict.false or verdict.missed:
                print(f"\n{verdict.name}")
                for finding, known in verdict.false:
                    print("  FP", _describe(finding), "(known)" if known else "")
                for entry in verdict.missed:
                    print("  FN", entry.rule, entry.line, entry.excerpt, entry.message, entry.why[:80])
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parents[1]))
    sys.exit(main())
