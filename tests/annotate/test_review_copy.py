"""The review copy: one comment per finding on exactly its characters, the fixes as tracked changes
that give `fix`'s text when all are accepted and the draft back, run by run, when all are rejected."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from builders import to_docx
from conftest import CORPUS, FIXTURES, seed_path, shared_file
from docx import Document
from docx.shared import Pt
from review_ooxml import W, anchored, part, resolved, revisions, runs_of, squeezed

from compliance.annotate import review_copy
from compliance.annotate.changes import NEW_UNIT, differences, unshown
from compliance.annotate.comments import text_of
from compliance.annotate.plain import plain_docx
from compliance.annotate.runs import Runs
from compliance.fix import fix_file
from compliance.fix.docx import trace
from compliance.load import load, load_bytes
from compliance.pipeline import check_source
from compliance.render import SEVERITY_LABELS

WHEN = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
PARTS = ("word/styles.xml", "word/header1.xml", "word/footer1.xml", "word/numbering.xml", "word/settings.xml")


def docx_draft(tmp_path: Path, fixture: str) -> Path:
    """A fixture as Word writes it (real tables), with a header and footer, Traditional characters
    across runs of mixed formatting and in two table cells."""
    path = to_docx((FIXTURES / fixture).read_text(encoding="utf-8"), tmp_path / f"{Path(fixture).stem}.docx")
    document = Document(path)
    section = document.sections[0]
    section.header.paragraphs[0].text = "苏州市自然资源和规划局"
    section.footer.paragraphs[0].text = "第 1 页"
    mixed = document.add_paragraph()
    for text, bold, size in [
        ("本局在", True, None),
        ("門", None, 16),
        ("戶網站公開", None, None),
        ("信息。", True, 12),
    ]:
        run = mixed.add_run(text)
        run.bold, run.font.size = bold, Pt(size) if size else None
    for simplified, traditional in [("规章", "規章"), ("申请人情况", "申請人情況")]:
        cell = next(c for t in document.tables for row in t.rows for c in row.cells if c.text == simplified)
        cell.paragraphs[0].runs[0].text = traditional
    document.save(path)
    return path


def annotated(path: Path, unsafe: bool = False):
    data = path.read_bytes()
    source = load_bytes(data, str(path))
    report = check_source(source)
    copy = review_copy(data, source, report, author="市政务公开办", initials="政", unsafe=unsafe, when=WHEN)
    return source, report, copy


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.split("\n") if line.strip()]


def loaded(data: bytes, name: str = "accepted.docx") -> str:
    return load_bytes(data, name).text


def expected_anchor(finding, text: str) -> str:
    """The finding's span, or for an empty one the line at its place (the title at offset 0)."""
    if finding.end > finding.start:
        return text[finding.start : finding.end]
    start = text.rfind("\n", 0, finding.start) + 1
    end = text.find("\n", finding.start)
    return text[start : end if end >= 0 else len(text)]


def assert_comments_on_their_findings(copy, report, source):
    document = Document(io.BytesIO(copy.data))
    comments = list(document.comments)
    assert len(comments) == copy.comments == len(report.findings) > 0
    spans = anchored(copy.data)
    for comment, finding in zip(sorted(comments, key=lambda c: c.comment_id), report.findings):
        assert comment.author == "市政务公开办" and comment.initials == "政" and comment.timestamp == WHEN
        assert comment.text == text_of(finding)
        assert comment.text.startswith(f"【{SEVERITY_LABELS[finding.severity]}】{finding.rule}：{finding.message}")
        assert squeezed(spans[comment.comment_id]) == squeezed(expected_anchor(finding, source.text)), finding.rule


def assert_revisions_are_marked(copy):
    marks = list(revisions(copy.data))
    assert len(marks) >= len(copy.changes) > 0
    assert {m.get(f"{W}author") for m in marks} == {"市政务公开办"}
    assert {m.get(f"{W}date") for m in marks} == {"2026-03-01T09:30:00Z"}
    comment_ids = [c.comment_id for c in Document(io.BytesIO(copy.data)).comments]
    ids = [int(m.get(f"{W}id")) for m in marks] + comment_ids
    assert len(ids) == len(set(ids))  # unique across comments and changes


@pytest.mark.parametrize("fixture", ["report_2021.txt", "report_2021_broken.txt"])
def test_docx_draft_review_copy(tmp_path, fixture):
    path = docx_draft(tmp_path, fixture)
    source, report, copy = annotated(path)
    assert_comments_on_their_findings(copy, report, source)
    assert_revisions_are_marked(copy)
    # Accept all: the text fix writes.
    fix_file(path, tmp_path / "fixed.docx")
    assert loaded(resolved(copy.data, accept=True)) == load(tmp_path / "fixed.docx").text
    # Reject all and drop the comments: the draft, run by run with the same properties.
    assert runs_of(resolved(copy.data, accept=False)) == runs_of(path.read_bytes())
    for name in PARTS:
        assert _xml(part(copy.data, name)) == _xml(part(path, name)), name


def _xml(element) -> str:
    from lxml import etree

    return etree.tostring(element, method="c14n").decode()


def test_a_change_keeps_the_formatting_of_its_run(tmp_path):
    path = docx_draft(tmp_path, "report_2021.txt")
    _source, _report, copy = annotated(path)
    body = Document(io.BytesIO(copy.data)).element.body
    inserted = {
        "".join(t.text for t in ins.iter(f"{W}t")): ins.find(f"{W}r/{W}rPr/{W}sz") for ins in body.iter(f"{W}ins")
    }
    deleted = {"".join(t.text for t in d.iter(f"{W}delText")) for d in body.iter(f"{W}del")}
    # "門戶網" spans a 16 pt run and a plain one: one change, its replacement in the first run's formatting
    assert {"門戶網", "規", "請", "況"} <= deleted  # a cell's characters one by one: 申請人情況 → 申请人情况
    assert inserted["门户网"] is not None and inserted["门户网"].get(f"{W}val") == "32"


def test_unsafe_edits_are_changes_only_when_asked(tmp_path):
    path = docx_draft(tmp_path, "report_2021_broken.txt")
    heading = "二、主动公开政府信息情况"
    _source, _report, safe = annotated(path)
    _source, _report, unsafe = annotated(path, unsafe=True)
    assert not any("政府信息" in c.inserted and "STRUCT-PART-HEADING" in c.rules for c in safe.changes)
    assert any(s.rule == "STRUCT-PART-HEADING" for s in safe.skipped)
    assert any(c.rules == ["STRUCT-PART-HEADING"] for c in unsafe.changes)
    assert heading in lines(loaded(resolved(unsafe.data, accept=True)))
    assert heading not in lines(loaded(resolved(safe.data, accept=True)))


@pytest.mark.parametrize(
    "draft, unsafe",
    [
        pytest.param(lambda: seed_path("000"), False, id="seed-000"),
        pytest.param(lambda: FIXTURES / "report_2021_broken.txt", False, id="broken-txt"),
        pytest.param(lambda: shared_file(CORPUS / "huaian-hongze-2024.txt"), False, id="hongze-2024"),
        # an unsafe CALC-SUM edit of a table cell, in a PDF draft
        pytest.param(lambda: shared_file(CORPUS / "huaian-hongze-2023.pdf"), True, id="hongze-2023-pdf-unsafe"),
    ],
)
def test_text_draft_becomes_a_plain_docx_with_the_same_review(tmp_path, draft, unsafe):
    path = draft()
    source, report, copy = annotated(path, unsafe)
    assert_comments_on_their_findings(copy, report, source)
    document = Document(io.BytesIO(copy.data))
    tables = [b for b in source.blocks if b.kind == "table"]
    assert len(document.tables) == len(tables)
    # Rejecting every change gives the draft's text; accepting them gives fix's.
    assert lines(loaded(resolved(copy.data, accept=False))) == lines(source.text)
    fixed = fix_file(path, tmp_path / "fixed.txt", unsafe)
    assert lines(loaded(resolved(copy.data, accept=True))) == lines(fixed.fixed)
    assert len(copy.changes) > 0 or not fixed.applied
    if fixed.applied:
        assert_revisions_are_marked(copy)


def test_seed_000_changes_come_from_every_round_of_fixes(tmp_path):
    # STYLE-PUNCT's edit of a whole line wins over the script conversions inside it, which a
    # second round applies: the changes are the whole difference, each named after its rules.
    _source, _report, copy = annotated(seed_path("000"))
    assert fix_file(seed_path("000"), tmp_path / "fixed.txt").rounds == 2
    rules = {rule for change in copy.changes for rule in change.rules}
    assert {"STYLE-SCRIPT", "STYLE-PUNCT", "STYLE-ORDINAL", "STYLE-RESIDUE"} <= rules
    assert any(c.deleted == "蘇" and c.inserted == "苏" and c.line == 1 for c in copy.changes)
    assert not copy.skipped


def test_table_finding_is_on_its_cell():
    _source, report, copy = annotated(shared_file(CORPUS / "huaian-hongze-2024.txt"))
    body = Document(io.BytesIO(copy.data)).element.body
    labels = [i for i, f in enumerate(report.findings) if f.rule == "STRUCT-TABLE-LABELS"]
    assert labels
    for start in body.iter(f"{W}commentRangeStart"):
        if int(start.get(f"{W}id")) in labels:
            assert start.getparent().getparent().tag == f"{W}tc"  # in a cell's paragraph


def test_whole_document_finding_is_on_the_title(tmp_path):
    path = docx_draft(tmp_path, "report_2021_broken.txt")
    source, report, copy = annotated(path)
    title = next(i for i, f in enumerate(report.findings) if f.rule == "STRUCT-TITLE")
    assert report.findings[title].start == report.findings[title].end == 0
    assert anchored(copy.data)[title] == source.text.split("\n", 1)[0]
    assert re.search("STRUCT-TITLE", Document(io.BytesIO(copy.data)).comments.get(title).text)


def test_a_change_that_would_join_lines_is_skipped_with_its_reason():
    # Runs cannot show two paragraphs becoming one; emptying a line (web residue) they can.
    original = "第一行文字\n第二行文字\n打印本页\n"
    source = load_bytes(original.encode(), "draft.txt")
    runs = Runs(trace(Document(io.BytesIO(plain_docx(source))).element.body, source))
    joined, emptied = (
        differences(original, "第一行文字第二行文字\n\n"),
        differences(original, "第一行文字\n第二行文字\n"),
    )
    assert [(original[c.start : c.end], unshown(c, runs, original)) for c in joined] == [
        ("\n", NEW_UNIT),
        ("\n打印本页", None),  # the line emptied, its break with it: the empty paragraph stays
    ]
    assert [unshown(change, runs, original) for change in emptied] == [None]
