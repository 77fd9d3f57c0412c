"""The whole flow: a document is read (load → normalise → parse: ``read``); a report then goes
through facts → rules → grade → report (``check_source``), a key-point document becomes a
checklist (``read_checklist``). Only this module chains the stages."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from compliance import engine, facts, grade, normalize, parse
from compliance.checklists.extract import extract as extract_checklist
from compliance.checklists.files import ChecklistError, load_checklist, shipped
from compliance.engine.locate import Locator
from compliance.errors import NotAReport
from compliance.i18n import _
from compliance.load import load
from compliance.models.checklist import Checklist
from compliance.models.config import Config, Overrides
from compliance.models.findings import Report, SourceInfo
from compliance.models.source import Source
from compliance.models.text import NormalizedText
from compliance.models.tree import DocumentTree
from compliance.rulebook import Rulebook, default_rulebook, rulebook_for


@dataclass(frozen=True)
class Reading:
    """A document through stages 1–3: its source, its normalised text, and its tree (parsed when
    first asked for: ``fix`` needs only the text)."""

    source: Source
    text: NormalizedText

    @cached_property
    def tree(self) -> DocumentTree:
        return parse.parse(self.text.text)  # 3


def read(source: Source | str | Path) -> Reading:
    """Stages 1–3: a file (or a source already loaded) read."""
    source = source if isinstance(source, Source) else load(source)  # 1
    return Reading(source, normalize.normalize(source.text))  # 2


def describe_source(source: Source, overrides: Overrides | None = None, rulebook: Rulebook | None = None):
    """Stages 1–4 only: the document description and the facts rules see."""
    reading = read(source)
    info, document_facts, _ = facts.extract(
        reading.tree, reading.text, rulebook or default_rulebook(), overrides or Overrides()
    )
    return info, document_facts


def previous_report(source: Source, rulebook: Rulebook | None = None) -> facts.PreviousReport:
    """Last year's report, read as far as a check of this year needs it (stages 1–4)."""
    reading = read(source)
    return facts.previous_report(source.path, reading.tree, reading.text, rulebook or default_rulebook())


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
    reading = read(source)  # 1–3
    text, tree = reading.text, reading.tree
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
        evidence=engine.evidence(document_facts, rulebook, config, where),
    )
    return report, tree


def check(
    path: str | Path,
    config: Config | None = None,
    overrides: Overrides | None = None,
    previous: str | Path | None = None,
) -> Report:
    last = previous_report(load(previous)) if previous else None
    return check_source(load(path), config, overrides, previous=last)  # 1


# Key points: the checklists a check is given (--keypoints, configuration).


def read_checklist(path: str | Path) -> Checklist:
    """A key-point document (any format the loaders read) → its checklist."""
    reading = read(path)
    return extract_checklist(reading.tree, reading.text.text, str(path))


def checklist(spec: str | Path) -> Checklist:
    """``--keypoints NAME|FILE``: a checklist file (.yaml/.yml/.json), a key-point document in any
    format the loaders read (extracted on the fly), or the name of a checklist shipped under
    rules/keypoints/."""
    file = Path(spec)
    if file.is_file():
        if file.suffix.lower() in (".yaml", ".yml", ".json"):
            return load_checklist(file)
        return read_checklist(file)
    known = shipped()
    if str(spec) in known:
        return load_checklist(known[str(spec)])
    names = _("、").join(known) or _("无")
    raise ChecklistError(str(spec), _("既不是清单文件，也不是自带的清单（自带：{names}）").format(names=names))


@lru_cache(maxsize=64)
def _cached(spec: str, stamp: float) -> Checklist:
    return checklist(spec)


def configured_checklists(config: Config) -> list[Checklist] | None:
    """The checklists the configuration's ``keypoints`` entries name, each limited to reports of
    its year and (when given) jurisdiction; None when there are none. Each is read once per
    process (per file version), not once per report."""
    selected = []
    for entry in config.keypoints:
        file = Path(entry.checklist)
        chosen = _cached(entry.checklist, file.stat().st_mtime if file.is_file() else 0.0).model_copy()
        if entry.year is not None and entry.year != chosen.year:
            raise ChecklistError(
                entry.checklist,
                _("配置为 {configured} 年，但清单是 {year} 年的").format(configured=entry.year, year=chosen.year),
            )
        places = [entry.jurisdiction] if isinstance(entry.jurisdiction, str) else list(entry.jurisdiction or [])
        chosen.only_for = places
        chosen.name = chosen.name or Path(entry.checklist).stem
        selected.append(chosen)
    return selected or None
