"""A rule's ``cases``: one wording (and optionally a severity) per value of a Literal field of its
fact, checked at load to cover exactly the values the fact can take when the rule fires."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import source_of

from compliance.errors import RuleFileError
from compliance.resources import rules_dir
from compliance.rulebook import load_rulebook

CONTACT = """苏州市交通运输局2021年政府信息公开工作年度报告
本报告在网站（http//jtj.suzhou.gov.cn）公布，联系电话：0512-6861631。
一、总体情况
2021年，我局主动公开政府信息512条。
"""


def _rules(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(rules_dir(), target)
    return target


def _edit_cases(root: Path, change) -> Path:
    path = root / "style" / "STYLE-CONTACT.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _refused(root: Path, path: Path, field: str, *words: str) -> str:
    with pytest.raises(RuleFileError) as error:
        load_rulebook(root)
    message = str(error.value)
    assert str(path) in message and "STYLE-CONTACT" in message and field in message, message
    assert all(word in message for word in words), message
    return message


def test_shipped_cases_cover_the_problems_a_contact_can_have():
    from typing import get_args

    from compliance.models.facts_style import ContactFact

    spec = load_rulebook(rules_dir()).rules["STYLE-CONTACT"]
    problems = set(get_args(ContactFact.model_fields["problem"].annotation))
    assert set(spec.cases.values) == problems - {"none"}  # "none" is ruled out by where: {problem: {neq: none}}


def test_an_unknown_case_is_a_load_error(tmp_path):
    root = _rules(tmp_path)
    path = _edit_cases(root, lambda d: d["cases"]["values"].update({"typo": {"message": "x"}}))
    _refused(root, path, "cases.values", "'typo'", "problem")


def test_a_missing_case_is_a_load_error(tmp_path):
    root = _rules(tmp_path)
    path = _edit_cases(root, lambda d: d["cases"]["values"].pop("bracket"))
    _refused(root, path, "cases.values", "'bracket'", "problem")


def test_a_case_for_a_value_the_rule_rules_out_is_a_load_error(tmp_path):
    root = _rules(tmp_path)
    path = _edit_cases(root, lambda d: d["cases"]["values"].update({"none": {"message": "x"}}))
    _refused(root, path, "cases.values", "'none'")


@pytest.mark.parametrize(("field", "words"), [("text", ["没有固定取值", "Literal"]), ("colour", ["没有字段"])])
def test_cases_need_a_literal_field_of_the_fact(tmp_path, field, words):
    root = _rules(tmp_path)
    path = _edit_cases(root, lambda d: d["cases"].update({"field": field}))
    _refused(root, path, "cases.field", *words)


def test_a_case_template_is_checked_at_load(tmp_path):
    root = _rules(tmp_path)
    path = _edit_cases(root, lambda d: d["cases"]["values"]["short"].update({"message": "{{ fact.digits }}"}))
    _refused(root, path, "cases.values.short.message", "没有字段 'digits'")


def test_a_case_gives_its_wording_and_severity_and_falls_back_to_the_rules(tmp_path):
    from compliance.pipeline import check_source

    root = _rules(tmp_path)

    def change(data):
        data["cases"]["values"]["short"]["severity"] = "major"
        del data["cases"]["values"]["short"]["suggestion"]
        data["suggestion"] = "核对“{{ fact.text }}”"

    _edit_cases(root, change)
    found = {
        f.excerpt: f
        for f in check_source(source_of(CONTACT), rulebook=load_rulebook(root)).findings
        if f.rule == "STYLE-CONTACT"
    }
    scheme, short = found["http//"], found["0512-6861631"]
    assert (scheme.severity, scheme.message, scheme.suggestion) == (
        "minor",
        "网址“http//”格式有误：“http://”写错了",
        "核对“http//”",
    )
    assert (short.severity, short.message, short.suggestion) == (
        "major",
        "电话号码“0512-6861631”格式有误：位数不够",
        "核对“0512-6861631”",
    )
