"""The workspace's tables for download: each a ``Table`` (title, header, rows), written as CSV or
as an Excel workbook, one sheet a table; text that a spreadsheet would take for a formula is
written as text (compliance/render/spreadsheet.py)."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook  # type: ignore[import-untyped]  # no types shipped; no stub dependency

from compliance.models.findings import SEVERITIES
from compliance.render import SEVERITY_LABELS, spreadsheet
from compliance.workspace.data.records import SubmissionRow
from compliance.workspace.data.statistics import LABELS, RATES, PeerRow, SubmissionFigures, Totals, YearChange

Value = str | int | float | Decimal | dt.date | None


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list[Value]]


_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def to_csv(table: Table) -> bytes:
    """The table as CSV (utf-8-sig)."""
    return spreadsheet.to_csv(table.header, table.rows)


def to_xlsx(tables: Iterable[Table]) -> bytes:
    """The tables as an .xlsx workbook, a sheet each (named by its title)."""
    book = Workbook()
    book.remove(book.active)  # the new workbook's empty sheet
    for table in tables:
        sheet = book.create_sheet(_SHEET_NAME.sub("_", table.title)[:31])
        sheet.append(table.header)
        for row in table.rows:
            sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
        for line in sheet.iter_rows(min_row=2):
            for cell in line:
                if cell.data_type == "f":  # text beginning "=": openpyxl would store a formula
                    cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _year(year: int | None) -> Value:
    return year if year is not None else "未识别"


def submissions_table(rows: Sequence[SubmissionRow]) -> Table:
    """The list of submissions, as the list page shows it."""
    header = ["发布机关", "年度", "版本数", "文件名", "上传时间", "得分", "等级"]
    header += [SEVERITY_LABELS[s] for s in SEVERITIES] + ["状态", "整改通知文号", "整改期限", "无法检查的原因"]
    return Table(
        "报告列表",
        header,
        [
            [
                r.issuer,
                _year(r.year),
                r.versions,
                r.filename,
                r.uploaded_at.strftime("%Y-%m-%d %H:%M") if r.uploaded_at else None,
                r.score,
                r.grade,
                *(r.counts.get(s) for s in SEVERITIES),
                r.status,
                r.notice,
                r.deadline,
                r.error,
            ]
            for r in rows
        ],
    )


def figures_table(rows: Sequence[SubmissionFigures]) -> Table:
    """Each submission's figures."""
    return Table(
        "各机关数据",
        ["发布机关", "年度", *LABELS, *RATES],
        [[r.issuer, _year(r.year), *(r.figures[k] for k in LABELS), *(r.rates[k] for k in RATES)] for r in rows],
    )


def totals_table(totals: Sequence[Totals]) -> Table:
    """The totals of each year and of all; a figure no report of the year states (a report before
    the 2021 format, or without its tables) is blank, not 0."""

    def line(t: Totals) -> list[Value]:
        figures = [t.figures[k] if t.known[k] else None for k in LABELS]
        return [t.year if t.year is not None else "全部", t.submissions, *figures, *(t.rates[k] for k in RATES)]

    return Table("汇总", ["年度", "报告数", *LABELS, *RATES], [line(t) for t in totals])


def peers_table(peers: Sequence[PeerRow]) -> Table:
    """Each issuer against its peers of the year."""
    header = ["年度", "发布机关", "收到申请", "同年中位数", "为中位数的倍数"]
    header += [name for rate in RATES for name in (rate, "其他机关" + rate)] + ["提示"]

    def line(p: PeerRow) -> list[Value]:
        rates = [value for rate in RATES for value in (p.rates[rate], p.others[rate])]
        return [p.year, p.issuer, p.applications, p.median, p.ratio, *rates, "；".join(p.flags)]

    return Table("同级比较", header, [line(p) for p in peers])


def changes_table(changes: Sequence[YearChange]) -> Table:
    """Each issuer's figures in two consecutive years and their change, a row per figure (a row per
    issuer would be some forty columns wide)."""
    keys = ("last", "this", "change", "rate")
    header = ["发布机关", "上年", "本年", "数据", "上年数", "本年数", "增减", "增减率%"]

    def line(c: YearChange, label: str) -> list[Value]:
        return [c.issuer, c.last_year, c.this_year, label, *(c.figures[label][key] for key in keys)]

    return Table("年度变化", header, [line(c, label) for c in changes for label in LABELS])
