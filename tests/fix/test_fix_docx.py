"""`fix` on a .docx: text corrected inside the runs, every run's formatting kept, tables too."""

from __future__ import annotations

import pytest
from builders import to_docx
from conftest import FIXTURES
from docx import Document
from docx.shared import Pt

from compliance.fix import fix_file
from compliance.fix.docx import CROSSES, rewrite_docx
from compliance.load import load
from compliance.models.findings import Edit
from compliance.pipeline import check_source


@pytest.fixture
def draft(tmp_path):
    """The 2021 fixture as Word writes it, plus Traditional characters across runs of mixed
    formatting, web residue across two runs, and Traditional table cells (one merged)."""
    path = to_docx((FIXTURES / "report_2021.txt").read_text(encoding="utf-8"), tmp_path / "draft.docx")
    document = Document(path)
    mixed = document.add_paragraph()
    for text, bold, italic, size in [
        ("本局在", True, None, None),
        ("門", None, True, 16),
        ("戶網站公开", None, None, None),
        ("信息。", True, None, 12),
    ]:
        run = mixed.add_run(text)
        run.bold, run.italic = bold, italic
        run.font.size = Pt(size) if size else None
    residue = document.add_paragraph()
    residue.add_run("打印").bold = True
    residue.add_run("本页").italic = True
    for simplified, traditional in [("规章", "規章"), ("申请人情况", "申請人情況")]:
        cell = next(c for t in document.tables for row in t.rows for c in row.cells if c.text == simplified)
        cell.paragraphs[0].runs[0].text = traditional
    document.save(path)
    return path


def runs(paragraph):
    return [(r.text, r.bold, r.italic, r.font.size) for r in paragraph.runs]


def test_edits_land_in_the_runs_and_formatting_stays(draft, tmp_path):
    result = fix_file(draft, tmp_path / "fixed.docx")
    document = Document(tmp_path / "fixed.docx")
    mixed, residue = document.paragraphs[-2], document.paragraphs[-1]
    # "門戶網" spans two runs: the replacement goes into the first, the rest leaves the second
    assert runs(mixed) == [
        ("本局在", True, None, None),
        ("门户网", None, True, Pt(16)),
        ("站公开", None, None, None),
        ("信息。", True, None, Pt(12)),
    ]
    assert runs(residue) == [("", True, None, None), ("", None, True, None)]
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert {"规章", "申请人情况"} <= cells and not {"規章", "申請人情況"} & cells
    assert document.paragraphs[0].alignment == Document(draft).paragraphs[0].alignment  # the centred title
    assert {"STYLE-SCRIPT", "STYLE-RESIDUE"} <= {a.rule for a in result.applied} and not result.skipped


def test_fixed_docx_has_fewer_findings(draft, tmp_path):
    before = check_source(load(draft)).findings
    result = fix_file(draft, tmp_path / "fixed.docx")
    after = check_source(load(tmp_path / "fixed.docx")).findings
    assert len(after) < len(before) and result.remaining == len(after)
    assert {f.rule for f in before} >= {"STYLE-SCRIPT", "STYLE-RESIDUE"}
    assert not {f.rule for f in after} & {"STYLE-SCRIPT", "STYLE-RESIDUE"}


def test_docx_text_output_is_the_fixed_text(draft, tmp_path):
    result = fix_file(draft, tmp_path / "fixed.txt")
    assert (tmp_path / "fixed.txt").read_text(encoding="utf-8") == result.fixed
    assert "本局在门户网站公开信息。" in result.fixed


def test_edit_across_paragraphs_is_skipped_and_the_document_left_alone(draft):
    source = load(draft)
    end = source.text.index("本局在")  # from inside the paragraph before into this one
    edit = Edit(start=end - 3, end=end + 3, replacement="", safe=True)
    data, reasons = rewrite_docx(draft.read_bytes(), source, [edit])
    assert reasons == [CROSSES]
    rewritten = draft.with_name("rewritten.docx")
    rewritten.write_bytes(data)
    assert load(rewritten).text == source.text
