"""--rules and `rules = [...]`: every command that uses a rulebook honours the rule packs."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from conftest import FIXTURES

from cli import main

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "rule-pack"
DRAFT = FIXTURES / "report_2021_suzhou_kp.txt"  # part 一 without 政务新媒体, part 三 without a comparison
LOCAL = ["LOCAL-NEWMEDIA", "LOCAL-YEAR-COMPARE"]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def _local(report: dict) -> list[str]:
    return [f["rule"] for f in report["findings"] if f["rule"].startswith("LOCAL")]


def test_check_with_a_pack_finds_its_rules_and_without_it_does_not():
    with_pack = run("check", "--format", "json", "--rules", EXAMPLE, DRAFT)
    assert _local(json.loads(with_pack.output)) == LOCAL
    assert _local(json.loads(run("check", "--format", "json", DRAFT).output)) == []


def test_the_configuration_names_packs_relative_to_itself(tmp_path):
    config = tmp_path / "compliance.toml"
    config.write_text('rules = ["examples/rule-pack"]\nselect = ["LOCAL"]\n', encoding="utf-8")
    (tmp_path / "examples").symlink_to(EXAMPLE.parent)
    report = json.loads(run("check", "--format", "json", "--config", config, DRAFT).output)
    assert [f["rule"] for f in report["findings"]] == LOCAL


def test_sarif_describes_the_pack_rules():
    log = json.loads(run("check", "--format", "sarif", "--rules", EXAMPLE, DRAFT).output)
    rules = {rule["id"] for rule in log["runs"][0]["tool"]["driver"]["rules"]}
    assert set(LOCAL) <= rules
    assert {r["ruleId"] for r in log["runs"][0]["results"]} >= set(LOCAL)


def test_rules_list_and_explain_and_facts_with_a_pack():
    listed = run("rules", "list", "--rules", EXAMPLE).output
    assert "LOCAL-NEWMEDIA" in listed and "总体情况未报告政务新媒体情况" in listed
    assert "LOCAL-NEWMEDIA" not in run("rules", "list").output
    explained = run("rules", "explain", "LOCAL-YEAR-COMPARE", "--rules", EXAMPLE)
    assert explained.exit_code == 0 and "（示例）某市政务公开办公室" in explained.output
    assert run("rules", "explain", "LOCAL-YEAR-COMPARE").exit_code == 2
    facts = [
        json.loads(line) for line in run("facts", DRAFT, "--kind", "mention", "--rules", EXAMPLE).output.splitlines()
    ]
    assert facts and {f["set"] for f in facts} <= {"new_media", "year_comparison"}
    assert "overview" not in {f["part"] for f in facts if f["set"] == "new_media"}  # hence LOCAL-NEWMEDIA


def test_notice_and_fix_with_a_pack(tmp_path):
    notice = tmp_path / "notice.md"
    result = run(
        "notice",
        DRAFT,
        "--rules",
        EXAMPLE,
        "--select",
        "LOCAL",
        "--from",
        "某市政务公开办",
        "--to",
        "某局",
        "--deadline",
        "2022-06-30",
        "--date",
        "2022-05-01",
        "-o",
        notice,
    )
    assert result.exit_code == 0, result.output
    assert "政务新媒体" in notice.read_text(encoding="utf-8")
    fixed = run("fix", DRAFT, "--rules", EXAMPLE, "--diff")
    assert fixed.exit_code == 0


def test_screen_workers_get_the_packs(tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "a.txt").write_text(DRAFT.read_text(encoding="utf-8"), encoding="utf-8")
    result = run("screen", inbox, "-o", tmp_path / "out", "-j", "1", "--no-html", "--rules", EXAMPLE)
    assert result.exit_code in (0, 1), result.output
    report = json.loads((tmp_path / "out" / "reports" / "a.txt.json").read_text(encoding="utf-8"))
    assert _local(report) == LOCAL


def test_a_bad_pack_is_one_line_and_exit_2(tmp_path):
    pack = tmp_path / "pack"
    (pack / "lexicon").mkdir(parents=True)
    (pack / "lexicon" / "parts.yaml").write_text("items: {}\n", encoding="utf-8")
    for args in (["check", DRAFT], ["rules", "list"], ["facts", DRAFT], ["screen", tmp_path, "-o", tmp_path / "out"]):
        result = CliRunner().invoke(main, [*map(str, args), "--rules", str(pack)])
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert "不能替换或增加内置的 lexicon/parts.yaml" in result.output
