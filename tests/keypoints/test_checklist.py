"""Checklists as files a person edits: YAML/JSON round trip, validation errors that name the file
and the field, and the `compliance keypoints extract` command."""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner
from conftest import seed_path

from cli import main
from compliance.checklists.files import ChecklistError, load_checklist, save_checklist, shipped
from compliance.pipeline import checklist as resolve


def test_yaml_and_json_round_trip(tmp_path):
    checklist = load_checklist(shipped()["suzhou-2021"])
    for suffix in (".yaml", ".json"):
        path = tmp_path / f"copy{suffix}"
        save_checklist(checklist, path)
        again = load_checklist(path)
        assert again.model_dump() == checklist.model_dump()


def _edited(tmp_path, change) -> str:
    data = yaml.safe_load(shipped()["suzhou-2021"].read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "edited.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["tasks"][3].__setitem__("terms", []), "tasks.3.terms"),
        (lambda d: d["tasks"][0].__setitem__("terms", ["政府规章|"]), "关键词或其同义写法为空"),
        (lambda d: d["tasks"][1].__setitem__("id", "1"), "任务编号 '1' 重复"),
        (lambda d: d["tasks"][0].__setitem__("lead", ["市财政局"]), "牵头单位 '市财政局' 不在责任单位（units）中"),
        (lambda d: d.__setitem__("year", "明年"), "year"),
        (lambda d: d["tasks"][0].__setitem__("unit", ["市司法局"]), "tasks.0.unit"),
    ],
)
def test_a_bad_edit_is_named_with_file_and_field(tmp_path, change, expected):
    path = _edited(tmp_path, change)
    with pytest.raises(ChecklistError) as error:
        load_checklist(path)
    assert str(error.value).startswith(path) and expected in str(error.value)


@pytest.mark.parametrize(
    ("language", "malformed", "unknown"),
    [
        ("zh", "YAML 格式有误", "自带：huaian-2019、suzhou-2021"),
        ("en", "malformed YAML", "shipped: huaian-2019, suzhou-2021"),
    ],
)
def test_malformed_yaml_and_unknown_names(tmp_path, request, language, malformed, unknown):
    if language == "en":
        request.getfixturevalue("english")
    broken = tmp_path / "broken.yaml"
    broken.write_text("title: [unclosed\n", encoding="utf-8")
    with pytest.raises(ChecklistError, match=malformed):
        load_checklist(broken)
    with pytest.raises(ChecklistError, match=unknown):
        resolve("nanjing-2021")


def test_extract_command_writes_yaml_and_prints_json(tmp_path):
    runner = CliRunner()
    out = tmp_path / "rules" / "keypoints" / "suzhou.yaml"
    result = runner.invoke(main, ["keypoints", "extract", str(seed_path("002")), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert load_checklist(out).doc_number == "苏府办〔2021〕128号"
    result = runner.invoke(main, ["keypoints", "extract", str(seed_path("004")), "--format", "json"])
    data = json.loads(result.output)
    assert set(data) >= {"issuer", "year", "doc_number", "report_instruction", "tasks"}
    assert data["report_instruction"]["line"] == 40
    assert {"id", "text", "part", "units", "deadline", "terms"} <= set(data["tasks"][0])
    assert len([t for t in data["tasks"] if t["source"] == "attachment"]) == 31


def test_extract_command_rejects_a_report_with_a_one_line_error(tmp_path):
    result = CliRunner().invoke(main, ["keypoints", "extract", str(seed_path("001"))])
    assert result.exit_code == 2
    assert "not a key-point document" in result.output and "Traceback" not in result.output
