"""The office's figures, checked by hand against the fixtures' tables (SQLite and PostgreSQL)."""

from __future__ import annotations

from decimal import Decimal

from conftest import FIXTURES, ROOT

from compliance.workspace.data import records, statistics
from compliance.workspace.data.checking import check_draft
from compliance.workspace.data.statistics import SubmissionFigures

SUZHOU = (FIXTURES / "report_2021.txt").read_text(encoding="utf-8")
# Another bureau's 2021 report: the same tables, its 本年新收 总计 left blank (its parts still sum to 142).
HOUSING = SUZHOU.replace("苏州市自然资源和规划局", "苏州市住房和城乡建设局").replace(
    "一、本年新收政府信息公开申请数量\t\t\t120\t15\t0\t1\t4\t2\t142",
    "一、本年新收政府信息公开申请数量\t\t\t120\t15\t0\t1\t4\t2\t",
)


def _record_all(workspace, drafts: dict[str, bytes]):
    with workspace.session() as session:
        for name, data in drafts.items():
            records.record_version(session, name, workspace.drafts.put(data), check_draft(data, name))
        return statistics.submission_figures(session)


def test_figures_totals_peers_and_changes(workspace):
    assert "\t142" not in HOUSING.split("一、本年新收")[1].split("\n")[0]
    rows = _record_all(
        workspace,
        {
            "suzhou.txt": SUZHOU.encode(),
            "housing.txt": HOUSING.encode(),
            "kunshan.txt": (FIXTURES / "report_2019.txt").read_bytes(),
            "hongze-2023.txt": (ROOT / "samples" / "hongze-2023.txt").read_bytes(),
            "hongze-2024.txt": (ROOT / "samples" / "hongze-2024.txt").read_bytes(),
        },
    )
    suzhou = next(r for r in rows if r.issuer == "苏州市自然资源和规划局")
    # 142 + 7 received; 不予公开 1+3+1+2+1+3; 复议 4 cases, 1 纠正, 1 尚未审结: 1 of 3 concluded.
    assert {k: suzhou.figures[k] for k in ("收到申请", "予以公开", "不予公开", "无法提供", "行政复议", "行政诉讼")} == {
        "收到申请": 149,
        "予以公开": 72,
        "不予公开": 11,
        "无法提供": 35,
        "行政复议": 4,
        "行政诉讼": 3,
    }
    assert suzhou.rates == {"复议纠正率": 33.3, "诉讼纠正率": 0.0}
    assert str(suzhou.figures["收到申请"]) == "149"  # as shown and exported, not 149.0000
    housing = next(r for r in rows if r.issuer == "苏州市住房和城乡建设局")
    assert housing.figures["收到申请"] == 149  # the blank total counted as its parts' sum
    kunshan = next(r for r in rows if r.year == 2019)
    assert kunshan.figures["收到申请"] == 374 and kunshan.rates == {"复议纠正率": 25.0, "诉讼纠正率": 20.0}

    by_year = {t.year: t for t in statistics.totals(rows)}
    assert list(by_year) == [2019, 2021, 2023, 2024, None]
    assert by_year[2021].submissions == 2 and by_year[2021].figures["收到申请"] == 298
    assert by_year[2021].rates["复议纠正率"] == 33.3  # 2 纠正 of 6 concluded
    assert by_year[None].figures["收到申请"] == 298 + 374 + 21 + 95
    assert str(by_year[None].figures["收到申请"]) == "788"

    (change,) = statistics.year_over_year(rows)
    assert (change.issuer, change.last_year, change.this_year) == ("淮安市洪泽区人民政府", 2023, 2024)
    assert change.figures["收到申请"] == {"last": 21.0, "this": 95.0, "change": 74.0, "rate": 352.4}

    peers = [p for p in statistics.peers(rows) if p.year == 2021]
    assert [(p.median, p.ratio, p.flags) for p in peers] == [(149.0, 1.0, []), (149.0, 1.0, [])]


def test_a_figure_with_a_cell_that_is_no_count_is_unknown(workspace):
    broken = SUZHOU.replace(
        "一、本年新收政府信息公开申请数量\t\t\t120", "一、本年新收政府信息公开申请数量\t\t\t一百二十"
    )
    (row,) = _record_all(workspace, {"r.txt": broken.replace("\t142", "\t").encode()})
    assert row.figures["收到申请"] is None and row.figures["予以公开"] == 72
    year = statistics.totals([row])[0]
    assert year.known["收到申请"] == 0 and year.known["予以公开"] == 1


def _peer(name: str, received: int, corrected: int, cases: int) -> SubmissionFigures:
    figures = dict.fromkeys(statistics.LABELS, Decimal(0))
    figures.update({"收到申请": Decimal(received), "复议纠正": Decimal(corrected), "行政复议": Decimal(cases)})
    return SubmissionFigures(0, 0, name, 2024, figures, statistics.rates_of(figures))


def test_outliers_are_flagged():
    rows = [_peer("甲", 10, 5, 6), _peer("乙", 12, 1, 10), _peer("丙", 100, 0, 10), _peer("丁", 11, 2, 2)]
    flags = {p.issuer: p.flags for p in statistics.peers(rows)}
    # Median 11.5: 丙's 100 is 8.7 times it. 甲 corrects 5 of 6, the others 3 of 22 (13.6%); 丁's 2
    # of 2 are too few cases to say.
    assert flags == {"甲": ["复议纠正率远高于其他机关"], "乙": [], "丙": ["申请量为中位数的8.7倍"], "丁": []}
