"""Pairs of reports for the comparison tests: the corpus's 淮安洪泽 2023 and 2024 reports, and a
pair made from the 2021 fixture where some paragraphs are copied and others changed."""

from __future__ import annotations

from functools import cache

from conftest import CORPUS, FIXTURES, shared_file, source_of

from compliance.compare import compare_files, compare_sources
from compliance.models.comparison import CellChange, Comparison

LAST_YEAR = (FIXTURES / "report_2021.txt").read_text(encoding="utf-8")
# What the next year's report changes of the fixture; every other paragraph is copied as it is.
REWORDED = ("优化局门户网站政府信息公开专栏", "升级局门户网站政府信息公开专栏")  # one word of a paragraph
PROBLEMS = "2021年，我局政府信息公开工作取得一定成效"
REWRITTEN = (
    "2022年，我局对照群众关切查找短板，发现依申请公开办理时限管理仍靠人工登记、提醒不及时，"
    "政策解读与文件发布不同步的情况时有发生。下一步将上线办理时限电子提醒，建立解读材料与文件同步审核、同步发布制度。"
)
SPACED = ("组织业务培训2次，开展网站信息公开栏目季度自查4次。", "组织业务培训２次， 开展网站信息公开栏目季度自查４次。")


def next_year_text() -> str:
    """The fixture as a 2022 report: the title's year, one paragraph reworded, part 五's paragraph
    rewritten, one paragraph with spaces and full-width digits only; the rest copied."""
    lines = LAST_YEAR.splitlines()
    lines[0] = lines[0].replace("2021年", "2022年")
    text = "\n".join(lines) + "\n"
    problems = next(line for line in lines if line.startswith(PROBLEMS))
    for old, new in (REWORDED, SPACED, (problems, REWRITTEN)):
        assert old in text
        text = text.replace(old, new)
    return text


@cache
def fixture_pair() -> Comparison:
    return compare_sources(source_of(LAST_YEAR, "last.txt"), source_of(next_year_text(), "this.txt"))


@cache
def hongze(suffix: str = "txt") -> Comparison:
    return compare_files(
        shared_file(CORPUS / f"huaian-hongze-2023.{suffix}"), shared_file(CORPUS / f"huaian-hongze-2024.{suffix}")
    )


def cell(comparison: Comparison, table: str, row: str, column: str) -> CellChange:
    """The cell of ``table`` at the row key and column key (表二: the column's label)."""
    found = next(t for t in comparison.tables if t.table == table)
    for table_row in found.rows:
        if table_row.key == row:
            for change in table_row.cells:
                if change is not None and change.column == column:
                    return change
    raise KeyError((table, row, column))
