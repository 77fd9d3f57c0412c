"""The command line as users call it: exit codes, JSON contract, terminal report, rule docs."""

from __future__ import annotations

import json

import jsonschema
import pytest
from click.testing import CliRunner
from conftest import seed_path

from cli import main
from compliance.render.schema import report_schema
from compliance.resources import schema_path

SCHEMA = json.loads(schema_path("report.schema.json").read_text(encoding="utf-8"))


def run(*args, **kwargs):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False, **kwargs)


def test_shipped_schema_is_the_models_schema():
    assert SCHEMA == report_schema()


def test_json_output_follows_the_contract():
    result = run("check", "--format", "json", seed_path("003"))
    assert result.exit_code == 1  # critical findings, default --fail-on critical
    report = json.loads(result.output)
    jsonschema.validate(report, SCHEMA)
    assert report["schema_version"] == 1
    assert report["document"]["year"] == 2013 and report["document"]["regime"] == "ogi2007"
    assert report["summary"]["grade"] == "不合格"
    findings = report["findings"]
    assert findings == sorted(findings, key=lambda f: (f["start"], f["rule"]))
    text = seed_path("003").read_text(encoding="utf-8")
    for finding in findings:
        assert text[finding["start"] : finding["end"]].startswith(finding["excerpt"])


def test_several_files_give_one_json_object_per_line():
    result = run("check", "--format", "json", seed_path("000"), seed_path("001"))
    lines = result.output.splitlines()
    assert len(lines) == 2
    for line in lines:
        jsonschema.validate(json.loads(line), SCHEMA)


@pytest.mark.parametrize(("fail_on", "status"), [("critical", 0), ("major", 1)])
def test_fail_on_sets_the_exit_status(fail_on, status):
    # seed 000: Traditional script (major) and web residue (minor), nothing critical
    assert run("check", "--fail-on", fail_on, seed_path("000")).exit_code == status


def test_terminal_report_groups_by_part_with_suggestions():
    result = run("check", seed_path("003"))
    output = result.output
    assert "（无标题）" in output and "得分" in output and "不合格" in output
    assert "二、主动公开政府信息情况" in output
    findings = json.loads(run("check", "--format", "json", seed_path("003")).output)["findings"]
    assert output.count("建议：") == len(findings)
    for finding in findings:
        assert f"第{finding['line']}行" in output and finding["suggestion"] in output
    assert (
        "STRUCT-TRUNCATED 严重" in output and "推断报告年度为2013年：标题未写明年度，取正文开头出现最多的年份" in output
    )
    assert "STRUCT-PART-MISSING：文本在“二、主动公开政府信息情况”中途中断" in output  # 未检查, not missing


def test_overrides_change_the_regime():
    result = run("check", "--format", "json", "--year", "2021", "--issuer-kind", "department", seed_path("001"))
    report = json.loads(result.output)
    assert report["document"]["regime"] == "ogi2019" and report["document"]["issuer_kind"] == "department"
    assert "year" not in report["document"]["inferred"]
    assert any(f["rule"] == "STRUCT-PART-ORDER" or f["rule"] == "STRUCT-PART-MISSING" for f in report["findings"])


def test_select_and_ignore(tmp_path):
    only = json.loads(run("check", "--format", "json", "--select", "STYLE", seed_path("003")).output)
    assert {f["rule"] for f in only["findings"]} == {"STYLE-SCRIPT", "STYLE-PUNCT", "STYLE-ORDINAL"}
    config = tmp_path / "compliance.toml"
    config.write_text('ignore = ["STYLE-SCRIPT"]\n[severity]\nSTRUCT-TITLE = "minor"\n', encoding="utf-8")
    report = json.loads(run("check", "--format", "json", "--config", config, seed_path("003")).output)
    assert "STYLE-SCRIPT" not in {f["rule"] for f in report["findings"]}
    assert {f["severity"] for f in report["findings"] if f["rule"] == "STRUCT-TITLE"} == {"minor"}


def test_pyproject_table_is_found_from_the_working_directory(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[tool.compliance]\nselect = ["STRUCT-TITLE"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    report = json.loads(run("check", "--format", "json", seed_path("003")).output)
    assert {f["rule"] for f in report["findings"]} == {"STRUCT-TITLE"}


def test_bad_config_is_one_line_and_exit_2(tmp_path):
    config = tmp_path / "compliance.toml"
    config.write_text('fail-on = "fatal"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--config", str(config), str(seed_path("003"))])
    assert result.exit_code == 2
    assert str(config) in result.output and "fail-on" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("content", "reason"),
    [(b"", "文件为空"), (b"\x00\x01\x02\x03binary\x00\xff" * 50, "二进制数据")],
)
def test_unreadable_input_exit_2_and_others_still_checked(tmp_path, content, reason):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    result = CliRunner().invoke(main, ["check", "--format", "json", str(bad), str(seed_path("001"))])
    assert result.exit_code == 2
    assert f"compliance: {bad}:" in result.stderr and reason in result.stderr
    assert json.loads(result.stdout.splitlines()[-1])["document"]["year"] == 2017
    assert "Traceback" not in result.output


def test_missing_file():
    result = CliRunner().invoke(main, ["check", "no/such/file.txt"])
    assert result.exit_code == 2 and "no/such/file.txt" in result.stderr


def test_rules_list_and_explain():
    listing = run("rules").output
    assert "STRUCT-PART-MISSING" in listing and "STYLE-SCRIPT" in listing
    explained = run("rules", "explain", "GOV-ASSESSMENT").output
    assert "第五十条第（四）项" in explained and "不合格的例子" in explained and "怎么改" in explained
    assert run("rules", "explain", "traditional-characters").exit_code == 0
    # A rule across reports shows the report its examples are compared with.
    copied = run("rules", "explain", "DUP-BOILERPLATE").output
    assert "例子的检查条件：--year 2021\n上一年度报告（--previous）：\n    苏州市交通运输局2020年" in copied
    assert copied.index("上一年度报告") < copied.index("不合格的例子")
    assert CliRunner().invoke(main, ["rules", "explain", "NOPE"]).exit_code == 2


def test_parse_command_text_and_json():
    text = run("parse", seed_path("001")).output
    assert "§1 L2" in text and "一、概述" in text and "title: (none)" in text
    tree = json.loads(run("parse", "--format", "json", seed_path("001")).output)
    assert len(tree["sections"]) == 6


def test_a_document_that_is_no_report_is_refused_in_one_line(tmp_path):
    result = run("check", str(seed_path("002")), str(seed_path("001")))  # a 工作要点, then a report
    assert result.exit_code == 2
    (refusal,) = [line for line in result.output.splitlines() if "看起来是" in line]
    assert str(seed_path("002")) in refusal and "政务公开工作要点" in refusal and "keypoints extract" in refusal
    assert "宿迁市政务服务管理办公室" in result.output  # the report after it is still checked
    forced = run("check", "--force", "--format", "json", str(seed_path("002")))
    assert forced.exit_code in (0, 1) and json.loads(forced.output)["findings"]


def test_facts_command():
    output = run("facts", "--kind", "required_item", seed_path("001")).output
    items = [json.loads(line)["item"] for line in output.splitlines()]
    assert items == ["active", "request", "fee", "review_litigation", "problems"]
    (end,) = [json.loads(line) for line in run("facts", "--kind", "document_end", seed_path("003")).output.splitlines()]
    assert not end["closed"] and end["parts_after"] == 3 and end["part"] == "二、主动公开政府信息情况"


def test_previous_year_report_in_another_form():
    from conftest import CORPUS, shared_file

    this, last = shared_file(CORPUS / "huaian-hongze-2024.txt"), shared_file(CORPUS / "huaian-hongze-2023.pdf")
    alone = json.loads(run("check", "--format", "json", this).output)
    assert {"rule": "XREF-CARRYOVER", "reason": "未提供上一年度报告（--previous），未核对上年结转数"} in alone[
        "not_checked"
    ]
    paired = json.loads(run("check", "--format", "json", "--previous", last, this).output)
    assert "XREF-CARRYOVER" not in {n["rule"] for n in paired["not_checked"]}
    assert not [f for f in paired["findings"] if f["rule"] == "XREF-CARRYOVER"]
    bad = CliRunner().invoke(main, ["check", "--previous", "no/such.pdf", str(this)])
    assert bad.exit_code == 2 and "no/such.pdf: 文件不存在" in bad.stderr
