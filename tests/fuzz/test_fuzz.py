"""Whatever a draft holds, the checker answers: a report whose findings point into the text and
render in every format, or one line saying why not (a ComplianceError) — never a traceback.

Brief in `make test` (profile "ci"); long in `make fuzz` (tests/fuzz/run.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import jsonschema
from hypothesis import given

from compliance.errors import ComplianceError
from compliance.load import load_bytes
from compliance.pipeline import check_source
from compliance.render.html import render_html
from compliance.render.markdown import render_markdown as report_markdown
from compliance.render.notice import build_notice, notice_options, render_markdown
from compliance.render.sarif import render_sarif
from compliance.render.text import render_text
from compliance.resources import schema_path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import profiles  # noqa: F401  (loads the Hypothesis profile)
from strategies import any_text, docx_bytes, html_text

SCHEMA = json.loads(schema_path("report.schema.json").read_text(encoding="utf-8"))
NOTICE = notice_options(
    issuer="某市人民政府办公室\f",
    addressee="某局\x0b",
    deadline="2099-12-31",
    date="2099-01-01",
    contact="联系人：张三\x00，电话：0512-68616310",
    min_severity="info",
)


def _answers(source) -> None:
    """The whole pipeline on ``source``, and every output of it, hold their promises."""
    try:
        report = check_source(source)
    except ComplianceError:
        return  # one line saying why (not a report, …)
    text = source.text
    for finding in report.findings:
        assert 0 <= finding.start <= finding.end <= len(text), finding
        assert text[finding.start : finding.end].startswith(finding.excerpt), finding
        assert finding.line == text.count("\n", 0, finding.start) + 1, finding
        if finding.edit:
            assert 0 <= finding.edit.start <= finding.edit.end <= len(text), finding
    jsonschema.validate(json.loads(report.model_dump_json()), SCHEMA)
    render_text(report, colour=True)
    report_markdown(report)
    render_html(report, text)
    json.loads(render_sarif([(report, text)]))
    try:
        notice = build_notice(report, NOTICE)
    except ComplianceError:
        return  # no finding to notify
    render_markdown(notice)
    from compliance.render.notice_docx import docx_bytes as notice_docx

    assert notice_docx(notice)[:2] == b"PK"


@given(any_text)
def test_any_text_is_checked_or_refused_in_one_line(text):
    try:
        source = load_bytes(text.encode("utf-8"), "draft.txt")
    except ComplianceError:
        return
    _answers(source)


@given(docx_bytes())
def test_any_docx_is_checked_or_refused_in_one_line(data):
    try:
        source = load_bytes(data, "draft.docx")
    except ComplianceError:
        return
    _answers(source)


@given(html_text())
def test_any_web_page_is_checked_or_refused_in_one_line(page):
    try:
        source = load_bytes(page.encode("utf-8"), "draft.html")
    except ComplianceError:
        return
    _answers(source)


@given(any_text)
def test_any_text_in_other_encodings_reads_the_same(text):
    """GB18030 and UTF-16 are read, or refused in one line."""
    for encoding in ("gb18030", "utf-16"):
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            continue
        try:
            load_bytes(data, "draft.txt")  # read, or one line why: never a crash
        except ComplianceError:
            continue
