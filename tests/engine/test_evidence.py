"""Evidence: a rule that declares ``evidence: true`` has the facts it lets pass listed in the
report (KP-TASK: the tasks reported, with their passages); the engine does it for any such rule,
and the rulebook refuses the declaration where it cannot hold."""

from __future__ import annotations

import pytest
import yaml
from conftest import FIXTURES

from compliance.errors import RuleFileError
from compliance.load import load
from compliance.models.config import Config
from compliance.pipeline import check_source, checklist
from compliance.resources import rules_dir
from compliance.rulebook import default_rulebook, load_rulebook

FIXTURE = FIXTURES / "report_2021_suzhou_kp.txt"


def test_kp_task_is_the_rule_that_declares_evidence():
    assert [spec.id for spec in default_rulebook().rules.values() if spec.evidence] == ["KP-TASK"]


def test_the_tasks_kp_task_lets_pass_are_the_evidence_while_it_is_selected():
    keypoints = [checklist("suzhou-2021")]
    report = check_source(load(FIXTURE), keypoints=keypoints)
    flagged = {f.message.split("第")[1].split("项")[0] for f in report.findings if f.rule == "KP-TASK"}
    reported = {e.task_id for e in report.evidence}
    assert {e.rule for e in report.evidence} == {"KP-TASK"}
    assert flagged.isdisjoint(reported)  # a government answers for every task: each is one or the other
    assert flagged | reported == {task.id for task in keypoints[0].tasks}
    assert report.evidence == sorted(report.evidence, key=lambda e: (e.start, e.checklist, e.task_id))
    assert check_source(load(FIXTURE), Config(ignore=["KP-TASK"]), keypoints=keypoints).evidence == []


def _pack(tmp_path, **rule):
    spec = {
        "id": "CITY-EVIDENCE",
        "name": "city-evidence",
        "title": "证据",
        "severity": "minor",
        "basis": ["KP-INSTRUCTION"],
        "when": {"fact": "keypoint_task", "where": {"margin": {"lt": 0}}},
        "message": "m",
        "suggestion": "s",
        "evidence": True,
        "doc": {"what": "w", "why": "y", "fix": "f"},
        "examples": {"fail": "x\n", "pass": "y\n"},
        **rule,
    }
    path = tmp_path / "pack" / "city" / "CITY-EVIDENCE.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return tmp_path / "pack"


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        ({"when": {"fact": "title", "where": {"present": False}}}, "不能作为证据"),
        ({"absent": {"fact": "mention", "where": {"set": "new_media"}}}, "evidence 只用于没有 absent 的规则"),
    ],
)
def test_evidence_is_refused_where_it_cannot_hold(tmp_path, rule, reason):
    with pytest.raises(RuleFileError, match=reason) as error:
        load_rulebook([rules_dir(), _pack(tmp_path, **rule)])
    assert error.value.field == "evidence" and error.value.rule == "CITY-EVIDENCE"


def test_a_pack_rule_may_declare_evidence(tmp_path):
    assert load_rulebook([rules_dir(), _pack(tmp_path)]).rules["CITY-EVIDENCE"].evidence
