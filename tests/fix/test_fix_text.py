"""`fix` on text drafts: what gets applied, what is skipped and why, and how the file is written."""

from __future__ import annotations

from conftest import rule_findings, seed_path, seed_text

from compliance.edits import OVERLAP, UNSAFE, apply_edits, triage
from compliance.fix import fix_file
from compliance.load import load
from compliance.models.config import Config
from compliance.models.findings import Edit
from compliance.pipeline import check_source


def test_traditional_draft_comes_out_simplified_and_clean(tmp_path):
    # seed 000 is wholly Traditional: one STYLE-SCRIPT finding stands for 2230 converted runs.
    # Edits of other rules may cover some of them; those runs are converted in a later round.
    result = fix_file(seed_path("000"), tmp_path / "fixed.txt")
    fixed = (tmp_path / "fixed.txt").read_text(encoding="utf-8")
    assert fixed.startswith("苏州市2018年政府信息公开工作年度报告")
    report = check_source(load(tmp_path / "fixed.txt"))
    assert not rule_findings(report, "STYLE-SCRIPT") and not rule_findings(report, "STYLE-RESIDUE")
    assert result.remaining == len(report.findings) and not result.skipped
    assert fixed == result.fixed and result.original == seed_text("000")


def test_of_overlapping_edits_the_enclosing_one_applies(tmp_path):
    # "聯絡我們" is web residue to delete, and also the script runs "聯絡" → "联系", "們" → "们"
    result = fix_file(seed_path("000"), tmp_path / "fixed.txt")
    fixed = (tmp_path / "fixed.txt").read_text(encoding="utf-8")
    assert "联系我们" not in fixed and "聯絡我們" not in fixed
    assert any(a.rule == "STYLE-RESIDUE" and a.text == "聯絡我們" and a.edit.replacement == "" for a in result.applied)


def test_first_edit_by_position_wins_and_the_longer_at_the_same_start():
    edits = [
        Edit(start=2, end=6, replacement="X", safe=True),
        Edit(start=0, end=3, replacement="A", safe=True),  # overlaps the first: starts before it
        Edit(start=6, end=7, replacement="B", safe=True),
        Edit(start=6, end=9, replacement="C", safe=True),  # same start, longer: wins over "B"
    ]
    assert triage(edits) == [OVERLAP, None, OVERLAP, None]
    assert apply_edits("0123456789", edits) == "A345C9"


def test_year_fix_needs_unsafe(tmp_path):
    # seed 001, a 2017 report, compares with "比2017年" (TIME-YEAR: should be 比2016年)
    kept = fix_file(seed_path("001"), tmp_path / "safe.txt")
    assert "比2017年4101条" in (tmp_path / "safe.txt").read_text(encoding="utf-8")
    assert [(s.rule, s.text, s.reason) for s in kept.skipped] == [("TIME-YEAR", "比2017年", UNSAFE)]
    assert all(a.edit.safe for a in kept.applied)
    changed = fix_file(seed_path("001"), tmp_path / "unsafe.txt", unsafe=True)
    fixed = (tmp_path / "unsafe.txt").read_text(encoding="utf-8")
    assert "比2016年4101条" in fixed and "比2017年" not in fixed
    assert [(a.rule, a.text) for a in changed.applied if not a.edit.safe] == [("TIME-YEAR", "比2017年")]
    assert not rule_findings(check_source(load(tmp_path / "unsafe.txt")), "TIME-YEAR") and not changed.skipped


def test_select_limits_the_edits_to_its_rules(tmp_path):
    result = fix_file(seed_path("000"), tmp_path / "fixed.txt", config=Config(select=["STYLE-RESIDUE"]))
    fixed = (tmp_path / "fixed.txt").read_text(encoding="utf-8")
    assert fixed.startswith("蘇州市") and "聯絡我們" not in fixed
    assert {a.rule for a in result.applied} == {"STYLE-RESIDUE"}


def test_gb18030_input_stays_gb18030_with_its_line_endings(tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_bytes(seed_text("000").replace("\n", "\r\n").encode("gb18030"))
    result = fix_file(draft, tmp_path / "fixed.txt")
    written = (tmp_path / "fixed.txt").read_bytes()
    assert load(tmp_path / "fixed.txt").encoding == "gb18030" and not result.notes
    assert written.decode("gb18030").startswith("苏州市2018年政府信息公开工作年度报告\r\n")
    assert written.count(b"\r\n") == written.count(b"\n")


def test_big5_input_that_cannot_hold_the_fix_is_written_as_utf8_and_says_so(tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_bytes(seed_text("000").encode("big5"))
    result = fix_file(draft, tmp_path / "fixed.txt")
    assert (tmp_path / "fixed.txt").read_text(encoding="utf-8").startswith("苏州市")
    assert result.notes == ["已按 UTF-8 写出：big5 无法编码“苏”"]


def test_nothing_written_without_output(tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text(seed_text("000"), encoding="utf-8")
    result = fix_file(draft)
    assert result.output is None and result.applied
    assert sorted(p.name for p in tmp_path.iterdir()) == ["draft.txt"]
