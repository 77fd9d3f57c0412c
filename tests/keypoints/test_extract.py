"""Key-point documents → checklists: both seed layouts, every task with its units, the reporting
instruction, body and attachment linked; the shipped checklists are what extraction gives."""

from __future__ import annotations

import pytest
from conftest import seed_path

from compliance.checklists.files import shipped, to_yaml
from compliance.pipeline import read_checklist as extract_file


@pytest.fixture(scope="module")
def suzhou():
    return extract_file(seed_path("002"))


@pytest.fixture(scope="module")
def huaian():
    return extract_file(seed_path("004"))


def _attachment(checklist):
    return [t for t in checklist.tasks if t.source == "attachment"]


def test_suzhou_metadata_and_instruction(suzhou):
    assert (suzhou.title, suzhou.year, suzhou.doc_number) == (
        "苏州市2021年政务公开工作要点",
        2021,
        "苏府办〔2021〕128号",
    )
    assert suzhou.issuer == "苏州市人民政府办公室"
    assert (
        suzhou.report_instruction.text
        == "各地各部门要将本要点落实情况纳入政府信息公开工作年度报告予以公开，接受社会监督。"
    )
    line = seed_path("002").read_text(encoding="utf-8").split("\n")[suzhou.report_instruction.line - 1]
    assert suzhou.report_instruction.text in line


def test_suzhou_attachment_has_twelve_tasks_with_units(suzhou):
    tasks = _attachment(suzhou)
    assert [t.id for t in tasks] == [str(n) for n in range(1, 13)]
    assert all(t.units for t in tasks)
    first = tasks[0]
    assert first.units == ["市司法局", "市政府办公室政务公开办", "各市、区政府（管委会）办公室（党政办）", "市相关部门"]
    assert first.lead == ["市司法局", "市政府办公室政务公开办"]
    assert first.deadline == "2021年底前"
    assert tasks[5].units == ["市卫生健康委"]  # 疫情防控信息: one unit
    assert "一企来" in tasks[1].terms and "12345" in tasks[1].terms


def test_suzhou_rows_are_linked_to_the_body_not_duplicated(suzhou):
    tasks = _attachment(suzhou)
    assert all(t.body is not None for t in tasks)
    assert tasks[0].body.part == "一、加快完善政策发布解读回应体系／（一）强化重要政策发布和政务信息管理"
    # No body task restates an attachment row; the one body task is the IPv6 deadline no row has.
    body = [t for t in suzhou.tasks if t.source == "body"]
    assert [(t.text, t.deadline) for t in body] == [
        ("2021年底前，县级以上政府门户网站全部支持互联网协议第6版", "2021年底前")
    ]


def test_huaian_metadata_repairs_the_damaged_number(huaian):
    assert (huaian.title, huaian.year) == ("淮安市2019年政务公开工作要点", 2019)
    assert huaian.doc_number == "淮政办发〔2019〕19号"
    assert huaian.report_instruction.text == "贯彻落实情况纳入政府信息公开年度报告,并向社会公开。"
    assert huaian.report_instruction.line == 40


def test_huaian_flattened_attachment_has_31_tasks_with_units(huaian):
    tasks = _attachment(huaian)
    assert [t.id for t in tasks] == [str(n) for n in range(1, 32)]
    assert all(t.units for t in tasks)
    by_id = {t.id: t for t in tasks}
    assert by_id["1"].units == ["各县区", "市各有关部门"]
    assert by_id["2"].lead == ["市政府办公室"] and by_id["2"].units == ["市政府办公室", "各县区"]
    assert "市审计局" in by_id["5"].units
    assert len(by_id["22"].units) == 11  # the long list of 牵头单位 on one line
    assert by_id["27"].terms[0] == "网上公报室"  # "国办发〔201822号" is not a term
    assert by_id["2"].part.startswith("推进政务运行公开透明")


def test_huaian_deadline_in_the_body_becomes_a_task(huaian):
    body = [t for t in huaian.tasks if t.source == "body"]
    assert len(body) == 1 and body[0].deadline == "6月底"
    assert "工作要点或具体实施方案" in body[0].terms


@pytest.mark.parametrize(("seed", "name"), [("002", "suzhou-2021"), ("004", "huaian-2019")])
def test_shipped_checklists_are_what_extraction_gives(seed, name):
    assert to_yaml(extract_file(seed_path(seed))) == shipped()[name].read_text(encoding="utf-8")
