"""The fixtures themselves are consistent: every relation of domain.md §3.2–3.3 holds."""

from __future__ import annotations

import pytest
from conftest import FIXTURES


def _rows(name: str) -> list[list[str]]:
    return [line.split("\t") for line in (FIXTURES / name).read_text(encoding="utf-8").splitlines() if "\t" in line]


def _numbers(row: list[str]) -> list[int]:
    return [int(v) for v in row[3:10]]


@pytest.mark.parametrize("name", ["report_2021.txt", "report_2019.txt"])
def test_requests_table_balances(name):
    rows = [r for r in _rows(name) if len(r) == 10 and r[3].isdigit()]
    by_label = {(r[0] or r[1] or r[2]): _numbers(r) for r in rows if r[0] or (r[1] and not r[2])}
    new, carried = by_label["一、本年新收政府信息公开申请数量"], by_label["二、上年结转政府信息公开申请数量"]
    total, next_year = by_label["（七）总计"], by_label["四、结转下年度继续办理"]
    outcome_rows = [_numbers(r) for r in rows if not r[0].startswith(("一、", "二、", "四、")) and r[1] != "（七）总计"]
    for column in range(7):
        assert new[column] + carried[column] == total[column] + next_year[column]
        assert sum(row[column] for row in outcome_rows) == total[column]
    for row in rows:
        values = _numbers(row)
        assert sum(values[:6]) == values[6]


@pytest.mark.parametrize("name", ["report_2021.txt", "report_2019.txt"])
def test_review_litigation_groups_add_up(name):
    (data,) = [r for r in _rows(name) if len(r) == 15 and all(v.isdigit() for v in r)]
    values = [int(v) for v in data]
    for group in (values[0:5], values[5:10], values[10:15]):
        assert sum(group[:4]) == group[4]
