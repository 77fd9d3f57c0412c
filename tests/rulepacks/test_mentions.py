"""``mention`` facts: one per term set and part of the report that uses the set's terms."""

from __future__ import annotations

from compliance.facts import mentions
from compliance.models.rulespec import MentionSet
from compliance.normalize import normalize
from compliance.parse import parse
from compliance.rulebook import default_rulebook

DRAFT = """某县人民政府2021年政府信息公开工作年度报告
本报告由某县人民政府办公室编制，比上年提前发布。
一、总体情况
2021年，我县通过政府网站和“某县发布”微信
公众号发布信息，新开设政务抖音账号1个，微信公众号发布信息200条。
二、主动公开政府信息情况
第二十条第（一）项\t信息内容\t本年制发件数
规章\t0\t0
三、收到和处理政府信息公开申请情况
本年度新收申请12件，较2020年增加3件，同比增长33.3%。
五、存在的主要问题及改进情况
无。
"""

SETS = {
    "new_media": MentionSet(label="政务新媒体", terms=["微信公众号", "公众号", "政务抖音", "抖音"]),
    "year_comparison": default_rulebook().mentions["year_comparison"],
    "unused": MentionSet(label="未用", terms=["区块链"]),
}


def _mentions(draft: str = DRAFT, sets=SETS):
    text = normalize(draft).text
    return text, mentions.extract(parse(text), text, sets, default_rulebook().parts)


def test_one_fact_per_set_and_part_with_the_first_occurrence_and_the_count():
    text, facts = _mentions()
    found = {(f.set, f.part): f for f in facts}
    assert set(found) == {("new_media", "overview"), ("year_comparison", "preamble"), ("year_comparison", "request")}
    media = found[("new_media", "overview")]
    # "微信\n公众号": the paragraph is joined across its line break; its span covers both lines
    assert media.term == "微信公众号" and media.count == 3 and media.heading == "一、总体情况"
    assert text[media.start : media.end] == "微信\n公众号"
    assert media.label == "政务新媒体"
    compare = found[("year_comparison", "request")]
    assert (compare.term, compare.count) == ("较2020年", 2)  # 较2020年 (a pattern) and 同比 (a term)
    assert text[compare.start : compare.end] == "较2020年"
    assert found[("year_comparison", "preamble")].heading == ""


def test_parts_are_named_as_the_structure_facts_name_them():
    from conftest import source_of

    from compliance.pipeline import describe_source

    _, facts = describe_source(source_of(DRAFT))
    items = {f.item for f in facts if f.kind == "part_content"}
    assert {f.part for f in facts if f.kind == "mention"} - {"preamble"} <= items


def test_table_cells_and_sub_headings_are_part_of_their_part():
    draft = (
        "某局2021年政府信息公开工作年度报告\n一、总体情况\n（一）政务新媒体建设\n全年工作。\n"
        "二、主动公开政府信息情况\n平台\t微信公众号\n发布\t12\n"
    )
    text, facts = _mentions(draft, {"m": MentionSet(label="m", terms=["新媒体", "微信公众号"])})
    assert sorted((f.part, f.term) for f in facts) == [("active", "微信公众号"), ("overview", "新媒体")]
    for fact in facts:
        assert text[fact.start : fact.end] == fact.term


def test_no_sets_no_facts():
    assert _mentions(sets={})[1] == []
