"""Parts as the draft has them (compliance/facts/structure.py): every part observed with its place
in the format, its wording and its content, whether right or wrong; the rules judge."""

from __future__ import annotations

from conftest import source_of

from compliance.facts.structure import edits
from compliance.pipeline import describe_source


def _facts(text: str, kind: str) -> list:
    return [f for f in describe_source(source_of(text))[1] if f.kind == kind]


def test_edits_counts_characters_to_change():
    assert edits("主动公开政府信息情况", "主动公开政府信息情况") == 0
    assert edits("主动公开情况", "主动公开政府信息情况") == 4
    assert edits("主动公开政府信息工作情况", "主动公开政府信息情况") == 2
    assert edits("", "总体情况") == 4 and edits("总体情况", "") == 4
    assert edits("总休情况", "总体情况") == 1


_SWAPPED = """苏州市交通运输局2021年政府信息公开工作年度报告
一、总体情况
2021年，我局认真落实条例规定。
二、存在的主要问题及改进情况
无。
三、主动公开政府信息的情况
本年制发规范性文件3件。
四、收到和处理政府信息公开申请情况
本年新收政府信息公开申请12件。
"""


def test_every_part_has_its_rank_and_the_furthest_before_it():
    facts = _facts(_SWAPPED, "part_order")
    assert [(f.rank, f.furthest_rank, f.order_gap) for f in facts] == [(1, 0, 1), (5, 1, 4), (2, 5, -3), (3, 5, -2)]
    assert facts[2].furthest_heading == "二、存在的主要问题及改进情况"


def test_every_part_heading_has_its_distance_from_the_format():
    facts = _facts(_SWAPPED, "part_heading")
    assert [(f.item, f.edits) for f in facts] == [("overview", 0), ("problems", 0), ("active", 0), ("request", 0)]
    (heading,) = _facts(
        "某局2021年政府信息公开工作年度报告\n一、总体情况\n本年无变化。\n二、主动公开情况\n本年制发规范性文件3件。\n",
        "part_heading",
    )[1:]
    assert (heading.label, heading.edits) == ("主动公开政府信息情况", 4)


def test_every_part_has_its_content_measured():
    facts = {f.item: f for f in _facts(_SWAPPED, "part_content")}
    assert (facts["problems"].chars, facts["problems"].none_phrase, facts["problems"].substance) == (2, "无。", 0)
    assert facts["active"].substance == facts["active"].chars == len("本年制发规范性文件3件。")
