"""Screening with review copies (--annotate) and year-over-year comparisons: a .docx submission gets
the draft back with its findings as comments, two years of one issuer get a comparison page, both
linked from the summary; a review copy that cannot be made costs nothing of the check."""

from __future__ import annotations

import json
import shutil

import pytest
from builders import to_docx
from click.testing import CliRunner
from conftest import CORPUS, FIXTURES, shared_file, summary_rows
from docx import Document

from cli import main
from compliance.models.config import Config, Overrides
from compliance.screen import Settings, worker
from compliance.screen.pairs import issuer_groups, year_pairs
from compliance.screen.summary import SummaryRow
from compliance.screen.worker import Review


def _row(issuer: str, year: int | None, score: int | None = 90) -> SummaryRow:
    return SummaryRow(file=f"{issuer}{year}.txt", issuer=issuer, year=year, score=score)


def test_an_issuer_named_without_its_city_is_the_same_issuer():
    names = {"洪泽区人民政府", "淮安市洪泽区人民政府", "淮安市人民政府", "自然资源和规划局", "苏州市自然资源和规划局"}
    groups = issuer_groups(names)
    assert groups["洪泽区人民政府"] == "淮安市洪泽区人民政府"
    assert groups["淮安市人民政府"] == "淮安市人民政府"
    # No place at its start: it could be any city's bureau.
    assert groups["自然资源和规划局"] == "自然资源和规划局"


def test_an_ambiguous_short_name_stays_apart():
    groups = issuer_groups({"洪泽区人民政府", "淮安市洪泽区人民政府", "某某市洪泽区人民政府"})
    assert groups["洪泽区人民政府"] == "洪泽区人民政府"


def test_pairs_are_consecutive_years_of_one_issuer_first_file_of_a_year():
    rows = {
        0: _row("淮安市洪泽区人民政府", 2024),
        1: _row("洪泽区人民政府", 2023),
        2: _row("洪泽区 人民政府", 2023),  # a second 2023 report: the first in file order is compared
        3: _row("淮安市人民政府", 2024),
        4: _row("淮安市人民政府", 2022),  # two years apart: no pair
        5: _row("宿迁市人民政府", 2017),
        6: _row("宿迁市人民政府", 2018, score=None),  # not checked: no pair
        7: _row("苏州市人民政府", 2020),
        8: _row("苏州市人民政府", 2021),
        9: _row("苏州市人民政府", 2022),
    }
    assert year_pairs(rows) == [(1, 0), (7, 8), (8, 9)]


@pytest.fixture(scope="module")
def screened(tmp_path_factory):
    folder = tmp_path_factory.mktemp("submissions")
    for year in (2023, 2024):
        shutil.copy(shared_file(CORPUS / f"huaian-hongze-{year}.txt"), folder / f"洪泽区{year}.txt")
    shutil.copy(shared_file(CORPUS / "huaian-szf-2024.txt"), folder / "淮安市2024.txt")
    to_docx((FIXTURES / "report_2021_broken.txt").read_text(encoding="utf-8"), folder / "自然资源和规划局.docx")
    out = tmp_path_factory.mktemp("out") / "screen"
    result = CliRunner().invoke(
        main, ["screen", str(folder), "-o", str(out), "-j", "2", "--annotate", "--author", "市政务公开办"]
    )
    assert result.exit_code == 1, result.output
    return folder, out


def test_a_docx_submission_gets_its_review_copy_with_a_comment_per_finding(screened):
    _, out = screened
    rows = {row["file"]: row for row in summary_rows((out / "summary.csv").read_text(encoding="utf-8-sig"))}
    assert rows["自然资源和规划局.docx"]["review_copy"] == "reviews/自然资源和规划局.docx"
    assert all(not rows[name]["review_copy"] for name in rows if not name.endswith(".docx"))
    findings = json.loads((out / "reports/自然资源和规划局.docx.json").read_text(encoding="utf-8"))["findings"]
    comments = list(Document(str(out / "reviews/自然资源和规划局.docx")).comments)
    assert len(comments) == len(findings) > 0
    assert {comment.author for comment in comments} == {"市政务公开办"}
    assert sorted(path.name for path in (out / "reviews").iterdir()) == ["自然资源和规划局.docx"]


def test_two_years_of_one_issuer_are_compared_and_linked(screened):
    _, out = screened
    rows = {row["file"]: row for row in summary_rows((out / "summary.csv").read_text(encoding="utf-8-sig"))}
    page = "comparisons/洪泽区2024.txt.html"
    assert rows["洪泽区2024.txt"]["comparison"] == rows["洪泽区2023.txt"]["comparison"] == page
    assert not rows["淮安市2024.txt"]["comparison"] and not rows["自然资源和规划局.docx"]["comparison"]
    text = (out / page).read_text(encoding="utf-8")
    assert "2023" in text and "2024" in text and "<svg" in text
    summary = (out / "summary.html").read_text(encoding="utf-8")
    assert summary.count(f'href="{page}"') == 3  # both rows, and the list of comparisons
    assert "洪泽区2023.txt ↔ 洪泽区2024.txt" in summary


def test_a_review_copy_that_fails_leaves_the_check_and_says_why(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    draft = to_docx((FIXTURES / "report_2021.txt").read_text(encoding="utf-8"), folder / "局.docx")

    def broken(*args, **kwargs):
        raise ValueError("planted")

    monkeypatch.setattr(worker, "review_copy", broken)
    settings = Settings(
        directory=folder, outdir=tmp_path / "out", config=Config(), overrides=Overrides(), review=Review("办", "办")
    )
    settings.files, settings.names = [draft], ["局.docx"]
    worker.start(settings)  # what a worker process does, here in this one: the planted failure is seen
    row = worker.first(0)().row
    assert row.score is not None and row.grade and row.review_copy == ""
    assert row.error == "未能写出批注稿（内部错误（ValueError：planted））"
    assert (tmp_path / "out/reports/局.docx.json").exists()


def test_reviewer_options_without_annotate_are_a_usage_error(tmp_path):
    (tmp_path / "in").mkdir()
    result = CliRunner().invoke(main, ["screen", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--author", "办"])
    assert result.exit_code == 2 and "--author、--initials 和 --unsafe 与 --annotate 一起用" in result.stderr
    assert not (tmp_path / "out").exists()
