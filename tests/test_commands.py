"""What the commands share: severity order in one place, one exit-status policy, one way to read
a document (stages 1–3), one entry to the renderers."""

from __future__ import annotations

import json

import pytest
from conftest import FIXTURES

from compliance import normalize, parse
from compliance.commands import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, exit_status
from compliance.models.findings import SEVERITIES, rank, reaches
from compliance.pipeline import check_source, read
from compliance.render import FORMATS, render

BROKEN = FIXTURES / "report_2021_broken.txt"


def test_severities_are_ranked_gravest_first():
    assert [rank(severity) for severity in SEVERITIES] == [0, 1, 2, 3]
    assert reaches("critical", "major") and reaches("major", "major") and not reaches("minor", "major")


@pytest.mark.parametrize(
    ("severities", "fail_on", "errors", "status"),
    [
        ([], "info", False, EXIT_CLEAN),
        (["major", "minor"], "critical", False, EXIT_CLEAN),
        (["minor", "major"], "major", False, EXIT_FINDINGS),
        (["info"], "info", False, EXIT_FINDINGS),
        (["critical"], "critical", True, EXIT_ERROR),
        ([], "critical", True, EXIT_ERROR),
    ],
)
def test_one_exit_status_policy(severities, fail_on, errors, status):
    assert exit_status(severities, fail_on, errors) == status


def test_read_is_load_normalise_parse():
    reading = read(BROKEN)
    assert reading.source.path == str(BROKEN)
    assert reading.text == normalize.normalize(reading.source.text)
    assert reading.tree == parse.parse(reading.text.text)
    assert read(reading.source).tree == reading.tree  # a source already loaded is read the same


def test_render_gives_every_format_of_one_draft():
    reading = read(BROKEN)
    report = check_source(reading.source)
    assert json.loads(render(report, "json")) == json.loads(report.model_dump_json())
    assert render(report, "html", reading.source.text).startswith("<!DOCTYPE html>")
    assert all(render(report, fmt, reading.source.text) for fmt in FORMATS)
    with pytest.raises(ValueError, match="sarif"):
        render(report, "sarif")
