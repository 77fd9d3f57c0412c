"""One runner for every rule's cases (tests/rules/<family>/<ID>.yaml) and its own examples.

A case: ``text`` (or ``file``: ``fixtures/NAME`` for tests/fixtures, ``realworld/NAME`` for the real
reports of tests/realworld/docs, else a path under ../shared), ``context`` (year, issuer_kind, regime),
``previous`` / ``previous_file`` (last year's report, for rules across years), ``keypoints``
(key-point checklists: a shipped name, a file, an inline mapping, or a list of them),
``expect: fail|pass``, optional ``count`` (exact number of findings of the rule), ``excerpts``
(each finding's excerpt, in order), ``messages`` (substrings each finding's message must
contain, in order), and ``fixed`` (the text after applying the rule's edits, safe and unsafe)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from compliance.edits import apply_edits
from compliance.rulebook import default_rulebook
from conftest import FIXTURES, SHARED, check_text, rule_findings, shared_file

CASE_DIR = Path(__file__).resolve().parent
REALWORLD = CASE_DIR.parent / "realworld" / "docs"


def _cases():
    for path in sorted(CASE_DIR.glob("*/*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            yield pytest.param(data["rule"], case, id=f"{data['rule']}:{case['name']}")


def _text(case: dict, key: str = "text") -> str | None:
    if f"{key}_file" in case or (key == "text" and "file" in case):
        name = case.get(f"{key}_file", case.get("file"))
        if name.startswith("fixtures/"):
            path = FIXTURES / name.removeprefix("fixtures/")
        elif name.startswith("realworld/"):
            path = REALWORLD / name.removeprefix("realworld/")
        else:
            path = shared_file(SHARED / name)
        return path.read_text(encoding="utf-8")
    return case.get(key)


@pytest.mark.parametrize(("rule", "case"), list(_cases()))
def test_rule_case(rule, case):
    text = _text(case)
    report = check_text(text, previous=_text(case, "previous"), keypoints=case.get("keypoints"), **case.get("context", {}))
    found = rule_findings(report, rule)
    if case["expect"] == "pass":
        assert found == [], [f.message for f in found]
        return
    assert found, f"{rule} did not fire"
    if "count" in case:
        assert len(found) == case["count"], [f.message for f in found]
    for finding in found:
        assert finding.excerpt == text[finding.start : finding.end][: len(finding.excerpt)]
    if "excerpts" in case:
        assert [f.excerpt for f in found] == case["excerpts"]
    for finding, fragment in zip(found, case.get("messages", [])):
        assert fragment in finding.message
    if "fixed" in case:
        assert apply_edits(text, [f.edit for f in found if f.edit], unsafe=True) == case["fixed"]


@pytest.mark.parametrize("rule_id", sorted(default_rulebook().rules))
def test_rule_examples(rule_id):
    spec = default_rulebook().rules[rule_id]
    context, previous = spec.examples.context, spec.examples.previous
    assert rule_findings(check_text(spec.examples.fail, previous=previous, **context), rule_id), "the fail example does not fire"
    assert not rule_findings(check_text(spec.examples.pass_, previous=previous, **context), rule_id), "the pass example fires"
