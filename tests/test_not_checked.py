"""The "未检查" reasons are data (rules/lexicon/not_checked.yaml): every key an extractor names
exists, every sentence renders with the values it is given, and a bad template fails at load."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import check_text

from compliance.errors import RuleFileError
from compliance.resources import rules_dir
from compliance.rulebook import default_rulebook, load_rulebook

PACKAGE = Path(__file__).resolve().parents[1] / "compliance"
NAMED = re.compile(r'Unavailable\([^)]*?reason="([a-z-]+)"', re.S)


def test_every_reason_an_extractor_names_has_its_sentence():
    named = {key for path in PACKAGE.rglob("*.py") for key in NAMED.findall(path.read_text(encoding="utf-8"))}
    assert len(named) >= 12
    assert named <= set(default_rulebook().not_checked), named - set(default_rulebook().not_checked)


def test_reasons_render_from_their_values():
    report = check_text(
        "苏州市交通运输局2021年政府信息公开工作年度报告\n一、总体情况\n2021年，我局认真落实条例规定。\n"
    )
    reasons = {item.rule: item.reason for item in report.not_checked}
    assert reasons["XREF-CARRYOVER"] == "未提供上一年度报告（--previous），未核对上年结转数"
    assert reasons["CALC-SUM"].startswith("未找到表二")
    assert reasons["CALC-SUM"].endswith("未核对其数字")
    assert reasons["TIME-DEADLINE"] == "报告未写明发布日期（落款日期），未核对发布时限"


def test_an_undated_report_names_what_goes_unchecked():
    report = check_text("政府信息公开工作年度报告\n一、总体情况\n我局认真落实条例规定。\n")
    reasons = {item.rule: item.reason for item in report.not_checked}
    assert reasons["TIME-YEAR"] == "报告年度不明，未核对年份"
    assert reasons["TIME-PLAN-YEAR"].startswith("报告年度不明，未核对计划年度")


@pytest.mark.parametrize(
    "template, error",
    [
        ("{{ cycler.__init__ }}", "未知的模板变量 'cycler'"),
        ("{{ values.__class__ }}", "不允许以 '_' 开头的名称"),
        ("{% if %}", "模板错误"),
    ],
)
def test_a_bad_reason_template_is_refused_at_load(tmp_path, template, error):
    root = tmp_path / "rules"
    shutil.copytree(rules_dir(), root)
    path = root / "lexicon" / "not_checked.yaml"
    path.write_text(path.read_text(encoding="utf-8") + f'bad-one: "{template}"\n', encoding="utf-8")
    with pytest.raises(RuleFileError) as raised:
        load_rulebook(root)
    assert "not_checked.yaml" in str(raised.value) and "bad-one" in str(raised.value)
    assert error in str(raised.value)


def test_the_facts_read_the_rulebooks_own_lexicons(tmp_path):
    """A rulebook loaded from another rules folder is read whole from there: nothing falls back to
    the shipped folder behind the caller's back (figure and key-point words included)."""
    from compliance.errors import ComplianceError
    from compliance.load import load_bytes
    from compliance.pipeline import check_source

    root = tmp_path / "rules"
    shutil.copytree(rules_dir(), root)
    (root / "lexicon" / "figures.yaml").unlink()
    rulebook = load_rulebook([root])
    source = load_bytes(
        "苏州市交通运输局2021年政府信息公开工作年度报告\n一、总体情况\n本年收到申请12件。\n".encode(), "x.txt"
    )
    with pytest.raises(ComplianceError) as raised:
        check_source(source, rulebook=rulebook)
    assert str(root / "lexicon" / "figures.yaml") in str(raised.value)
