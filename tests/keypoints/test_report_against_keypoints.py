"""A 2021 Suzhou-area report checked against the Suzhou 2021 key points: findings exactly for the
tasks it leaves out, evidence passages for the ones it reports, and the ways of choosing key points
(shipped name, checklist file, the document itself, configuration)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, check_text, seed_path

from cli import main
from compliance.config import load_config
from compliance.load import load
from compliance.pipeline import check_source
from compliance.pipeline import configured_checklists as configured

FIXTURE = FIXTURES / "report_2021_suzhou_kp.txt"
# The fixture reports tasks 1, 2, 4, 6, 8, 9, 11, 12; it leaves out 3 (only a plan for 2022 in
# part 五), 5, 7 and 10; it mentions the IPv6 task (B1, due 2021年底前) as still in progress.
LEFT_OUT = ["3", "5", "7", "10"]
REPORTED = {  # task → the line of its evidence and words that must be in it
    "1": (72, "系统梳理区政府现行有效的行政规范性文件25件"),
    "2": (73, "持续深化“一企来”政策咨询综合窗口服务品牌"),
    "4": (74, "密切关注疫情防控、工资拖欠"),
    "6": (7, "围绕散发疫情、隔离管控、流调溯源"),
    "8": (7, "稳步扩大预决算公开范围"),
    "9": (75, "苏政办发〔2020〕42号"),
    "11": (76, "完成与省政府信息公开平台的系统对接"),
    "12": (77, "对全区政务新媒体开设、变更、关停、注销、备案进行规范"),
    "B1": (10, "互联网协议第6版（IPv6）改造工作正在推进中"),
}


@pytest.fixture(scope="module")
def report():
    args = ["check", str(FIXTURE), "--keypoints", "suzhou-2021", "--format", "json", "--fail-on", "major"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output  # KP findings are major
    return json.loads(result.output)


def _task_ids(findings, rule):
    return [f["message"].split("第")[1].split("项")[0] for f in findings if f["rule"] == rule]


def test_findings_exactly_for_the_tasks_left_out(report):
    assert sorted(_task_ids(report["findings"], "KP-TASK"), key=int) == LEFT_OUT
    assert not [f for f in report["findings"] if f["rule"] == "KP-PART"]
    task7 = next(f for f in report["findings"] if "第7项任务" in f["message"])
    assert "市市场监管局、市商务局、市相关部门" in task7["message"]


def test_unreported_tasks_point_at_the_key_points_part(report):
    text = FIXTURE.read_text(encoding="utf-8")
    for finding in (f for f in report["findings"] if f["rule"] == "KP-TASK"):
        assert text[finding["start"] : finding["end"]] == "（一）2021年政务公开工作要点落实情况"


def test_the_task_in_progress_past_its_deadline_is_flagged_with_the_deadline(report):
    [finding] = [f for f in report["findings"] if f["rule"] == "KP-DEADLINE"]
    assert "2021年底前" in finding["message"] and finding["severity"] == "major"
    assert finding["excerpt"] == "区政府门户网站互联网协议第6版（IPv6）改造工作正在推进中。"


def test_evidence_is_the_passage_that_reports_each_task(report):
    text = FIXTURE.read_text(encoding="utf-8")
    evidence = {e["task_id"]: e for e in report["evidence"]}
    assert set(evidence) == set(REPORTED)
    for task, (line, words) in REPORTED.items():
        item = evidence[task]
        assert item["line"] == line, (task, item["excerpt"])
        assert words in item["excerpt"], (task, item["excerpt"])
        assert text[item["start"] : item["end"]].startswith(item["excerpt"][:20])
        assert item["hits"]
    # The epidemic sentence is task 6's evidence, not part of task 8's.
    assert "疫情" not in evidence["8"]["excerpt"]


def test_a_report_without_the_part_gets_kp_part():
    text = FIXTURE.read_text(encoding="utf-8").replace("（一）2021年政务公开工作要点落实情况", "（一）其他工作情况")
    report = check_text(text, keypoints="suzhou-2021")
    [finding] = [f for f in report.findings if f.rule == "KP-PART"]
    assert "苏府办〔2021〕128号" in finding.message and "纳入政府信息公开工作年度报告" in finding.message


def test_the_key_point_document_itself_can_be_given():
    by_name = check_source(load(FIXTURE), keypoints=None)
    assert not [f for f in by_name.findings if f.rule.startswith("KP-")]
    result = CliRunner().invoke(main, ["check", str(FIXTURE), "--keypoints", str(seed_path("002")), "--format", "json"])
    assert sorted(_task_ids(json.loads(result.output)["findings"], "KP-TASK"), key=int) == LEFT_OUT


def test_key_points_of_another_year_are_not_applied_and_say_so():
    result = CliRunner().invoke(main, ["check", str(FIXTURE), "--keypoints", "huaian-2019", "--format", "json"])
    data = json.loads(result.output)
    assert not [f for f in data["findings"] if f["rule"].startswith("KP-")]
    reasons = {n["rule"]: n["reason"] for n in data["not_checked"]}
    assert "不适用于本报告（2021年度）" in reasons["KP-TASK"]


def test_configuration_selects_key_points_by_jurisdiction_and_year(tmp_path):
    config_file = tmp_path / "compliance.toml"
    config_file.write_text(
        '[[keypoints]]\nchecklist = "suzhou-2021"\njurisdiction = "苏州"\nyear = 2021\n', encoding="utf-8"
    )
    config = load_config(config_file)
    report = check_source(load(FIXTURE), config)
    assert sorted(_task_ids([f.model_dump() for f in report.findings], "KP-TASK"), key=int) == LEFT_OUT
    elsewhere = FIXTURE.read_text(encoding="utf-8").replace("苏州市吴江区", "无锡市梁溪区")
    path = tmp_path / "wuxi.txt"
    path.write_text(elsewhere, encoding="utf-8")
    assert not [f for f in check_source(load(path), config).findings if f.rule.startswith("KP-")]
    config_file.write_text('[[keypoints]]\nchecklist = "suzhou-2021"\nyear = 2022\n', encoding="utf-8")
    with pytest.raises(Exception, match="配置为 2022 年，但清单是 2021 年的"):
        configured(load_config(config_file))
