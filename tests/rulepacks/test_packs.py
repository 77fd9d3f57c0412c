"""Rule packs: folders of rule files, basis keys and mention sets loaded on top of the shipped rules."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import source_of

from compliance.config import load_config
from compliance.engine.compiler import compile_rule
from compliance.errors import RuleFileError
from compliance.models.config import Config
from compliance.pipeline import check_source
from compliance.resources import rules_dir
from compliance.rulebook import default_rulebook, load_rulebook, rulebook_for

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "rule-pack"

RULE = {
    "id": "CITY-REVIEW-TREND",
    "name": "review-without-comparison",
    "title": "复议诉讼情况未与上年比较",
    "severity": "minor",
    "basis": ["CITY-2022-3"],
    "scope": {"regimes": ["ogi2019"]},
    "when": {"fact": "part_content", "where": {"item": "review_litigation"}},
    "absent": {"fact": "mention", "where": {"set": "year_comparison", "part": "review_litigation"}},
    "message": "“{{ fact.heading }}”未与上年比较",
    "suggestion": "写明与上年相比的增减",
    "doc": {"what": "复议诉讼与上年比较", "why": "本市要求", "fix": "补写一句"},
    "examples": {
        "context": {"year": 2021},
        "fail": "某局2021年政府信息公开工作年度报告\n四、政府信息公开行政复议、行政诉讼情况\n本年度无。\n",
        "pass": (
            "某局2021年政府信息公开工作年度报告\n四、政府信息公开行政复议、行政诉讼情况\n本年度无，与上年相比持平。\n"
        ),
    },
}

DRAFT = """某局2021年政府信息公开工作年度报告
一、总体情况
2021年，我局认真落实条例。
四、政府信息公开行政复议、行政诉讼情况
本年度未发生行政复议、行政诉讼。
"""


def _pack(tmp_path: Path, rules=(RULE,), basis=None, mentions=None, name="pack") -> Path:
    pack = tmp_path / name
    for rule in rules:
        path = pack / rule["id"].split("-")[0].lower() / f"{rule['id']}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(rule, allow_unicode=True), encoding="utf-8")
    pack.mkdir(exist_ok=True)
    basis = {"CITY-2022-3": "（示例）某市要点第三条"} if basis is None else basis
    if basis:
        (pack / "basis.yaml").write_text(yaml.safe_dump(basis, allow_unicode=True), encoding="utf-8")
    if mentions:
        (pack / "lexicon").mkdir(exist_ok=True)
        (pack / "lexicon" / "mentions.yaml").write_text(
            yaml.safe_dump({"sets": mentions}, allow_unicode=True), encoding="utf-8"
        )
    return pack


def _fired(rulebook, draft=DRAFT, rule="CITY-REVIEW-TREND"):
    report = check_source(source_of(draft), Config(), rulebook=rulebook)
    return [f for f in report.findings if f.rule == rule]


def test_a_pack_adds_rules_basis_and_mention_sets(tmp_path):
    pack = _pack(tmp_path, mentions={"reform": {"label": "改革", "terms": ["放管服"]}})
    rulebook = load_rulebook([rules_dir(), pack])
    assert set(rulebook.rules) == set(default_rulebook().rules) | {"CITY-REVIEW-TREND"}
    assert rulebook.basis["CITY-2022-3"] == "（示例）某市要点第三条"
    assert set(rulebook.mentions) == set(default_rulebook().mentions) | {"reform"}
    assert rulebook.roots == (rules_dir(), pack) and rulebook.root == rules_dir()
    assert rulebook.paths["CITY-REVIEW-TREND"] == pack / "city" / "CITY-REVIEW-TREND.yaml"
    (found,) = _fired(rulebook)
    assert found.message == "“四、政府信息公开行政复议、行政诉讼情况”未与上年比较"
    assert found.basis == "（示例）某市要点第三条"
    assert not _fired(rulebook, DRAFT.replace("诉讼。", "诉讼，与上年持平。"))
    assert not _fired(default_rulebook())  # the shipped rulebook is untouched


def test_absent_where_compiles_to_equality_tests():
    pack_rule = load_rulebook([rules_dir(), EXAMPLE]).rules["LOCAL-NEWMEDIA"]
    (negated,) = [c for c in compile_rule(pack_rule)["all"] if "a$not" in c]
    assert negated == {"a$not": {"$and": [{"kind": "mention"}, {"set": "new_media"}, {"part": "overview"}]}}


def test_the_digest_covers_every_root(tmp_path):
    pack = _pack(tmp_path)
    first = load_rulebook([rules_dir(), pack]).digest
    assert first != default_rulebook().digest
    (pack / "basis.yaml").write_text("CITY-2022-3: 改过的文字\n", encoding="utf-8")
    assert load_rulebook([rules_dir(), pack]).digest != first
    (pack / "tests").mkdir()
    (pack / "tests" / "x.yaml").write_text("rule: X\ncases: []\n", encoding="utf-8")
    assert load_rulebook([rules_dir(), pack]).digest == load_rulebook([rules_dir(), pack]).digest


def test_an_id_already_shipped_is_an_error_naming_both_files(tmp_path):
    shipped = yaml.safe_load((rules_dir() / "gov" / "GOV-ASSESSMENT.yaml").read_text(encoding="utf-8"))
    pack = _pack(tmp_path, rules=[shipped], basis={})
    with pytest.raises(RuleFileError) as error:
        load_rulebook([rules_dir(), pack])
    message = str(error.value)
    assert (
        str(pack / "gov" / "GOV-ASSESSMENT.yaml") in message
        and str(rules_dir() / "gov" / "GOV-ASSESSMENT.yaml") in message
    )
    assert "规则编号重复" in message


def test_two_packs_with_one_id_name_both_files(tmp_path):
    one, two = _pack(tmp_path, name="one"), _pack(tmp_path, name="two", basis={})
    with pytest.raises(RuleFileError, match="规则编号重复") as error:
        load_rulebook([rules_dir(), one, two])
    assert str(one) in str(error.value) and str(two) in str(error.value)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            lambda pack: (pack / "basis.yaml").write_text("FMT2021: 另一种文字\n", encoding="utf-8"),
            "中定义",
        ),
        (lambda pack: (pack / "basis.yaml").write_text("- a list\n", encoding="utf-8"), "应把依据键对应到条文"),
        (
            lambda pack: _write(
                pack / "lexicon" / "mentions.yaml", {"sets": {"year_comparison": {"label": "x", "terms": ["y"]}}}
            ),
            "词集 'year_comparison' 已在",
        ),
        (
            lambda pack: _write(
                pack / "lexicon" / "mentions.yaml", {"sets": {"Bad-Name": {"label": "x", "terms": ["y"]}}}
            ),
            "小写字母",
        ),
        (
            lambda pack: _write(pack / "lexicon" / "mentions.yaml", {"sets": {"none": {"label": "x"}}}),
            "词集需要 terms 或 patterns",
        ),
        (
            lambda pack: _write(
                pack / "lexicon" / "mentions.yaml", {"sets": {"p": {"label": "x", "patterns": ["(a"]}}}
            ),
            "不是有效的正则表达式",
        ),
        (
            lambda pack: _write(
                pack / "lexicon" / "mentions.yaml", {"sets": {"p": {"label": "x", "patterns": ["a*"]}}}
            ),
            "该模式会匹配空文本",
        ),
        (
            lambda pack: _write(pack / "lexicon" / "parts.yaml", {}),
            "不能替换或增加内置的 lexicon/parts.yaml",
        ),
        (
            lambda pack: _write(pack / "regimes" / "ogi2019.yaml", {}),
            "不能替换或增加内置的 regimes/ogi2019.yaml",
        ),
        (lambda pack: _write(pack / "grading.yaml", {}), "不能替换或增加内置的 grading.yaml"),
        (lambda pack: _write(pack / "city" / "deeper" / "X.yaml", {}), "city/deeper/X.yaml"),
        (lambda pack: _write(pack / "city" / "CITY-X.yml", {}), "应命名为 <ID>.yaml（不是 .yml）"),
    ],
)
def test_what_a_pack_may_not_do(tmp_path, change, reason):
    pack = _pack(tmp_path)
    change(pack)
    with pytest.raises(RuleFileError, match=reason):
        load_rulebook([rules_dir(), pack])


def _write(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.mark.parametrize(
    ("absent", "field", "reason"),
    [
        (
            {"fact": "mention", "where": {"set": "no_such_set", "part": "request"}},
            "absent.where.set",
            "set 没有 'no_such_set'",
        ),
        (
            {"fact": "mention", "where": {"set": "year_comparison", "part": "chapter9"}},
            "absent.where.part",
            "part 没有 'chapter9'",
        ),
        ({"fact": "mention", "where": {"colour": "red"}}, "absent.where.colour", "没有字段"),
        ({"fact": "mention", "where": {"set": {"neq": "x"}}}, "absent.where.set", "Input should be"),
    ],
)
def test_absent_where_is_checked_at_load(tmp_path, absent, field, reason):
    pack = _pack(tmp_path, rules=[{**RULE, "absent": absent}])
    with pytest.raises(RuleFileError, match=reason) as error:
        load_rulebook([rules_dir(), pack])
    assert field in str(error.value) and "CITY-REVIEW-TREND" in str(error.value)


def test_a_missing_pack_is_named(tmp_path):
    with pytest.raises(RuleFileError, match="规则文件夹不存在"):
        load_rulebook([rules_dir(), tmp_path / "nowhere"])


def test_a_rule_with_a_placeholder_left_is_refused(tmp_path):
    pack = _pack(tmp_path, rules=[{**RULE, "doc": {**RULE["doc"], "why": "【待填写：依据】"}}])
    with pytest.raises(RuleFileError, match="尚未填写") as error:
        load_rulebook([rules_dir(), pack])
    assert "doc.why" in str(error.value)


def test_configured_packs_are_relative_to_the_configuration_file(tmp_path, monkeypatch):
    pack = _pack(tmp_path / "office")
    config_file = tmp_path / "office" / "compliance.toml"
    config_file.write_text('rules = ["pack"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    config = load_config(config_file)
    assert config.rules == [pack.resolve()]
    rulebook = rulebook_for(config.rules)
    assert "CITY-REVIEW-TREND" in rulebook.rules and rulebook is rulebook_for([pack])  # loaded once
    # the pipeline honours the configured packs when the caller gives no rulebook
    report = check_source(source_of(DRAFT), config)
    assert [f.rule for f in report.findings if f.rule.startswith("CITY")] == ["CITY-REVIEW-TREND"]


def test_a_copy_of_the_rules_folder_alone_still_loads(tmp_path):
    copy = tmp_path / "rules"
    shutil.copytree(rules_dir(), copy)
    assert set(load_rulebook(copy).rules) == set(default_rulebook().rules)


def test_a_pack_named_twice_is_loaded_once(tmp_path):
    pack = _pack(tmp_path)
    assert rulebook_for([pack, tmp_path / "." / "pack"]) is rulebook_for([pack])


def test_a_pack_error_is_english_under_an_english_locale(english, tmp_path):
    with pytest.raises(RuleFileError) as error:
        load_rulebook([rules_dir(), tmp_path / "nowhere"])
    assert error.value.reason == "no such rules folder"
    pack = _pack(tmp_path)
    (pack / "basis.yaml").write_text("FMT2021: 另一种文字\n", encoding="utf-8")
    with pytest.raises(RuleFileError) as error:
        load_rulebook([rules_dir(), pack])
    assert error.value.reason == f"basis key 'FMT2021' is already defined in {rules_dir() / 'basis.yaml'}"
