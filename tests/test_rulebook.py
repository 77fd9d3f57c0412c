"""The rulebook: every rule file valid, documented and tested; malformed files rejected clearly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from compliance.engine.compiler import compile_rule
from compliance.errors import RuleFileError
from compliance.resources import rules_dir
from compliance.rulebook import default_rulebook, load_rulebook

CASES = Path(__file__).resolve().parent / "rules"


def test_every_rule_has_a_case_file_and_no_case_file_is_orphaned():
    rulebook = default_rulebook()
    case_files = {p.stem: p for p in CASES.glob("*/*.yaml")}
    assert set(case_files) == set(rulebook.rules)
    for rule_id, path in case_files.items():
        assert path.parent.name == rulebook.paths[rule_id].parent.name
        cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
        assert {c["expect"] for c in cases} == {"fail", "pass"}, f"{rule_id} needs failing and passing cases"


def test_every_rule_uses_real_documents():
    for path in CASES.glob("*/*.yaml"):
        cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
        assert any("file" in c for c in cases), f"{path.stem} has no case from ../shared"


def test_rules_compile_to_equality_joins_only():
    for spec in default_rulebook().rules.values():
        compiled = compile_rule(spec)
        assert compiled["run"] == spec.id
        for condition in compiled["all"]:
            ((alias, test),) = condition.items()
            assert "$mt" not in str(test)
            if alias.endswith("$not"):
                joins = [t for t in test["$and"] if any(isinstance(v, dict) for v in t.values())]
                assert all(list(v) == ["f"] for t in joins for v in t.values())


def _copy_rules(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(rules_dir(), target)
    return target


def _edit(path: Path, **changes):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"severity": "fatal"}, "severity", "Input should be"),
        ({"colour": "red"}, "colour", "Extra inputs are not permitted"),
        ({"basis": ["NO-SUCH-LAW"]}, "basis", "未知的依据键"),
        ({"when": {"fact": "no_such_fact"}}, "when.fact", "未知的事实类型"),
        ({"when": {"fact": "title", "where": {"colour": 1}}}, "when.where.colour", "没有字段"),
        ({"when": {"fact": "title", "any": [{"present": True}, {"colour": 1}]}}, "when.any.1.colour", "没有字段"),
        ({"when": {"fact": "title", "any": [{}]}}, "when.any.0", "备选条件中没有任何测试"),
        ({"message": "{{ fact.nothing }}"}, "message", "fact 没有字段 'nothing'"),
        ({"message": "{{ other }}"}, "message", "未知的模板变量"),
        ({"suggestion": "{% if %}"}, "suggestion", "模板错误"),
    ],
)
def test_bad_rule_file_names_file_rule_and_field(tmp_path, changes, field, reason):
    root = _copy_rules(tmp_path)
    path = root / "struct" / "STRUCT-TITLE.yaml"
    _edit(path, **changes)
    with pytest.raises(RuleFileError) as error:
        load_rulebook(root)
    message = str(error.value)
    assert str(path) in message and "STRUCT-TITLE" in message and field in message and reason in message


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"basis": ["NO-SUCH-LAW"]}, "unknown basis key 'NO-SUCH-LAW' (see rules/basis.yaml)"),
        ({"when": {"fact": "title", "where": {"colour": 1}}}, "fact 'title' has no field 'colour'"),
        ({"message": "{{ other }}"}, "unknown template variable 'other' (known: doc, fact)"),
    ],
)
def test_a_rule_file_error_is_english_under_an_english_locale(english, tmp_path, changes, reason):
    root = _copy_rules(tmp_path)
    _edit(root / "struct" / "STRUCT-TITLE.yaml", **changes)
    with pytest.raises(RuleFileError) as error:
        load_rulebook(root)
    assert error.value.reason == reason


def test_rule_id_must_match_file_name(tmp_path):
    root = _copy_rules(tmp_path)
    (root / "struct" / "STRUCT-TITLE.yaml").rename(root / "struct" / "STRUCT-TITLE-X.yaml")
    with pytest.raises(RuleFileError, match="规则编号必须与文件名"):
        load_rulebook(root)


def test_a_new_rule_is_data_only(tmp_path):
    """A province's extra check: a YAML file, no Python."""
    from compliance.engine import evaluate
    from compliance.engine.locate import Locator
    from compliance.facts import extract
    from compliance.models.config import Config, Overrides
    from compliance.normalize import normalize
    from compliance.parse import parse

    root = _copy_rules(tmp_path)
    spec = yaml.safe_load((root / "style" / "STYLE-PLACEHOLDER.yaml").read_text(encoding="utf-8"))
    spec.update(
        id="STYLE-DRAFT-MARK",
        name="draft-mark-left",
        severity="major",
        title="残留草稿标记",
        when={"fact": "pattern_hit", "where": {"pattern_set": "draft_mark"}},
    )
    (root / "style" / "STYLE-DRAFT-MARK.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    patterns = yaml.safe_load((root / "lexicon" / "patterns.yaml").read_text(encoding="utf-8"))
    patterns["draft_mark"] = {"description": "草稿标记", "patterns": ["（征求意见稿）"]}
    (root / "lexicon" / "patterns.yaml").write_text(yaml.safe_dump(patterns, allow_unicode=True), encoding="utf-8")
    rulebook = load_rulebook(root)
    draft = "苏州市交通运输局2021年政府信息公开工作年度报告（征求意见稿）\n一、总体情况\n本年度工作。\n"
    text = normalize(draft)
    tree = parse(text.text)
    _, facts, unavailable = extract(tree, text, rulebook, Overrides())
    findings, _ = evaluate(facts, unavailable, rulebook, Config(), Locator(text, tree))
    (found,) = [f for f in findings if f.rule == "STYLE-DRAFT-MARK"]
    assert draft[found.start : found.end] == "（征求意见稿）"


def test_every_rule_cites_what_applies_to_each_regime():
    """A 2007-regime report cites the 2007 条例; a 2019 or 2020 report the 2019 trial format, never
    the 2021 format (issue: basis per regime)."""
    rulebook = default_rulebook()
    wrong = {
        "ogi2007": ("OGI2019", "FMT2019", "FMT2021"),
        "ogi2019-trial": ("FMT2021", "OGI2007"),
        "ogi2019": ("FMT2019", "OGI2007"),
    }
    for rule_id, spec in rulebook.rules.items():
        for regime in spec.scope.regimes:
            cited = spec.basis_for(regime)
            assert cited, (rule_id, regime)
            assert not [k for k in cited if k.startswith(wrong[regime])], (rule_id, regime, cited)
    for regime in rulebook.regimes.values():  # per-item citations of required parts
        assert not [i.basis for i in regime.items if i.basis.startswith(wrong[regime.id])], regime.id


def test_findings_and_notices_cite_the_reports_regime():
    from conftest import FIXTURES, check_text, seed_text

    trial = check_text(
        (FIXTURES / "report_2019.txt").read_text(encoding="utf-8").replace("5\t2\t1\t1\t9\t", "5\t2\t1\t1\t8\t")
    )
    (summed,) = [f for f in trial.findings if f.rule == "CALC-SUM"]
    assert "国办公开办函〔2019〕60号" in summed.basis and "〔2021〕30号" not in summed.basis
    old = check_text(seed_text("000"))
    assert old.document.regime == "ogi2007" and old.findings
    later = ("（2019年", "第711号", "〔2019〕60号", "〔2021〕30号")  # the 2019 条例 and the two formats
    assert not [f.rule for f in old.findings if any(doc in f.basis for doc in later)]
