"""``compliance rules test DIR``: a rule pack's cases and examples, run on the pack's rulebook.

The cases of rule ``ID`` are ``DIR/tests/<family>/ID.yaml`` — the format of the shipped cases
(tests/rules/, README there): ``rule`` and a list of ``cases``, each a draft (``text``, or ``file``
relative to the pack folder, in any format the checker reads) with ``context`` (year,
issuer_kind, regime), ``previous``/``previous_file`` (last year's report), ``keypoints`` (shipped
checklist names or files), ``expect: fail|pass`` and optionally ``count``, ``excerpts`` (each
finding's excerpt), ``messages`` (a fragment of each finding's message) and ``fixed`` (the text
after the rule's edits). Each rule's own ``examples`` run too: ``fail`` must fire it, ``pass``
must not. A pack rule without a case file, or a case file without its rule, is a failure."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from compliance.edits import apply_edits
from compliance.errors import ComplianceError, RuleFileError
from compliance.i18n import _
from compliance.load import load
from compliance.models.config import Config, Overrides
from compliance.models.source import Source
from compliance.pipeline import check_source, checklist, previous_report
from compliance.resources import read_yaml, validated
from compliance.rulebook import PACK_CASES, PLACEHOLDER, Rulebook, unfilled


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    text: str | None = None
    file: str | None = None
    context: dict[str, Any] = Field(default_factory=dict)
    previous: str | None = None
    previous_file: str | None = None
    keypoints: str | list[str] | None = None
    expect: Literal["fail", "pass"]
    count: int | None = None
    excerpts: list[str] | None = None
    messages: list[str] = Field(default_factory=list)
    fixed: str | None = None


class CaseFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rule: str
    cases: list[Case] = Field(min_length=1)


@dataclass
class Outcome:
    rule: str
    name: str
    problem: str | None = None  # None: the case holds

    @property
    def ok(self) -> bool:
        return self.problem is None


def _source(text: str, name: str) -> Source:
    return Source(
        path=name, format="txt", encoding="utf-8", sha256=hashlib.sha256(text.encode()).hexdigest(), text=text
    )


def _draft(pack: Path, text: str | None, file: str | None, what: str) -> Source | None:
    if file is not None:
        return load(pack / file)
    return _source(text, f"<{what}>") if text is not None else None


def _check(rulebook: Rulebook, source: Source, context: dict, previous: Source | None = None, keypoints=None):
    last = previous_report(previous, rulebook) if previous is not None else None
    checklists = (
        None
        if keypoints is None
        else [checklist(k) for k in ([keypoints] if isinstance(keypoints, str) else keypoints)]
    )
    return check_source(source, Config(), Overrides(**context), rulebook, previous=last, keypoints=checklists)


def _verdict(case: Case, source: Source, found: list) -> str | None:
    """What is wrong with the findings of the rule on the case, or None."""
    messages = "；".join(f.message for f in found)
    if case.expect == "pass":
        return _("应无问题，却有 {count} 个：{messages}").format(count=len(found), messages=messages) if found else None
    if not found:
        return _("应有问题，却没有")
    if case.count is not None and len(found) != case.count:
        return _("应有 {expected} 个问题，却有 {count} 个：{messages}").format(
            expected=case.count, count=len(found), messages=messages
        )
    if case.excerpts is not None and [f.excerpt for f in found] != case.excerpts:
        return _("摘录 {found} 不是 {expected}").format(found=[f.excerpt for f in found], expected=case.excerpts)
    for finding, fragment in zip(found, case.messages):
        if fragment not in finding.message:
            return _("说明 {message} 不含 {fragment}").format(message=repr(finding.message), fragment=repr(fragment))
    if case.fixed is not None:
        fixed = apply_edits(source.text, [f.edit for f in found if f.edit], unsafe=True)
        if fixed != case.fixed:
            return _("修改后的文本不是 'fixed'：{fixed}").format(fixed=repr(fixed))
    return None


def run_case(rulebook: Rulebook, rule: str, case: Case, pack: Path) -> Outcome:
    try:
        source = _draft(pack, case.text, case.file, "text")
        if source is None:
            return Outcome(rule, case.name, _("用例需要 text 或 file"))
        previous = _draft(pack, case.previous, case.previous_file, "previous")
        report = _check(rulebook, source, case.context, previous, case.keypoints)
    except ComplianceError as error:
        return Outcome(rule, case.name, str(error))
    return Outcome(rule, case.name, _verdict(case, source, [f for f in report.findings if f.rule == rule]))


def run_examples(rulebook: Rulebook, rule: str) -> list[Outcome]:
    examples = rulebook.rules[rule].examples
    previous = _source(examples.previous, "<previous>") if examples.previous is not None else None
    outcomes = []
    for name, text, fires in (("examples.fail", examples.fail, True), ("examples.pass", examples.pass_, False)):
        try:
            report = _check(rulebook, _source(text, f"<{name}>"), examples.context, previous)
        except ComplianceError as error:
            outcomes.append(Outcome(rule, name, str(error)))
            continue
        fired = any(f.rule == rule for f in report.findings)
        problem = None if fired == fires else _("没有触发规则") if fires else _("触发了规则")
        outcomes.append(Outcome(rule, name, problem))
    return outcomes


def case_files(pack: Path) -> dict[str, tuple[Path, CaseFile]]:
    """rule id → (path, cases) of the pack's case files; a malformed one is a RuleFileError."""
    found: dict[str, tuple[Path, CaseFile]] = {}
    for path in sorted((pack / PACK_CASES).rglob("*.yaml")):
        data = read_yaml(path)
        if (field := unfilled(data)) is not None:
            raise RuleFileError(
                str(path), _("占位符 {placeholder}…】尚未填写").format(placeholder=PLACEHOLDER), field=field
            )
        cases = validated(CaseFile, path, data)
        found[cases.rule] = (path, cases)
    return found


def check_pack(rulebook: Rulebook, pack: Path) -> list[Outcome]:
    """Every case and example of the rules that ``pack`` (one of the rulebook's roots) defines."""
    pack = pack.resolve()
    rules = sorted(rule for rule, path in rulebook.paths.items() if path.resolve().is_relative_to(pack))
    files = case_files(pack)
    outcomes: list[Outcome] = []
    for rule in rules:
        outcomes += run_examples(rulebook, rule)
        if rule not in files:
            family = rulebook.paths[rule].parent.name
            missing = pack / PACK_CASES / family / f"{rule}.yaml"
            outcomes.append(Outcome(rule, "cases", _("没有用例文件（{path}）").format(path=missing)))
            continue
        path, cases = files[rule]
        outcomes += [run_case(rulebook, rule, case, pack) for case in cases.cases]
    for rule, (path, _cases) in sorted(files.items()):
        if rule not in rules:
            outcomes.append(
                Outcome(rule, "cases", f"{path}: " + _("{pack} 中没有规则 {rule}").format(rule=rule, pack=pack))
            )
    return outcomes
