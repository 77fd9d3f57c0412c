"""The whole flow, one document: load → normalise → parse → facts → rules → grade → report."""

from __future__ import annotations

from pathlib import Path

from compliance import engine, facts, grade, normalize, parse
from compliance.engine.locate import Locator
from compliance.errors import NotAReport
from compliance.keypoints.checklist import Checklist
from compliance.keypoints.evidence import evidence as keypoint_evidence
from compliance.keypoints.select import configured as configured_checklists
from compliance.load import load
from compliance.models.config import Config, Overrides
from compliance.models.findings import Report, SourceInfo
from compliance.models.source import Source
from compliance.models.tree import DocumentTree
from compliance.rulebook import Rulebook, default_rulebook, rulebook_for


def describe_source(source: Source, overrides: Overrides | None = None, rulebook: Rulebook | None = None):
    """Stages 2–4 only: the document description and the facts rules see."""
    rulebook = rulebook or default_rulebook()
    text = normalize.normalize(source.text)
    info, document_facts, _ = facts.extract(parse.parse(text.text), text, rulebook, overrides or Overrides())
    return info, document_facts


def previous_report(source: Source, rulebook: Rulebook | None = None) -> facts.PreviousReport:
    """Last year's report, read as far as a check of this year needs it (stages 2–4)."""
    rulebook = rulebook or default_rulebook()
    text = normalize.normalize(source.text)
    return facts.previous_report(source.path, parse.parse(text.text), text, rulebook)


def check_source(
    source: Source,
    config: Config | None = None,
    overrides: Overrides | None = None,
    rulebook: Rulebook | None = None,
    previous: facts.PreviousReport | None = None,
    keypoints: list[Checklist] | None = None,
    comparison: facts.Comparison | None = None,
) -> Report:
    return _check(source, config, overrides, rulebook, previous, keypoints, comparison)[0]


def check_and_fingerprint(
    source: Source,
    config: Config | None = None,
    overrides: Overrides | None = None,
    keypoints: list[Checklist] | None = None,
    comparison: facts.Comparison | None = None,
    rulebook: Rulebook | None = None,
) -> tuple[Report, facts.OtherReport]:
    """The check, and the report as others are compared with it for copied content (``screen``)."""
    report, tree = _check(source, config, overrides, rulebook, None, keypoints, comparison)
    return report, facts.other_report(source.path, report.document, tree)


def _check(source, config, overrides, rulebook, previous, keypoints, comparison) -> tuple[Report, DocumentTree]:
    config = config or Config()
    rulebook = rulebook or rulebook_for(config.rules)  # the caller's, else the shipped rules and the configured packs
    keypoints = keypoints if keypoints is not None else configured_checklists(config)
    text = normalize.normalize(source.text)  # 2
    tree = parse.parse(text.text)  # 3
    overrides = overrides or Overrides()
    if not overrides.force and (refusal := facts.not_a_report(tree, rulebook)):
        raise NotAReport(source.path, refusal)
    info, document_facts, unavailable = facts.extract(
        tree, text, rulebook, overrides, previous, checklists=keypoints, comparison=comparison
    )  # 4
    where = Locator(text, tree)
    findings, not_checked = engine.evaluate(document_facts, unavailable, rulebook, config, where)  # 5
    report = Report(
        source=SourceInfo(path=source.path, format=source.format, encoding=source.encoding, sha256=source.sha256),
        document=info,
        summary=grade.grade(findings, rulebook.grading, config),  # 6
        findings=findings,
        not_checked=not_checked,
        evidence=keypoint_evidence(document_facts, where, rulebook, config),
    )
    return report, tree


def check(
    path: str | Path, config: Config | None = None, overrides: Overrides | None = None, previous: str | Path | None = None
) -> Report:
    last = previous_report(load(previous)) if previous else None
    return check_source(load(path), config, overrides, previous=last)  # 1
