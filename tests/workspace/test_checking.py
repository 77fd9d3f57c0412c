"""check_draft: a draft's report and its table cells as values, or the reason it has none."""

from __future__ import annotations

import pickle
from decimal import Decimal

from conftest import FIXTURES

from compliance.workspace.data.checking import check_draft


def _with_cells(text: str, row_start: str, values: dict[int, str]) -> str:
    lines = text.split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(row_start))
    cells = lines[index].split("\t")
    for column, value in values.items():
        cells[column] = value
    lines[index] = "\t".join(cells)
    return "\n".join(lines)


def test_a_report_and_its_cells():
    result = check_draft((FIXTURES / "report_2021.txt").read_bytes(), "report_2021.txt")
    assert result.error is None and result.format == "txt"
    assert result.report.document.issuer == "苏州市自然资源和规划局" and result.report.summary.grade == "合格"
    cells = {(c.table, c.row_key, c.column_key): c for c in result.cells}
    received = cells[("requests", "new", "total")]
    assert (received.state, received.value, received.row_label, received.column_label) == (
        "value",
        Decimal(142),
        "一、本年新收",
        "总计",
    )
    assert {c.table for c in result.cells} == {"active", "requests", "review"}
    assert pickle.loads(pickle.dumps(result)) == result  # it crosses from a worker process


def test_blank_zero_not_applicable_and_invalid_are_kept_apart():
    text = (FIXTURES / "report_2021.txt").read_text(encoding="utf-8")
    text = _with_cells(text, "\t（三）不予公开", {3: "", 4: "/", 5: "五", 6: "0"})
    result = check_draft(text.encode(), "draft.txt")
    row = [c for c in result.cells if c.table == "requests" and c.row_label.endswith("属于国家秘密")]
    assert [(c.state, c.value) for c in row[:4]] == [
        ("blank", None),
        ("na", None),
        ("invalid", None),
        ("value", Decimal(0)),
    ]
    assert row[0].row_label == "（三）不予公开 1.属于国家秘密"


def test_a_draft_that_cannot_be_read_has_a_reason_and_no_report():
    result = check_draft(b"PK\x03\x04 not really a zip", "report.docx")
    assert result.report is None and result.cells == [] and "docx" in result.error
    assert check_draft(b"", "empty.txt").error == "文件为空"


def test_a_document_that_is_not_a_report_is_refused_with_its_reason():
    result = check_draft("关于做好2024年政务公开工作的通知\n各区人民政府：\n现将有关事项通知如下。".encode(), "n.txt")
    assert result.report is None and result.error
