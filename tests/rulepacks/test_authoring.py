"""`compliance rules new` writes a rule's skeleton and cases; `compliance rules test` runs a pack's cases."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from cli import main
from compliance.authoring.scaffold import _targets
from compliance.errors import RuleFileError
from compliance.resources import rules_dir
from compliance.rulebook import load_rulebook

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "rule-pack"

# What an author writes in place of each placeholder (matched by a word of its hint).
FILL = [
    ("规则名", "overview-reform-missing"),
    ("一句话标题", "总体情况未报告放管服改革情况"),
    ("依据的键", "CITY-2022-REFORM"),
    ("词集名", "reform"),
    ("缺什么", "未报告放管服改革情况"),
    ("怎样改，", "在总体情况中写明放管服改革的进展"),
    ("检查什么", "总体情况应报告放管服改革"),
    ("为什么", "本市年度报告编制要点第二条"),
    ("怎样改正", "补写放管服改革的进展"),
    ("不提到词集", "2021年，我局认真贯彻落实条例规定。"),
    ("提到词集", "2021年，我局深化放管服改革，精简审批事项12项。"),
    ("应报出问题", "总体情况没有提到放管服"),
    ("符合要求", "总体情况报告了放管服改革"),
]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def _fill(path: Path) -> None:
    def value(match: re.Match) -> str:
        return next(text for hint, text in FILL if hint in match.group())

    path.write_text(re.sub(r"【待填写：[^】]*】", value, path.read_text(encoding="utf-8")), encoding="utf-8")


def _pack(tmp_path: Path) -> Path:
    pack = tmp_path / "city-pack"
    (pack / "lexicon").mkdir(parents=True)
    (pack / "basis.yaml").write_text("CITY-2022-REFORM: （示例）某市年度报告编制要点第二条\n", encoding="utf-8")
    (pack / "lexicon" / "mentions.yaml").write_text(
        "sets:\n  reform: {label: 放管服改革, terms: [放管服]}\n", encoding="utf-8"
    )
    return pack


def test_new_writes_the_rule_and_its_cases_in_the_pack(tmp_path):
    pack = _pack(tmp_path)
    result = run("rules", "new", "CITY-REFORM", "--rules", pack)
    assert result.exit_code == 0, result.output + result.stderr
    rule, cases = pack / "city" / "CITY-REFORM.yaml", pack / "tests" / "city" / "CITY-REFORM.yaml"
    assert result.stdout.split() == [str(rule), str(cases)]
    assert "compliance rules test" in result.stderr
    skeleton = yaml.safe_load(rule.read_text(encoding="utf-8"))
    assert skeleton["id"] == "CITY-REFORM"
    # every field of a rule is there
    assert set(skeleton) == {
        "id",
        "name",
        "title",
        "severity",
        "basis",
        "scope",
        "when",
        "absent",
        "message",
        "suggestion",
        "doc",
        "examples",
    }
    assert yaml.safe_load(cases.read_text(encoding="utf-8"))["rule"] == "CITY-REFORM"


def test_a_fresh_skeleton_is_refused_until_filled_then_loads_and_its_cases_hold(tmp_path):
    pack = _pack(tmp_path)
    rule, cases = (pack / "city" / "CITY-REFORM.yaml", pack / "tests" / "city" / "CITY-REFORM.yaml")
    run("rules", "new", "CITY-REFORM", "--rules", pack)
    with pytest.raises(RuleFileError, match="尚未填写") as error:
        load_rulebook([rules_dir(), pack])
    assert "CITY-REFORM" in str(error.value) and str(rule) in str(error.value)
    _fill(rule)
    spec = load_rulebook([rules_dir(), pack]).rules["CITY-REFORM"]
    assert spec.name == "overview-reform-missing" and spec.absent.where == {"set": "reform", "part": "overview"}
    unfilled = run("rules", "test", pack)
    assert unfilled.exit_code == 2 and "占位符" in unfilled.stderr and str(cases) in unfilled.stderr
    _fill(cases)
    result = run("rules", "test", pack)
    assert result.exit_code == 0, result.output + result.stderr
    assert result.stdout.count("通过 ") == 4  # two examples, two cases
    assert "全部通过" in result.stderr


def test_new_never_overwrites(tmp_path):
    pack = _pack(tmp_path)
    run("rules", "new", "CITY-REFORM", "--rules", pack)
    rule = pack / "city" / "CITY-REFORM.yaml"
    rule.write_text("# mine\n", encoding="utf-8")
    (pack / "tests" / "city" / "CITY-REFORM.yaml").unlink()
    result = run("rules", "new", "CITY-REFORM", "--rules", pack)
    assert result.exit_code == 2 and "已存在，未覆盖" in result.stderr
    assert rule.read_text(encoding="utf-8") == "# mine\n"
    assert not (pack / "tests" / "city" / "CITY-REFORM.yaml").exists()  # nothing written when one exists


@pytest.mark.parametrize(
    ("rule_id", "reason"), [("city-reform", "大写单词"), ("CITY", "大写单词"), ("GOV-ASSESSMENT", "是自带的规则")]
)
def test_new_refuses_bad_and_shipped_ids(tmp_path, rule_id, reason):
    result = run("rules", "new", rule_id, "--rules", tmp_path / "pack")
    assert result.exit_code == 2 and reason in result.stderr


def test_without_a_pack_a_checkout_gets_a_shipped_rule_and_its_case_file():
    rule, cases = _targets("STYLE-NEW-THING", None)
    assert rule == rules_dir() / "style" / "STYLE-NEW-THING.yaml"
    assert cases == rules_dir().parent / "tests" / "rules" / "style" / "STYLE-NEW-THING.yaml"


def test_the_example_pack_passes_its_own_cases():
    result = run("rules", "test", EXAMPLE)
    assert result.exit_code == 0, result.output
    assert "失败" not in result.output
    assert {line.split()[1] for line in result.stdout.splitlines()} == {"LOCAL-NEWMEDIA", "LOCAL-YEAR-COMPARE"}


def test_rules_test_reports_what_fails(tmp_path):
    pack = _pack(tmp_path)
    run("rules", "new", "CITY-REFORM", "--rules", pack)
    for path in (pack / "city" / "CITY-REFORM.yaml", pack / "tests" / "city" / "CITY-REFORM.yaml"):
        _fill(path)
    cases = pack / "tests" / "city" / "CITY-REFORM.yaml"
    data = yaml.safe_load(cases.read_text(encoding="utf-8"))
    data["cases"][1]["expect"] = "fail"  # a case that is wrong
    cases.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (pack / "tests" / "city" / "CITY-GONE.yaml").write_text(
        yaml.safe_dump(data | {"rule": "CITY-GONE"}), encoding="utf-8"
    )
    result = run("rules", "test", pack)
    assert result.exit_code == 1
    failed = [line for line in result.stdout.splitlines() if line.startswith("失败")]
    assert len(failed) == 2
    assert "应有问题，却没有" in failed[0] and "中没有规则 CITY-GONE" in failed[1]
    assert "2 个未通过" in result.stderr
    cases.unlink()
    assert "没有用例文件" in run("rules", "test", pack).stdout


def test_a_case_file_with_an_unknown_key_is_named(tmp_path):
    pack = _pack(tmp_path)
    run("rules", "new", "CITY-REFORM", "--rules", pack)
    for path in (pack / "city" / "CITY-REFORM.yaml", pack / "tests" / "city" / "CITY-REFORM.yaml"):
        _fill(path)
    cases = pack / "tests" / "city" / "CITY-REFORM.yaml"
    cases.write_text(
        cases.read_text(encoding="utf-8").replace("expect: pass", "expect: pass\n    colour: red"), encoding="utf-8"
    )
    result = run("rules", "test", pack)
    assert result.exit_code == 2 and str(cases) in result.stderr and "colour" in result.stderr
