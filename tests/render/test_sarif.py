"""SARIF 2.1.0: valid against the official schema, one run for several drafts, rules with their
docs, levels from severities, regions in UTF-16 columns, fixes from edits."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import FIXTURES, check_text, seed_text
from drafts import table_errors

from compliance.render.sarif import render_sarif
from compliance.rulebook import default_rulebook

SCHEMA = json.loads((Path(__file__).parents[1] / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def _sarif(*drafts: tuple[str, str]) -> dict:
    items = [(check_text(text, name=name), text) for name, text in drafts]
    log = json.loads(render_sarif(items))
    jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER).validate(log)
    return log


def _units(text: str) -> bytes:
    return text.encode("utf-16-le")


def test_one_valid_run_for_several_drafts():
    broken = (FIXTURES / "report_2021_broken.txt").read_text(encoding="utf-8")
    drafts = [
        ("tests/fixtures/report_2021_broken.txt", broken),
        ("seeds/000.txt", seed_text("000")),
        ("表格.txt", table_errors()),
    ]
    log = _sarif(*drafts)
    (run,) = log["runs"]
    assert log["version"] == "2.1.0" and run["columnKind"] == "utf16CodeUnits"
    driver = run["tool"]["driver"]
    assert driver["name"] == "ogi-compliance" and driver["version"]
    assert [a["location"]["uri"] for a in run["artifacts"]] == [
        "tests/fixtures/report_2021_broken.txt",
        "seeds/000.txt",
        "%E8%A1%A8%E6%A0%BC.txt",
    ]
    reports = [check_text(text, name=name) for name, text in drafts]
    assert len(run["results"]) == sum(len(r.findings) for r in reports)
    rules = driver["rules"]
    for result in run["results"]:
        rule = rules[result["ruleIndex"]]
        assert rule["id"] == result["ruleId"]
        assert (
            result["level"]
            == {"critical": "error", "major": "error", "minor": "warning", "info": "note"}[
                result["properties"]["severity"]
            ]
        )
    placeholder = next(r for r in run["results"] if r["ruleId"] == "STYLE-PLACEHOLDER")
    assert placeholder["message"]["text"] == "“XX”是未替换的占位符\n建议：将“XX”替换为实际内容（数字、名称或日期）"
    assert placeholder["level"] == "error"


def test_rules_carry_title_docs_and_default_level():
    log = _sarif(("a.txt", (FIXTURES / "report_2021_broken.txt").read_text(encoding="utf-8")))
    rules = {rule["id"]: rule for rule in log["runs"][0]["tool"]["driver"]["rules"]}
    rulebook = default_rulebook()
    assert set(rules) == set(rulebook.rules)
    spec = rulebook.rules["STRUCT-PART-HEADING"]
    rule = rules["STRUCT-PART-HEADING"]
    assert rule["shortDescription"]["text"] == spec.title and rule["fullDescription"]["text"] == spec.doc.what
    assert spec.doc.why in rule["help"]["text"] and spec.doc.fix in rule["help"]["markdown"]
    assert rule["defaultConfiguration"]["level"] == "warning" and rule["properties"]["severity"] == "minor"
    assert rules["CALC-SUM"]["defaultConfiguration"]["level"] == "error"


@pytest.mark.parametrize("name", ["report_2021_broken.txt", "table-errors", "seed-000"])
def test_regions_select_the_excerpt_in_utf16_columns(name):
    text = {
        "report_2021_broken.txt": lambda: (FIXTURES / name).read_text(encoding="utf-8"),
        "table-errors": table_errors,
        "seed-000": lambda: seed_text("000"),
    }[name]()
    log = _sarif(("d.txt", text))
    lines = text.split("\n")
    report = check_text(text)
    for finding, result in zip(report.findings, log["runs"][0]["results"], strict=True):
        region = result["locations"][0]["physicalLocation"]["region"]
        assert (region["startLine"], region["endLine"]) == (finding.line, text.count("\n", 0, finding.end) + 1)
        if region["startLine"] == region["endLine"]:
            line = _units(lines[region["startLine"] - 1])
            selected = line[2 * (region["startColumn"] - 1) : 2 * (region["endColumn"] - 1)]
            assert selected.decode("utf-16-le") == text[finding.start : finding.end]
        whole = _units(text)[2 * region["charOffset"] : 2 * (region["charOffset"] + region["charLength"])]
        assert whole.decode("utf-16-le") == text[finding.start : finding.end] == region["snippet"]["text"]


def test_columns_count_utf16_units_on_a_cjk_line():
    # 𠮷 (U+20BB7) is outside the BMP: two UTF-16 units, one Python character.
    text = "𠮷𠮷县人民政府2021年政府信息公开工作年度报告\n一、总体情况\n𠮷𠮷乡主动公开政府信息XX条。\n"
    log = _sarif(("d.txt", text))
    result = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "STYLE-PLACEHOLDER")
    region = result["locations"][0]["physicalLocation"]["region"]
    # Line 3: 𠮷𠮷 (4 units) + 乡主动公开政府信息 (9) before XX.
    assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (3, 14, 3, 16)
    assert region["charOffset"] == text.index("XX") + 4 and region["charLength"] == 2


def test_edits_become_fixes_for_text_drafts_only():
    text = (FIXTURES / "report_2021_broken.txt").read_text(encoding="utf-8")
    report = check_text(text)
    log = json.loads(render_sarif([(report, text)]))
    residue = [r for r in log["runs"][0]["results"] if r["ruleId"] == "STYLE-RESIDUE"]
    assert len(residue) == 1  # 打印本页 and 关闭窗口 on adjacent lines: one block
    (fix,) = residue[0]["fixes"]
    (change,) = fix["artifactChanges"]
    (replacement,) = change["replacements"]
    start = text.index("打印本页")
    length = len("打印本页\n关闭窗口")
    assert replacement == {
        "deletedRegion": {"charOffset": start, "charLength": length},
        "insertedContent": {"text": ""},
    }
    assert fix["properties"] == {"safe": True} and change["artifactLocation"]["index"] == 0
    heading = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "STRUCT-PART-HEADING")
    assert heading["fixes"][0]["properties"] == {"safe": False}
    assert "fixes" not in next(r for r in log["runs"][0]["results"] if r["ruleId"] == "STRUCT-TITLE")
    # A .docx's regions index its extracted text; a replacement in the file's bytes would break it.
    docx = report.model_copy(update={"source": report.source.model_copy(update={"format": "docx", "encoding": None})})
    results = json.loads(render_sarif([(docx, text)]))["runs"][0]["results"]
    assert len(results) == len(report.findings) and not any("fixes" in r for r in results)


def test_absolute_paths_are_file_uris():
    text = (FIXTURES / "report_2021_broken.txt").read_text(encoding="utf-8")
    log = _sarif(("/报告/draft 1.txt", text))
    assert log["runs"][0]["artifacts"][0]["location"]["uri"] == "file:///%E6%8A%A5%E5%91%8A/draft%201.txt"


def test_what_was_not_checked_is_a_notification_per_draft():
    broken = (FIXTURES / "report_2021_broken.txt").read_text(encoding="utf-8")
    log = _sarif(("a.txt", broken), ("b.txt", seed_text("000")))
    (invocation,) = log["runs"][0]["invocations"]
    notes = invocation["toolExecutionNotifications"]
    expected = [
        (index, item.rule, item.reason)
        for index, text in enumerate((broken, seed_text("000")))
        for item in check_text(text).not_checked
    ]
    assert [
        (
            n["locations"][0]["physicalLocation"]["artifactLocation"]["index"],
            n["associatedRule"]["id"],
            n["message"]["text"].split("：", 1)[1],
        )
        for n in notes
    ] == expected
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert all(rules[n["associatedRule"]["index"]]["id"] == n["associatedRule"]["id"] for n in notes)
    assert any(
        n["associatedRule"]["id"] == "CALC-SUM" for n in notes[: len(check_text(broken).not_checked)]
    )  # 表四 missing
