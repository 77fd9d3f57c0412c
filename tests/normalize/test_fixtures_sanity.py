"""The test fixtures themselves: consistent figures (domain.md §3.1–3.4) and faithful renderings.

Checked with plain Python on the tab rows, independently of the checker, so a finding on a
fixture is the checker's doing, not the fixture's."""

from __future__ import annotations

import re

import pytest
from builders import to_docx, to_html
from conftest import FIXTURES

OUTCOMES_2021 = [
    "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    (
        "（三）不予公开",
        [
            "1.属于国家秘密",
            "2.其他法律行政法规禁止公开",
            "3.危及“三安全一稳定”",
            "4.保护第三方合法权益",
            "5.属于三类内部事务信息",
            "6.属于四类过程性信息",
            "7.属于行政执法案卷",
            "8.属于行政查询事项",
        ],
    ),
    ("（四）无法提供", ["1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"]),
    (
        "（五）不予处理",
        [
            "1.信访举报投诉类申请",
            "2.重复申请",
            "3.要求提供公开出版物",
            "4.无正当理由大量反复申请",
            "5.要求行政机关确认或重新出具已获取信息",
        ],
    ),
    (
        "（六）其他处理",
        [
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "3.其他",
        ],
    ),
]
OUTCOMES_2019 = OUTCOMES_2021[:5] + ["（六）其他处理"]
NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
HEADER = [
    [NOTE, "", "", "申请人情况", "", "", "", "", "", ""],
    ["", "", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
    ["", "", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""],
]
REVIEW_HEADER = [
    ["行政复议", "", "", "", "", "行政诉讼"] + [""] * 9,
    [
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
        "未经复议直接起诉",
        "",
        "",
        "",
        "",
        "复议后起诉",
        "",
        "",
        "",
        "",
    ],
    [""] * 5 + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
]
PARTS = [
    "一、总体情况",
    "二、主动公开政府信息情况",
    "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况",
    "五、存在的主要问题及改进情况",
    "六、其他需要报告的事项",
]


def _text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def _tables(text: str) -> list[list[list[str]]]:
    tables: list[list[list[str]]] = []
    previous_was_row = False
    for line in text.split("\n"):
        if "\t" in line:
            if not previous_was_row:
                tables.append([])
            tables[-1].append(line.split("\t"))
        previous_was_row = "\t" in line
    return tables


def _requests(text: str) -> list[list[str]]:
    (table,) = [t for t in _tables(text) if t[0][0] == NOTE]
    return table


def _review(text: str) -> list[list[str]]:
    (table,) = [t for t in _tables(text) if t[0][0] == "行政复议"]
    return table


def _expected_labels(outcomes) -> list[tuple[str, str, str]]:
    labels = [("一、本年新收政府信息公开申请数量", "", ""), ("二、上年结转政府信息公开申请数量", "", "")]
    first = "三、本年度办理结果"
    for item in outcomes:
        if isinstance(item, str):
            labels.append((first, item, ""))
        else:
            group, subs = item
            labels += [
                (first if i == 0 and not labels[-1][0] == first else "", group if i == 0 else "", sub)
                for i, sub in enumerate(subs)
            ]
        first = ""
    return labels + [("", "（七）总计", ""), ("四、结转下年度继续办理", "", "")]


@pytest.mark.parametrize(("name", "outcomes"), [("report_2021.txt", OUTCOMES_2021), ("report_2019.txt", OUTCOMES_2019)])
def test_requests_table_has_the_national_grid_and_balances(name, outcomes):
    table = _requests(_text(name))
    assert table[:3] == HEADER
    body = table[3:]
    assert [tuple(row[:3]) for row in body] == _expected_labels(outcomes)
    assert all(len(row) == 10 for row in body)
    values = [[int(v) for v in row[3:]] for row in body]  # int() rejects blanks and signs are checked below
    assert all(v >= 0 for row in values for v in row)
    for row in values:  # 总计 = 自然人 + the five kinds of organisation
        assert row[6] == sum(row[:6])
    new, carried, *outcome_rows, total, next_year = values
    for column in range(7):
        assert new[column] + carried[column] == total[column] + next_year[column]
        assert sum(row[column] for row in outcome_rows) == total[column]


@pytest.mark.parametrize("name", ["report_2021.txt", "report_2019.txt"])
def test_review_table_groups_add_up(name):
    table = _review(_text(name))
    assert table[:3] == REVIEW_HEADER
    (data,) = table[3:]
    values = [int(v) for v in data]
    assert len(values) == 15
    for group in (values[0:5], values[5:10], values[10:15]):
        assert group[4] == sum(group[:4])


def test_proactive_table_2021_uses_the_2021_blocks():
    text = _text("report_2021.txt")
    blocks = re.findall(r"^(第二十条第（[一五六八]）项)\n(信息内容\t[^\n]*)", text, re.M)
    assert [b[0][-4:] for b in blocks] == ["（一）项", "（五）项", "（六）项", "（八）项"]
    assert blocks[0][1] == "信息内容\t本年制发件数\t本年废止件数\t现行有效件数"
    rows = {row[0]: row[1:] for table in _tables(text) for row in table if row[0] in {"规章", "行政规范性文件"}}
    for made, _repealed, in_force in (map(int, r) for r in rows.values()):
        assert in_force >= made
    assert (
        "行政规范性文件3件" in text and "废止1件，现行有效25件" in text and rows["行政规范性文件"] == ["3", "1", "25"]
    )


def test_proactive_table_2019_uses_the_five_trial_blocks():
    text = _text("report_2019.txt")
    heads = re.findall(r"^第二十条第（(.)）项$", text, re.M)
    assert heads == ["一", "五", "六", "八", "九"]
    assert "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量" in text
    assert "其他对外管理服务事项\t" in text and "政府集中采购\t" in text


@pytest.mark.parametrize("name", ["report_2021.txt", "report_2019.txt"])
def test_prose_restates_the_table_figures(name):
    text = _text(name)
    values = {row[1] or row[0]: int(row[9]) for row in _requests(text)[3:] if not row[2]}
    new, carried = values["一、本年新收政府信息公开申请数量"], values["二、上年结转政府信息公开申请数量"]
    total, next_year = values["（七）总计"], values["四、结转下年度继续办理"]
    public = values["（一）予以公开"] + values["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"]
    for sentence in (
        f"新收政府信息公开申请{new}件",
        f"上年结转{carried}件",
        f"办结{total}件",
        f"结转下年度继续办理{next_year}件",
        f"予以公开和部分公开合计{public}件",
    ):
        assert sentence in text
    share = re.search(r"占办结总数的(\d+\.\d)%", text).group(1)
    assert share == f"{100 * public / total:.1f}"
    review = [int(v) for v in _review(text)[3]]
    assert f"行政复议{review[4]}件" in text and f"行政诉讼{review[9] + review[14]}件" in text


def test_report_shapes():
    for name in ("report_2021.txt", "report_2019.txt"):
        lines = _text(name).split("\n")
        assert lines[0].endswith("政府信息公开工作年度报告") and lines[1] == ""
        assert [line for line in lines if line[:2] in {p[:2] for p in PARTS} and "\t" not in line] == PARTS
    assert "2021年1月1日至2021年12月31日" in _text("report_2021.txt")
    assert _text("report_2021.txt").rstrip().endswith("2022年1月20日")
    assert "信息处理费" in _text("report_2021.txt").split("六、其他需要报告的事项")[1]
    text_2019 = _text("report_2019.txt")
    assert all(word in text_2019 for word in ("考核", "社会评议", "责任追究"))
    assert not re.search(r"XX|××|某某", _text("report_2021.txt") + text_2019)


def test_broken_fixture_differs_only_by_its_documented_defects():
    clean, broken = _text("report_2021.txt"), _text("report_2021_broken.txt")
    assert not broken.startswith("苏州市自然资源和规划局2021年")
    assert "四、政府信息公开行政复议" not in broken and "行政复议\t" not in broken
    assert broken.index("六、其他需要报告的事项") < broken.index("五、存在的主要问题及改进情况")
    assert "二、主动公开情况\n" in broken and "发布政策解读XX篇" in broken
    assert broken.rstrip().split("\n")[-2:] == ["打印本页", "关闭窗口"]
    repaired = broken.replace("二、主动公开情况\n", "二、主动公开政府信息情况\n").replace("XX篇", "9篇")
    assert set(repaired.split("\n")) - set(clean.split("\n")) == {"打印本页", "关闭窗口"}


def _docx_tables(path):
    from docx import Document

    document = Document(str(path))
    return document, document.tables


class _Grid:
    """A Word table's cells by position (python-docx repeats a merged cell at each position it covers)."""

    def __init__(self, table):
        self.cells = [table.row_cells(r) for r in range(len(table.rows))]  # table.cell() is O(n) per call

    def text(self, r: int, c: int) -> str:
        return self.cells[r][c].text

    def span(self, top: int, left: int) -> tuple[int, int]:
        """Rows and columns the cell at (top, left) covers."""
        tc = self.cells[top][left]._tc
        rows = sum(1 for row in self.cells[top:] if row[left]._tc is tc)
        cols = sum(1 for cell in self.cells[top][left:] if cell._tc is tc)
        return rows, cols


@pytest.mark.parametrize("name", ["report_2021.txt", "report_2019.txt"])
def test_docx_rendering_has_the_grid_and_the_merges(name, tmp_path):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    text = _text(name)
    document, tables = _docx_tables(to_docx(text, tmp_path / "report.docx"))
    title = document.paragraphs[0]
    assert title.text == text.split("\n")[0] and title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert len(tables) == len(_tables(text))
    grid = _requests(text)
    (word,) = [t for t in tables if t.cell(0, 0).text == NOTE]
    assert (len(word.rows), len(word.columns)) == (len(grid), 10)
    table = _Grid(word)
    assert table.span(0, 0) == (3, 3)
    assert table.text(0, 3) == "申请人情况" and table.span(0, 3) == (1, 7)
    assert table.span(1, 3) == (2, 1) and table.span(1, 9) == (2, 1) and table.span(1, 4) == (1, 5)
    labels = [row[1] or row[0] for row in grid]
    outcome = labels.index("（一）予以公开")
    total = labels.index("（七）总计")
    assert table.text(outcome, 0) == "三、本年度办理结果" and table.span(outcome, 0) == (total - outcome + 1, 1)
    groups = {
        "（三）不予公开": 8,
        "（四）无法提供": 3,
        "（五）不予处理": 5,
        "（六）其他处理": 3 if "2021" in name else 1,
    }
    for group, rows in groups.items():
        r = next(i for i, row in enumerate(grid) if row[1] == group)
        assert table.text(r, 1) == group
        assert table.span(r, 1) == ((rows, 1) if rows > 1 else (1, 2))
    for r, row in enumerate(grid[3:], start=3):  # every numeric cell is its own cell with its figure
        for c in range(3, 10):
            assert table.span(r, c) == (1, 1) and table.text(r, c) == row[c]
    review = _Grid(next(t for t in tables if t.cell(0, 0).text == "行政复议"))
    assert review.span(0, 0) == (1, 5) and review.span(0, 5) == (1, 10)
    assert review.span(1, 5) == (1, 5) and review.span(1, 10) == (1, 5)
    assert all(review.span(1, c) == (2, 1) for c in range(5))
    assert [review.text(3, c) for c in range(15)] == _review(text)[3]


def test_docx_of_a_draft_without_title_has_no_centred_title(tmp_path):
    document, _ = _docx_tables(to_docx(_text("report_2021_broken.txt"), tmp_path / "broken.docx"))
    assert document.paragraphs[0].text.startswith("本报告根据") and document.paragraphs[0].alignment is None


def test_html_rendering_has_the_spans_and_the_junk(tmp_path):
    import lxml.html

    text = _text("report_2021.txt")
    page = lxml.html.parse(str(to_html(text, tmp_path / "report.html"))).getroot()
    assert page.xpath("//script") and page.xpath("//nav")
    assert "联系我们" in page.text_content() and "打印本页" in page.text_content()
    table = next(t for t in page.xpath("//table") if t.xpath(".//td")[0].text_content() == NOTE)
    cell = {td.text_content(): td for td in table.xpath(".//td")}
    assert (cell[NOTE].get("rowspan"), cell[NOTE].get("colspan")) == ("3", "3")
    assert cell["申请人情况"].get("colspan") == "7"
    assert cell["三、本年度办理结果"].get("rowspan") == "22"
    assert cell["（三）不予公开"].get("rowspan") == "8" and cell["（六）其他处理"].get("rowspan") == "3"
    rows = table.xpath(".//tr")
    assert len(rows) == len(_requests(text))
    plain = lxml.html.parse(str(to_html(text, tmp_path / "plain.html", junk=False))).getroot()
    assert not plain.xpath("//script") and not plain.xpath("//nav") and "打印本页" not in plain.text_content()
