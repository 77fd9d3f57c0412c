"""Stage 3: the grammar, the layout postlexer and the tree, on real and hand-made text."""

from __future__ import annotations

import pytest
from conftest import CORPUS, seed_text, shared_file
from lark import Lark

from compliance.normalize import normalize
from compliance.parse import parse, parser


def _headings(tree, depth=1):
    out = []
    for section in tree.sections:
        out.append(section.heading.marker + section.heading.title)
    return out


def test_grammar_has_no_conflicts_or_collisions():
    assert isinstance(parser(strict=True), Lark)


def test_levels_nest_and_may_be_skipped():
    tree = parse("一、总体情况\n（一）主动公开\n1.规章\n（1）新制定\n二、主动公开政府信息情况\n（1）跳过两级\n")
    first, second = tree.sections
    assert [s.level for s in (first, second)] == [1, 1]
    sub = first.sections()[0]
    assert sub.heading.title == "主动公开"
    assert sub.sections()[0].sections()[0].heading.style == "paren_arabic"
    assert second.sections()[0].level == 4


@pytest.mark.parametrize(
    "line",
    [
        "一、二级指标全部达标，其余情况良好。",
        "1.5亿元资金已全部公开。",
        "12.5万元用于平台建设。",
        "2024年，我市坚持依法公开。",
    ],
)
def test_false_headings_stay_text(line):
    tree = parse("一、总体情况\n" + line + "\n")
    (part,) = tree.sections
    assert [c.kind for c in part.children] == ["paragraph"]
    assert part.children[0].text == line


def test_prose_beginning_with_an_ordinal_but_too_long_is_not_a_heading():
    line = (
        "1、"
        "各部门依法依规做好政府信息公开工作并且不断完善工作机制和制度规范持续提升公开质量和效果确保公开内容全面准确及时有效回应社会关切切实保障人民群众知情权"
        "。"
    )
    tree = parse("一、总体情况\n" + line + "\n")
    assert [c.kind for c in tree.sections[0].children] == ["paragraph"]


def test_run_in_heading_splits_title_from_body_and_joins_the_wrapped_line():
    text = normalize(seed_text("003")).text
    tree = parse(text)
    first_sub = tree.sections[0].sections()[0]
    assert first_sub.heading.title == "夯实公开基础,统筹推进工作"
    body = first_sub.children[0]
    # seed 003 breaks "成立\n崑山市…" mid-sentence: one paragraph
    assert "成立昆山市政府信息公开工作领导小组" in body.text
    assert body.line == first_sub.line
    assert len(first_sub.children) == 1


def test_paragraph_offsets_point_at_their_text():
    text = normalize(seed_text("001")).text
    tree = parse(text)
    for node in tree.walk():
        if node.kind == "paragraph":
            for start, piece in node.pieces:
                assert text[start : start + len(piece)] == piece
            assert node.doc_offset(len(node.text)) == node.end
        elif node.kind == "section":
            assert text[node.heading.start : node.heading.end].startswith(node.heading.marker)


def test_seed_000_tree():
    tree = parse(normalize(seed_text("000")).text)
    assert tree.title.text == "苏州市2018年政府信息公开工作年度报告"
    assert _headings(tree) == [
        "一、概述",
        "二、主动公开政府信息情况",
        "三、依申请公开政府信息情况",
        "四、依申请公开收费及减免情况",
        "五、行政复议和行政诉讼情况",
        "六、存在问题和改进措施",
    ]
    active = tree.sections[1]
    assert len(active.sections()) == 6 and len(active.sections()[0].sections()) == 4


def test_seed_001_preamble_is_not_a_title():
    tree = parse(seed_text("001"))
    assert tree.title is None
    assert len(tree.preamble) == 1 and tree.preamble[0].text.startswith("根据《中华人民共和国政府信息公开条例》")
    assert [s.heading.title for s in tree.sections[1].sections()][-1] == "收费及减免方面"


def test_pdf_text_title_and_wrapped_lines_join():
    text = shared_file(CORPUS / "huaian-szf-2024.txt").read_text(encoding="utf-8")
    tree = parse(text)
    assert tree.title.text == "淮安市人民政府2024 年政府信息公开工作年度报告"
    assert len(tree.sections) == 6
    overview = tree.sections[0]
    first = overview.sections()[0].children[0]
    assert "市政府网站主动公开各类政府信息 5500 余条" in first.text  # "各类政\n府信息" joined
    tables = [n for n in tree.walk() if n.kind == "table"]
    assert len(tables) == 6  # four blocks of table 二, table 三, table 四
    big = tables[4]
    assert big.rows[-1][0].text == "四、结转下年度继续办理"  # a row, not a heading
    for row in big.rows:
        for cell in row:
            assert text[cell.start : cell.end] == cell.text


def test_markdown_pipe_table_and_hash_headings():
    tree = parse("# 一、总体情况\n| 项目 | 数量 |\n|---|---|\n| 规章 | 1 |\n")
    (part,) = tree.sections
    table = part.children[0]
    assert [[c.text for c in row] for row in table.rows] == [["项目", "数量"], ["规章", "1"]]


def test_a_row_whose_only_tab_leads_it_stays_in_its_table():
    tree = parse(
        "二、主动公开政府信息情况\n第二十条第（六）项\n\t本年处理决定数量\n行政处罚\t4119\n\t2024年，我市缩进的段落。\n"
    )
    (part,) = tree.sections
    kinds = [c.kind for c in part.children]
    assert kinds == ["paragraph", "table"]
    assert [[c.text for c in row] for row in part.children[1].rows] == [
        ["", "本年处理决定数量"],
        ["行政处罚", "4119"],
        ["", "2024年，我市缩进的段落。"],
    ]


def test_an_indented_paragraph_is_not_a_row():
    tree = parse("一、总体情况\n\t2024年，我市坚持依法公开。\n")
    assert [c.kind for c in tree.sections[0].children] == ["paragraph"]


def _one_line(text: str) -> str:
    """The report as a crawler keeps it: one line, a space where each line ended, table cells run
    together."""
    return " ".join(line.replace("\t", "") for line in text.split("\n") if line.strip())


def test_a_report_on_one_line_gets_its_title_and_parts_back():
    from conftest import FIXTURES

    text = _one_line((FIXTURES / "report_2021.txt").read_text(encoding="utf-8"))
    tree = parse(text)
    assert tree.title.text == "苏州市自然资源和规划局2021年政府信息公开工作年度报告"
    assert [s.heading.marker + s.heading.title for s in tree.sections] == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    for section in tree.sections:  # offsets still point into the one line
        assert text[section.heading.start : section.heading.end].startswith(section.heading.marker)
    # table 三's row labels inside the run are not parts
    assert not any("本年新收" in s.heading.title for s in tree.sections)


def test_tables_whose_cells_ran_together_are_unreadable_not_missing():
    from conftest import FIXTURES, check_text

    report = check_text(_one_line((FIXTURES / "report_2021.txt").read_text(encoding="utf-8")))
    assert not [
        f
        for f in report.findings
        if f.rule in ("STRUCT-TABLE-MISSING", "CALC-SUM", "CALC-BALANCE", "STRUCT-PART-MISSING")
    ]
    not_checked = {n.rule: n.reason for n in report.not_checked}
    assert "无法分开读取" in not_checked["STRUCT-TABLE-MISSING"] and "无法分开读取" in not_checked["CALC-BALANCE"]


def test_a_row_label_alone_on_its_line_is_a_row_not_a_heading():
    tree = parse("三、收到和处理政府信息公开申请情况\n（七）总计\n\t12\t0\t0\t0\t0\t0\t12\n四、结转下年度继续办理\n")
    (part,) = tree.sections
    assert [c.kind for c in part.children] == ["table"]
    assert [row[0].text for row in part.children[0].rows] == ["（七）总计", "", "四、结转下年度继续办理"]
