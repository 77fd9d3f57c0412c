"""The example rule pack (examples/rule-pack) on real published reports: each rule found where the
report lacks what the local requirement asks, and nothing else of the check changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS, shared_file, source_of

from compliance.load import load
from compliance.models.config import Config
from compliance.pipeline import check_source
from compliance.rulebook import default_rulebook, rulebook_for

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "rule-pack"
REALWORLD = Path(__file__).resolve().parents[1] / "realworld" / "docs"
PINGTAN = [REALWORLD / f"{year}-pingtan-gwh.txt" for year in range(2021, 2026)]
HUAIAN = ["huaian-hongze-2023.txt", "huaian-hongze-2024.txt", "huaian-szf-2024.txt"]


def _local(source, rulebook=None):
    report = check_source(source, Config(), rulebook=rulebook or rulebook_for([EXAMPLE]))
    return [(f.rule, f.excerpt) for f in report.findings if f.rule.startswith("LOCAL")], report


def _huaian(name: str) -> Path:
    return shared_file(CORPUS / name)


@pytest.mark.parametrize("path", PINGTAN + HUAIAN, ids=lambda p: Path(p).stem)
def test_real_reports_name_new_media_in_part_one_but_do_not_compare_part_three(path):
    """All of them report 政务新媒体 in 一、总体情况; none compares its requests with last year's:
    part 三 is the format's table alone."""
    path = _huaian(path) if isinstance(path, str) else path
    found, _ = _local(load(path))
    assert found == [("LOCAL-YEAR-COMPARE", "三、收到和处理政府信息公开申请情况")]


def test_a_real_report_without_new_media_in_part_one():
    """大川镇 2023: its 平台建设 names only an LED screen, notice boards and the website."""
    found, _ = _local(load(REALWORLD / "p-2023-dachuan-zhen.txt"))
    assert found == [("LOCAL-NEWMEDIA", "一、总体情况")]


def test_real_text_edited_both_ways():
    text = load(REALWORLD / "2023-pingtan-gwh.txt").text
    table = text.index("三、收到和处理政府信息公开申请情况")
    part_two = text.index("二、主动公开政府信息情况")
    compared = text[: table + 17] + "\n本年度新收政府信息公开申请81件，比上年增加7件。\n" + text[table + 17 :]
    assert _local(source_of(compared))[0] == []
    without = text[:part_two].replace("政务新媒体", "网站").replace("新媒体", "网站") + text[part_two:]
    assert [rule for rule, _ in _local(source_of(without))[0]] == ["LOCAL-NEWMEDIA", "LOCAL-YEAR-COMPARE"]


def test_the_pack_adds_its_findings_and_changes_no_other():
    source = load(REALWORLD / "2021-pingtan-gwh.txt")
    _, with_pack = _local(source)
    _, shipped = _local(source, default_rulebook())
    assert [f for f in with_pack.findings if not f.rule.startswith("LOCAL")] == shipped.findings
    assert with_pack.not_checked == shipped.not_checked
