"""Exports: CSV that Excel reads as Chinese, workbooks openpyxl reads back, no formula smuggled in."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from conftest import FIXTURES, ROOT
from openpyxl import load_workbook

from compliance.workspace.data import export, records, statistics
from compliance.workspace.data.checking import check_draft

TODAY = dt.date(2025, 1, 20)


def _fill(workspace):
    with workspace.session() as session:
        for path in (FIXTURES / "report_2021.txt", ROOT / "samples" / "hongze-2023.txt"):
            data = path.read_bytes()
            records.record_version(session, path.name, workspace.drafts.put(data), check_draft(data, path.name))


def test_the_list_as_csv_and_excel(workspace):
    _fill(workspace)
    with workspace.session() as session:
        table = export.submissions_table(records.submission_rows(session, TODAY))
    data = export.to_csv(table)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["发布机关", "年度", "版本数"] and len(rows) == 3
    assert rows[2][:2] == ["苏州市自然资源和规划局", "2021"] and "待审查" in rows[2]
    sheet = load_workbook(io.BytesIO(export.to_xlsx([table])))["报告列表"]
    assert [c.value for c in sheet[3]][:3] == ["苏州市自然资源和规划局", 2021, 1]


def test_the_statistics_as_a_workbook(workspace):
    _fill(workspace)
    with workspace.session() as session:
        rows = statistics.submission_figures(session)
    tables = [
        export.figures_table(rows),
        export.totals_table(statistics.totals(rows)),
        export.peers_table(statistics.peers(rows)),
        export.changes_table(statistics.year_over_year(rows)),
    ]
    book = load_workbook(io.BytesIO(export.to_xlsx(tables)))
    assert book.sheetnames == ["各机关数据", "汇总", "同级比较", "年度变化"]
    totals = {row[0]: row for row in book["汇总"].iter_rows(min_row=2, values_only=True)}
    header = [c.value for c in book["汇总"][1]]
    assert totals["全部"][header.index("收到申请")] == 149 + 21
    assert totals[2021][header.index("复议纠正率")] == 33.3


def test_text_that_looks_like_a_formula_stays_text():
    table = export.Table("t", ["名称", "数"], [['=HYPERLINK("http://x")', Decimal(3)], ["-1+2", None]])
    rows = list(csv.reader(io.StringIO(export.to_csv(table).decode("utf-8-sig"))))
    assert rows[1] == ['\'=HYPERLINK("http://x")', "3"] and rows[2] == ["'-1+2", ""]
    sheet = load_workbook(io.BytesIO(export.to_xlsx([table])))["t"]
    assert sheet["A2"].data_type == "s" and sheet["A2"].value == '=HYPERLINK("http://x")' and sheet["B2"].value == 3


def test_a_year_whose_reports_state_no_figure_totals_blank_not_zero(workspace):
    _fill(workspace)
    with workspace.session() as session:
        data = (ROOT / "samples" / "suzhou-2018.txt").read_bytes()  # 2018: before the 2021 format's tables
        records.record_version(session, "suzhou-2018.txt", workspace.drafts.put(data), check_draft(data, "x.txt"))
        rows = statistics.submission_figures(session)
    table = export.totals_table(statistics.totals(rows))
    by_year = {row[0]: row for row in table.rows}
    received = table.header.index("收到申请")
    assert by_year[2018][1] == 1 and by_year[2018][received] is None
    assert by_year["全部"][received] == 149 + 21


def test_year_over_year_is_a_row_per_figure(workspace):
    _fill(workspace)
    with workspace.session() as session:
        data = (ROOT / "samples" / "hongze-2024.txt").read_bytes()
        records.record_version(session, "hongze-2024.txt", workspace.drafts.put(data), check_draft(data, "x.txt"))
        rows = statistics.submission_figures(session)
    table = export.changes_table(statistics.year_over_year(rows))
    assert table.header == ["发布机关", "上年", "本年", "数据", "上年数", "本年数", "增减", "增减率%"]
    received = next(row for row in table.rows if row[3] == "收到申请")
    # 洪泽区: 21 applications in 2023 (新收 21, 结转 0), 95 in 2024 (新收 95, 结转 0), as the texts' 表三 state
    assert received[1:3] == [2023, 2024] and received[4:7] == [21, 95, 74] and received[7] == 352.4
    assert len(table.rows) == len(statistics.LABELS)
