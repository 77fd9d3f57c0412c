"""`compliance annotate` as users call it, and its review copy in a real program: LibreOffice opens
it and exports a PDF that carries the comments and the draft's text."""

from __future__ import annotations

import re
import shutil
import subprocess

import pdfplumber
import pytest
from click.testing import CliRunner
from conftest import seed_path
from docx import Document
from lxml import etree
from pdfminer.pdftypes import resolve1
from review_ooxml import W, revisions, squeezed
from test_review_copy import annotated, docx_draft

from cli import main
from compliance.annotate.comments import text_of
from compliance.load import load
from compliance.pipeline import check_source

ODF = {
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
}
MARGIN = 'pdf:writer_pdf_Export:{"ExportNotesInMargin":{"type":"boolean","value":"true"}}'


def run(*args):
    return CliRunner().invoke(main, ["annotate", *map(str, args)], catch_exceptions=False)


def test_writes_the_review_copy_and_summarises_on_stderr(tmp_path):
    result = run(seed_path("000"), "-o", tmp_path / "review.docx", "--author", "市政务公开办", "--initials", "政")
    assert result.exit_code == 0 and result.stdout == ""
    findings = len(check_source(load(seed_path("000"))).findings)
    match = re.fullmatch(
        rf"{re.escape(str(tmp_path / 'review.docx'))}：(\d+) 条批注（(\d+) 个问题），(\d+) 处修订；跳过 0 处修改\n",
        result.stderr,
    )
    assert match and int(match[1]) == int(match[2]) == findings and int(match[3]) > 0
    document = Document(tmp_path / "review.docx")
    assert {c.author for c in document.comments} == {"市政务公开办"}
    assert {m.get(f"{W}author") for m in revisions((tmp_path / "review.docx").read_bytes())} == {"市政务公开办"}


@pytest.mark.parametrize(
    ("options", "author", "initials"),
    [
        ([], "合规检查", "合"),
        (["--author", "市政务公开办"], "市政务公开办", "市"),
        (["--initials", "查"], "合规检查", "查"),
    ],
)
def test_the_reviewer_and_initials_default_to_the_checker_and_the_name_s_first_character(
    tmp_path, options, author, initials
):
    draft = docx_draft(tmp_path, "report_2021_broken.txt")
    assert run(draft, "-o", tmp_path / "review.docx", *options).exit_code == 0
    assert {(c.author, c.initials) for c in Document(tmp_path / "review.docx").comments} == {(author, initials)}


def test_unsafe_edits_are_listed_as_skipped_unless_asked(tmp_path):
    draft = docx_draft(tmp_path, "report_2021_broken.txt")
    safe = run(draft, "-o", tmp_path / "safe.docx")
    unsafe = run(draft, "-o", tmp_path / "unsafe.docx", "--unsafe")
    assert "跳过 1 处：不安全（加 --unsafe 才应用）" in safe.stderr
    assert "不安全" not in unsafe.stderr
    assert "主动公开政府信息情况" in "".join(
        t.text for t in Document(tmp_path / "unsafe.docx").element.body.iter(f"{W}t") if t.getparent() is not None
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (["missing.txt", "-o", "r.docx"], "missing.txt: 文件不存在"),
        (["draft.docx", "-o", "draft.docx"], "是本次运行的输入文件"),
        (["broken.docx", "-o", "r.docx"], "broken.docx: 不是有效的 .docx"),
        (["draft.docx", "-o", "r.txt"], "r.txt: 审阅稿是 Word 文档；请用 -o NAME.docx"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, args, message):
    draft = docx_draft(tmp_path, "report_2021.txt")
    shutil.copy(draft, tmp_path / "draft.docx")
    (tmp_path / "broken.docx").write_bytes(draft.read_bytes()[:3000])  # a cut-off zip
    result = run(*[tmp_path / arg if "." in arg else arg for arg in args])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr
    assert not (tmp_path / "r.docx").exists() and not (tmp_path / "r.txt").exists()


def _office():
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        pytest.skip(
            "LibreOffice (libreoffice/soffice) is not on PATH (`make tools` installs it): "
            "the review copy is not opened in it"
        )
    return office


def _convert(office: str, path, to: str, tmp_path):
    subprocess.run(
        [office, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to", to,
         "--outdir", str(tmp_path / "out"), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return tmp_path / "out" / f"{path.stem}.{to.split(':')[0]}"


def _notes(page) -> list[str]:
    """The texts of the page's comment annotations."""
    notes = []
    for reference in resolve1(page.page_obj.attrs.get("Annots")) or []:
        annotation = resolve1(reference)
        contents = annotation.get("Contents")
        if contents is not None:
            notes.append(contents.decode("utf-16") if contents[:2] == b"\xfe\xff" else contents.decode("latin-1"))
    return notes


@pytest.mark.parametrize(
    "draft",
    [
        pytest.param(lambda tmp_path: docx_draft(tmp_path, "report_2021_broken.txt"), id="2021-broken-docx"),
        pytest.param(lambda tmp_path: seed_path("000"), id="seed-000-txt"),
    ],
)
def test_libreoffice_exports_the_review_copy_with_its_comments(tmp_path, draft):
    office = _office()
    source, report, copy = annotated(draft(tmp_path))
    (tmp_path / "review.docx").write_bytes(copy.data)
    pdf = _convert(office, tmp_path / "review.docx", MARGIN, tmp_path)
    with pdfplumber.open(pdf) as document:
        text = "".join(squeezed(page.extract_text() or "") for page in document.pages)
        notes = [note for page in document.pages for note in _notes(page)]
    # LibreOffice 7.4 headless lays out no margin (the option is taken, the notes area is not
    # drawn without a window) but exports every comment as a PDF note at its place.
    assert sorted(notes) == sorted(text_of(f) for f in report.findings) and len(notes) == copy.comments > 0
    # The draft's text is there: every line no change touches, verbatim (a changed one shows its
    # deleted and inserted characters side by side); not table rows, whose cells wrap side by side.
    changed = {change.line for change in copy.changes}
    kept = [
        line
        for number, line in enumerate(source.text.split("\n"), 1)
        if number not in changed and "\t" not in line and line.strip()
    ]
    assert kept
    for line in kept:
        assert squeezed(line) in text, line


@pytest.mark.parametrize(
    "draft",
    [
        pytest.param(lambda tmp_path: docx_draft(tmp_path, "report_2021.txt"), id="2021-docx"),
        pytest.param(lambda tmp_path: seed_path("000"), id="seed-000-txt"),
    ],
)
def test_libreoffice_reads_the_tracked_changes_as_changes(tmp_path, draft):
    # LibreOffice lists what it read as tracked changes (text:changed-region) in its own format:
    # every w:ins an insertion and every w:del a deletion, by the reviewer (adjacent deletions of
    # one author and time, parted by a comment's edge, it joins into one).
    office = _office()
    _source, _report, copy = annotated(draft(tmp_path))
    (tmp_path / "review.docx").write_bytes(copy.data)
    flat = etree.parse(str(_convert(office, tmp_path / "review.docx", "fodt", tmp_path)))
    regions = flat.findall(".//text:changed-region", ODF)
    inserted = [r for r in regions if r.find("text:insertion", ODF) is not None]
    deleted = [r for r in regions if r.find("text:deletion", ODF) is not None]
    marks = list(revisions(copy.data))
    assert len(inserted) == sum(m.tag == f"{W}ins" for m in marks) > 0
    assert 0 < len(deleted) <= sum(m.tag == f"{W}del" for m in marks)
    assert len(regions) == len(inserted) + len(deleted)
    assert {e.text for e in flat.findall(".//text:changed-region//dc:creator", ODF)} == {"市政务公开办"}
    assert len(flat.findall(".//office:annotation", ODF)) == copy.comments
