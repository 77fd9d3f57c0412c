"""The checker on real published reports: precision and recall floors on the labelled set, and
the same findings when a real report is copied the ways people copy it (tests/realworld/README.md)."""

from __future__ import annotations

import importlib.util
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from conftest import SHARED, check_text

from compliance.load import load

# By path: tests/keypoints has an evaluate.py of its own.
_SPEC = importlib.util.spec_from_file_location("realworld_evaluate", Path(__file__).with_name("evaluate.py"))
_evaluate = sys.modules[_SPEC.name] = importlib.util.module_from_spec(_SPEC)  # its dataclasses look it up
_SPEC.loader.exec_module(_evaluate)
DOCS, evaluate, labels, precision, recall, tally = (
    _evaluate.DOCS,
    _evaluate.evaluate,
    _evaluate.labels,
    _evaluate.precision,
    _evaluate.recall,
    _evaluate.tally,
)

CRITICAL_PRECISION = 0.95
ALL_PRECISION = 0.90


@pytest.fixture(scope="module")
def verdicts():
    found, _absent = evaluate()
    if not found:
        pytest.skip("no labelled document on this machine")
    return found


def test_the_set_is_large_and_varied_enough():
    every = labels()
    reports = [label for label in every if not label.negative]
    assert len(every) >= 40
    documents = [label.data["document"] for label in reports]
    years = {d["year"] for d in documents}
    assert min(years) <= 2009 and max(years) >= 2024
    assert {d["regime"] for d in documents} == {"ogi2007", "ogi2019-trial", "ogi2019"}
    assert {d["level"] for d in documents} >= {"province", "city", "county", "township", "department"}
    assert len({d["province"] for d in documents if d.get("province")}) >= 6
    for label in every:  # where each document came from
        assert label.data.get("source") or label.data.get("file"), label.name


def test_critical_findings_are_right(verdicts):
    _, by_severity = tally(verdicts)
    wrong = [(v.name, f.rule, f.line, f.message) for v in verdicts for f, _ in v.false if f.severity == "critical"]
    assert precision(by_severity["critical"]) >= CRITICAL_PRECISION, wrong


def test_findings_are_right(verdicts):
    _, by_severity = tally(verdicts)
    overall = sum(by_severity.values(), Counter())
    wrong = [(v.name, f.rule, f.line, f.message[:60]) for v in verdicts for f, _ in v.false]
    assert precision(overall) >= ALL_PRECISION, wrong


def test_every_labelled_defect_is_found(verdicts):
    missed = [(v.name, e.rule, e.excerpt or e.message, e.why) for v in verdicts for e in v.missed]
    assert missed == []
    by_rule, _ = tally(verdicts)
    assert all(recall(c) in (None, 1.0) for c in by_rule.values())


def test_documents_that_are_no_reports_are_refused(verdicts):
    negatives = [v for v in verdicts if v.name.startswith("p-not-report")]
    assert negatives and all(v.refused for v in negatives)
    assert not [v.name for v in verdicts if v.refused and not v.name.startswith("p-not-report")]


# Copies of a real report, made the ways people make them: the findings must not change, except
# the ones the copy itself adds (its residue, its blank totals).

_TAB_ROW = re.compile(r"^[^\n]*\t[^\n]*$", re.M)
_OUTCOME = re.compile(r"^\s*(?:三、本年度办理结果)?\s*(?:（[一二三四五六]）|[1-8][.．])")


def _pipes(text: str) -> str:
    """A web page's table as a browser copies it: merged cells once, pipes, empty cells at the end."""

    def row(match: re.Match) -> str:
        cells = match.group(0).split("\t")
        while cells and not cells[0].strip():
            cells.pop(0)
        return "| " + " | ".join(cells) + " | ||"

    return _TAB_ROW.sub(row, text)


def _split_labels(text: str) -> str:
    """A PDF copy that puts a row's label on one line and its numbers on the next."""
    lines = []
    for line in text.split("\n"):
        cells = list(line.split("\t"))
        label = next((i for i, c in enumerate(cells) if re.search(r"本年新收|上年结转|结转下年度|总计$", c)), None)
        if "\t" in line and label is not None and all(re.fullmatch(r"\s*\d*\s*", c) for c in cells[label + 1 :]):
            lines += ["".join(cells[: label + 1]).strip(), "\t".join(cells[label + 1 :])]
        else:
            lines.append(line)
    return "\n".join(lines)


def _merged_header(text: str) -> str:
    """The header rows of table 三 joined into one line, as a flattening copy leaves them."""
    return re.sub(r"(申请人情况[^\n]*)\n([^\n]*自然人[^\n]*)\n([^\n]*商业企业[^\n]*)", r"\1\t\2\t\3", text)


def _breadcrumbs(text: str) -> str:
    return (
        "首页 > 政府信息公开 > 政府信息公开年报\n当前位置：首页 > 年报\n"
        "作者：本站原创 | 来源：本站原创 | 点击数：\n【字体：大 中 小】\n" + text
    )


def _blank_totals(text: str) -> str:
    """The 总计 column of the 办理结果 rows left blank, as many real tables do."""

    def blank(match: re.Match) -> str:
        cells = match.group(0).split("\t")
        label = "".join(cells[:-7])
        return "\t".join(cells[:-1] + [""]) if _OUTCOME.search(label) and len(cells) >= 8 else match.group(0)

    return _TAB_ROW.sub(blank, text)


MUTATIONS = {
    "pipes": (_pipes, set()),
    "labels on their own lines": (_split_labels, set()),
    "merged header": (_merged_header, set()),
    "breadcrumbs": (_breadcrumbs, {"STYLE-RESIDUE"}),
    "blank totals": (_blank_totals, {"CALC-CELL", "CALC-SUM", "CALC-BALANCE"}),
}
TABLE_DOCUMENTS = [
    "corpus/huaian-hongze-2023.txt",
    "corpus/huaian-hongze-2024.txt",
    "corpus/huaian-szf-2024.txt",
    "corpus/huaian-hongze-2023.pdf",
    "realworld/2019-shanghai-bgt.html",
]


def _text(name: str) -> str:
    path = DOCS / name.removeprefix("realworld/") if name.startswith("realworld/") else SHARED / name
    if not path.exists():
        pytest.skip(f"{path} is not on this machine (../shared missing)")
    return load(path).text


def _said(text: str, ignore: set[str]) -> Counter:
    """What the checker says of a text, without the rules the copy itself trips; line numbers out."""
    report = check_text(text)
    return Counter(
        (f.rule, f.severity, re.sub(r"第\d+行", "第N行", f.message)) for f in report.findings if f.rule not in ignore
    )


@pytest.mark.parametrize("name", TABLE_DOCUMENTS)
@pytest.mark.parametrize("mutation", list(MUTATIONS))
def test_a_copy_gets_the_findings_of_the_clean_text(name, mutation):
    text = _text(name)
    change, added = MUTATIONS[mutation]
    copied = change(text)
    if copied == text:
        pytest.skip(f"{name} is already copied that way")
    assert _said(copied, added) == _said(text, added)


def test_year_and_issuer_are_found_after_the_page_chrome():
    """The year of every report, and its issuer wherever the text names it (title, page field,
    the sentence publishing it, the signature, the first sentence's subject) — never a wrong one."""
    from compliance.errors import ComplianceError
    from compliance.normalize import normalize
    from compliance.pipeline import check_source

    checked, named, found_named = 0, 0, 0
    for label in labels():
        if label.path is None or label.negative:
            continue
        document = label.data["document"]
        source = load(label.path)
        try:
            found = check_source(source).document
        except ComplianceError:
            continue  # a refusal is judged by test_documents_that_are_no_reports_are_refused
        checked += 1
        assert found.year == document["year"], label.name
        text = normalize(source.text).text
        if document.get("issuer") and document["issuer"] in text:
            named += 1
            found_named += bool(found.issuer)
        if found.issuer:  # a name the document itself gives, never one pieced together from other words
            assert found.issuer in text or found.issuer in (found.title or ""), (label.name, found.issuer)
    assert checked >= 40
    # Named somewhere is not always named as its author (a department's report on its city's portal
    # names the city's site): most, not all.
    assert found_named >= 0.9 * named, (found_named, named)
