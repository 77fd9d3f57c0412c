"""One runner for every rule's cases (tests/rules/<family>/<ID>.yaml) and its own examples.

A case: ``text`` (or ``file``: ``fixtures/NAME`` for tests/fixtures, ``realworld/NAME`` for the real
reports of tests/realworld/docs, else a path under ../shared), ``context`` (year, issuer_kind, regime),
``previous`` / ``previous_file`` (last year's report, for rules across years), ``keypoints``
(key-point checklists: a shipped name, a file, an inline mapping, or a list of them),
``expect: fail|pass``, optional ``count`` (exact number of findings of the rule), ``excerpts``
(each finding's excerpt, in order), ``messages`` (substrings each finding's message must
contain, in order), and ``fixed`` (the text after applying the rule's edits, safe and unsafe).

Every case and example runs on each rules engine that runs here (durable-rules, the Python one),
and the Python one's findings must be durable-rules' to the letter."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, SHARED, check_text, rule_findings, shared_file

from compliance.edits import apply_edits
from compliance.engine import backends
from compliance.rulebook import default_rulebook

CASE_DIR = Path(__file__).resolve().parent
REALWORLD = CASE_DIR.parent / "realworld" / "docs"


@pytest.fixture(
    autouse=True,
    params=[
        pytest.param(
            name,
            marks=pytest.mark.skipif(
                name == "durable" and not backends.durable_available(),
                reason="durable-rules is not installed here (Python 3.13+)",
            ),
        )
        for name in backends.ENGINES
    ],
)
def engine(request, monkeypatch):
    """The engine a check uses when the configuration leaves it to the machine."""
    monkeypatch.setattr(backends, "forced", request.param)
    return request.param


def _check(engine: str, text: str, **options):
    """The report on ``engine``; on the Python engine, also that durable-rules says the same."""
    report = check_text(text, **options)
    if engine == "python" and backends.durable_available():
        backends.forced = "durable"
        same = check_text(text, **options)
        backends.forced = "python"
        assert [f.model_dump() for f in report.findings] == [f.model_dump() for f in same.findings]
        assert report.not_checked == same.not_checked
    return report


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
def test_rule_case(rule, case, engine):
    text = _text(case)
    report = _check(
        engine, text, previous=_text(case, "previous"), keypoints=case.get("keypoints"), **case.get("context", {})
    )
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
def test_rule_examples(rule_id, engine):
    spec = default_rulebook().rules[rule_id]
    context, previous = spec.examples.context, spec.examples.previous
    assert rule_findings(_check(engine, spec.examples.fail, previous=previous, **context), rule_id), (
        "the fail example does not fire"
    )
    assert not rule_findings(_check(engine, spec.examples.pass_, previous=previous, **context), rule_id), (
        "the pass example fires"
    )
