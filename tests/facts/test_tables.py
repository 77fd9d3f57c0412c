"""Tables read from every input form; injected errors caught; correct versions clean."""

from __future__ import annotations

import pytest
from builders import to_docx, to_html
from conftest import CORPUS, FIXTURES, shared_file

from compliance.facts.tables import parse_number
from compliance.load import load
from compliance.pipeline import check_source

TABLE_RULES = ("CALC-", "STRUCT-TABLE", "XREF-")


def _set_cell(text: str, row_start: str, column: int, value: str) -> str:
    """The fixture with one cell of the tab row starting with ``row_start`` replaced."""
    lines = text.split("\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(row_start))
    cells = lines[index].split("\t")
    cells[column] = value
    lines[index] = "\t".join(cells)
    return "\n".join(lines)


def _as(form: str, text: str, tmp_path):
    if form == "txt":
        path = tmp_path / "report.txt"
        path.write_text(text, encoding="utf-8")
        return load(path)
    if form == "docx":
        return load(to_docx(text, tmp_path / "report.docx"))
    return load(to_html(text, tmp_path / "report.html"))


def _table_findings(source):
    return [f for f in check_source(source).findings if f.rule.startswith(TABLE_RULES)]


FORMS = ["txt", "docx", "html"]
REQUESTS_TOTAL = "\t（七）总计"


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("name", ["report_2021.txt", "report_2019.txt"])
def test_correct_fixtures_give_no_table_finding(form, name, tmp_path):
    text = (FIXTURES / name).read_text(encoding="utf-8")
    assert _table_findings(_as(form, text, tmp_path)) == []


@pytest.mark.parametrize("form", FORMS)
def test_one_wrong_total_is_named_with_its_right_value(form, tmp_path):
    text = _set_cell((FIXTURES / "report_2021.txt").read_text(encoding="utf-8"), REQUESTS_TOTAL, 3, "120")
    source = _as(form, text, tmp_path)
    findings = _table_findings(source)
    assert sorted({f.rule for f in findings}) == ["CALC-BALANCE", "CALC-SUM"]
    for finding in findings:
        assert source.text[finding.start : finding.end] == "120"
        assert "“（七）总计”行“自然人”列应为121" in finding.suggestion
        assert finding.edit.replacement == "121" and finding.edit.safe is False
    balance = next(f for f in findings if f.rule == "CALC-BALANCE")
    assert "“一、本年新收”行“自然人”列120＋“二、上年结转”行“自然人”列6＝126" in balance.message
    # One wrong number, one problem: it breaks the balance and two sums (its row, its column); the
    # balance (first by rule id) keeps its severity, the sums join it.
    sums = [f for f in findings if f.rule == "CALC-SUM"]
    assert balance.severity == "critical" and [f.severity for f in sums] == ["info", "info"]
    assert sorted(balance.related) == [f"CALC-SUM@{f.line}" for f in sums]
    for summed in sums:
        assert f"CALC-BALANCE@{balance.line}" in summed.related
        assert summed.message.endswith(f"（与第{balance.line}行 CALC-BALANCE 所指为同一个数字，不另扣分）")
    assert sum(f.severity == "critical" for f in check_source(source).findings) == 1


@pytest.mark.parametrize("form", FORMS)
def test_review_group_total_off(form, tmp_path):
    text = (FIXTURES / "report_2019.txt").read_text(encoding="utf-8")
    text = text.replace("5\t2\t1\t1\t9\t", "5\t2\t1\t1\t8\t")  # 行政复议 总计 9 → 8
    (finding,) = _table_findings(_as(form, text, tmp_path))
    assert finding.rule == "CALC-SUM" and "行政复议：各分项之和为9，行政复议“总计”为8" in finding.message


@pytest.mark.parametrize("form", FORMS)
def test_blank_and_invalid_cells(form, tmp_path):
    text = (FIXTURES / "report_2021.txt").read_text(encoding="utf-8")
    text = _set_cell(text, "\t（三）不予公开", 4, "")  # a zero left blank: counts as 0, reported once
    text = _set_cell(text, "\t（五）不予处理", 3, "五")  # not a number
    findings = _table_findings(_as(form, text, tmp_path))
    cells = sorted((f.severity, f.message) for f in findings if f.rule == "CALC-CELL")
    assert [s for s, _ in cells] == ["critical", "minor"]
    assert "“五”不是数字" in cells[0][1] and "有1个单元格空白" in cells[1][1]


@pytest.mark.parametrize("form", FORMS)
def test_2019_tables_in_a_2021_report_are_outdated(form, tmp_path):
    text = (FIXTURES / "report_2019.txt").read_text(encoding="utf-8").replace("2019年", "2021年")
    findings = _table_findings(_as(form, text, tmp_path))
    outdated = [f for f in findings if f.rule == "STRUCT-TABLE-LABELS"]
    assert len(outdated) == 2 and all("2019年试行格式" in f.message for f in outdated)


def test_real_pdf_and_its_text_rendering_read_the_same_tables():
    pdf = _table_findings(load(shared_file(CORPUS / "huaian-hongze-2023.pdf")))
    txt = _table_findings(load(CORPUS / "huaian-hongze-2023.txt"))
    assert [(f.rule, f.message) for f in pdf] == [(f.rule, f.message) for f in txt]
    assert {f.rule for f in pdf} == {"CALC-SUM", "STRUCT-TABLE-LABELS"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,234", (1234, "ok")),
        ("１２３", (123, "ok")),
        ("251000元", (251000, "ok")),
        ("12.5万元", (125000, "ok")),
        ("—", (None, "blank")),
        ("/", (None, "blank")),
        ("", (None, "blank")),
        ("-3", (-3, "negative")),
        ("2.5", (2.5, "non_integer")),
        ("三", (None, "non_numeric")),
        ("1 0", (10, "ok")),
    ],
)
def test_parse_number(text, expected):
    assert parse_number(text) == expected


def _spaced(text: str) -> str:
    """The fixture as copied from a PDF viewer: cells separated by single spaces."""
    return "\n".join(" ".join(c for c in line.split("\t") if c) if "\t" in line else line for line in text.split("\n"))


def test_rows_copied_with_spaces_are_read(tmp_path):
    text = _spaced((FIXTURES / "report_2021.txt").read_text(encoding="utf-8"))
    assert "\t" not in text
    assert _table_findings(_as("txt", text, tmp_path)) == []
    broken = text.replace("（七）总计 121 15", "（七）总计 120 15")
    rules = {f.rule for f in _table_findings(_as("txt", broken, tmp_path))}
    assert rules == {"CALC-BALANCE", "CALC-SUM"}


@pytest.mark.parametrize("name", ["huaian-szf-2024", "huaian-hongze-2023", "huaian-hongze-2024"])
def test_real_reports_yield_all_three_tables_from_pdf_and_text(name):
    from compliance.facts.tables import read_all
    from compliance.normalize import normalize
    from compliance.parse import parse
    from compliance.rulebook import default_rulebook

    rulebook = default_rulebook()

    def values(path):
        tree = parse(normalize(load(shared_file(path)).text).text)
        found = read_all(tree, rulebook.parts, rulebook.tables)
        assert all(found.readings.values()), {k: v is not None for k, v in found.readings.items()}
        return {table: {key: (c.value, c.status) for key, c in r.cells.items()} for table, r in found.readings.items()}

    from_pdf, from_text = values(CORPUS / f"{name}.pdf"), values(CORPUS / f"{name}.txt")
    assert from_pdf == from_text
    assert len(from_pdf["review"]) == 15 and len(from_pdf["requests"]) >= 22 * 7


REVIEW_2023 = (
    "洪泽区人民政府2023年政府信息公开工作年度报告\n四、政府信息公开行政复议、行政诉讼情况\n{prose}\n"
    "行政复议\t\t\t\t\t行政诉讼\n10\t1\t0\t0\t11\t0\t0\t0\t0\t0\t5\t0\t0\t0\t0\n"
)


@pytest.mark.parametrize(
    ("prose", "culprit", "value"),
    [
        ("", None, None),  # 复议后起诉 5,0,0,0 / 0: its total or its 结果维持 — the table alone cannot say
        ("复议后起诉的行政诉讼5件。", "行政诉讼（复议后起诉）“总计”", "5"),  # the prose states the total
        ("复议后起诉的行政诉讼0件。", "行政诉讼（复议后起诉）“结果维持”", "0"),  # the prose confirms the total
    ],
)
def test_the_prose_tells_which_of_two_suspect_cells_is_wrong(prose, culprit, value):
    from conftest import check_text

    report = check_text(REVIEW_2023.format(prose=prose), year=2023, issuer_kind="government", force=True)
    (finding,) = [f for f in report.findings if f.rule == "CALC-SUM"]
    if culprit is None:
        assert "逐项核对" in finding.suggestion
        return
    assert f"{culprit}应为{value}" in finding.suggestion
    assert finding.excerpt == ("0" if value == "5" else "5")  # 原文 is that cell


# Observations, not verdicts (issue 12): every equation, every cell state and every carried-over
# figure is a fact whether it is right or not; the rules judge (difference != 0, state != ok).


def _facts(text: str, previous: str | None = None):
    from conftest import source_of

    from compliance import facts
    from compliance.models.config import Overrides
    from compliance.normalize import normalize
    from compliance.parse import parse
    from compliance.pipeline import previous_report
    from compliance.rulebook import default_rulebook

    last = previous_report(source_of(previous, "<previous>")) if previous is not None else None
    normal = normalize(text)
    return facts.extract(parse(normal.text), normal, default_rulebook(), Overrides(), previous=last)[1]


def test_every_equation_is_a_fact_holding_or_not():
    text = (FIXTURES / "report_2021.txt").read_text(encoding="utf-8")
    observed = _facts(text)
    balances = [f for f in observed if f.kind == "table_balance"]
    sums = [f for f in observed if f.kind == "table_sum"]
    assert len(balances) == 7 and {f.line for f in sums} == {"column", "row", "group"}
    assert all(f.difference == 0 and f.stated == f.computed and not f.fix_value for f in balances + sums)
    natural = next(f for f in balances if f.line_label == "自然人")
    assert [(c.row, c.column) for c in natural.left] == [("一、本年新收", "自然人"), ("二、上年结转", "自然人")]
    assert natural.computed == sum(c.value for c in natural.left) and natural.stated == sum(
        c.value for c in natural.right
    )
    # One wrong total: the equations it is in say by how much, and which cell to correct.
    observed = _facts(_set_cell(text, REQUESTS_TOTAL, 3, "120"))
    failing = [f for f in observed if f.kind in ("table_sum", "table_balance") and f.difference]
    assert len(failing) == 3 and {f.difference for f in failing} == {-1, 1}
    assert all(
        (f.fix_row, f.fix_column, f.fix_value, f.subject) == ("（七）总计", "自然人", "121", "requests/total/natural")
        for f in failing
    )


def test_cells_are_observed_by_state():
    text = (FIXTURES / "report_2021.txt").read_text(encoding="utf-8")
    cells = [f for f in _facts(text) if f.kind == "table_cell"]
    assert {f.table for f in cells} == {"active", "requests", "review"} and {f.state for f in cells} == {"ok"}
    text = _set_cell(_set_cell(text, "\t（三）不予公开", 4, ""), "\t（五）不予处理", 3, "五")
    states = {f.state: f for f in _facts(text) if f.kind == "table_cell" and f.table == "requests"}
    assert set(states) == {"ok", "blank", "non_numeric"} and states["blank"].count == 1
    assert (states["non_numeric"].text, states["non_numeric"].column) == ("五", "自然人")


def test_carried_over_figures_are_observed_beside_last_years():
    text = (FIXTURES / "report_2021.txt").read_text(encoding="utf-8")
    observed = [f for f in _facts(text, previous=text.replace("2021年", "2020年")) if f.kind == "carryover"]
    carried = [f for f in observed if f.relation == "carried"]
    stock = [f for f in observed if f.relation == "stock"]
    assert len(carried) == 7 and len(stock) == 2
    assert all(f.difference == f.this_value - f.expected for f in observed)
    assert all(f.expected == f.previous_value + f.issued - f.repealed for f in stock)
