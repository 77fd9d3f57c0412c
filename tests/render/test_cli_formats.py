"""`compliance check --format markdown|html|sarif` and `-o`: where the output goes, how several
drafts combine, and that the exit status does not depend on the format."""

from __future__ import annotations

import json

import lxml.html
import pytest
from click.testing import CliRunner
from conftest import FIXTURES, seed_path

from cli import main

BROKEN = FIXTURES / "report_2021_broken.txt"
CLEAN = FIXTURES / "report_2021.txt"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.mark.parametrize("output_format", ["text", "json", "markdown", "html", "sarif"])
def test_exit_status_is_the_same_in_every_format(output_format):
    assert run("check", "--format", output_format, BROKEN).exit_code == 1  # critical findings
    assert run("check", "--format", output_format, CLEAN).exit_code == 0


def test_output_file_gets_what_stdout_would(tmp_path):
    for output_format in ("text", "json", "markdown", "sarif"):
        target = tmp_path / f"report.{output_format}"
        written = run("check", "--format", output_format, "-o", target, BROKEN, CLEAN)
        assert written.exit_code == 1 and written.output == ""
        assert target.read_text(encoding="utf-8") == run("check", "--format", output_format, BROKEN, CLEAN).output


def test_several_drafts_concatenate_or_share_one_sarif_log():
    markdown = run("check", "--format", "markdown", BROKEN, CLEAN).output
    assert [line for line in markdown.splitlines() if line.startswith("# ")] == [
        "# 合规检查报告：（无标题）",
        "# 合规检查报告：苏州市自然资源和规划局2021年政府信息公开工作年度报告",
    ]
    log = json.loads(run("check", "--format", "sarif", BROKEN, CLEAN, seed_path("000")).output)
    (sarif_run,) = log["runs"]
    assert [a["location"]["uri"].rsplit("/", 1)[-1] for a in sarif_run["artifacts"]] == [
        BROKEN.name,
        CLEAN.name,
        seed_path("000").name,
    ]
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["index"] for r in sarif_run["results"]} == {0, 2}


def test_unreadable_draft_is_reported_and_the_others_still_rendered(tmp_path):
    result = CliRunner().invoke(main, ["check", "--format", "sarif", str(tmp_path / "missing.txt"), str(BROKEN)])
    assert result.exit_code == 2 and "missing.txt" in result.stderr
    assert len(json.loads(result.stdout)["runs"][0]["artifacts"]) == 1


def test_html_of_one_draft_goes_to_stdout_or_the_file(tmp_path):
    page = run("check", "--format", "html", BROKEN).output
    assert len(lxml.html.fromstring(page).xpath("//li[contains(@class, 'finding')]")) == 6
    assert run("check", "--format", "html", "-o", tmp_path / "r.html", BROKEN).output == ""
    assert (tmp_path / "r.html").read_text(encoding="utf-8") == page
    (tmp_path / "dir").mkdir()  # an existing directory gets NAME.html, as with several drafts
    run("check", "--format", "html", "-o", tmp_path / "dir", BROKEN)
    assert (tmp_path / "dir" / "report_2021_broken.html").read_text(encoding="utf-8") == page


def test_html_of_several_drafts_needs_a_directory(tmp_path):
    refused = CliRunner().invoke(main, ["check", "--format", "html", str(BROKEN), str(CLEAN)])
    assert refused.exit_code == 2 and "-o DIR" in refused.stderr and refused.stdout == ""
    a_file = tmp_path / "a.html"
    a_file.write_text("", encoding="utf-8")
    refused = CliRunner().invoke(main, ["check", "--format", "html", "-o", str(a_file), str(BROKEN), str(CLEAN)])
    assert refused.exit_code == 2 and "不是文件夹" in refused.stderr
    out = tmp_path / "pages"
    result = run("check", "--format", "html", "-o", out, BROKEN, CLEAN)
    assert result.exit_code == 1 and result.output == ""
    assert sorted(p.name for p in out.iterdir()) == ["report_2021.html", "report_2021_broken.html"]
    title = lxml.html.parse(str(out / "report_2021.html")).getroot().xpath("string(//h1)")
    assert title == "苏州市自然资源和规划局2021年政府信息公开工作年度报告"


def test_html_pages_of_drafts_with_one_name_do_not_collide(tmp_path):
    """Two drafts named alike get a page each, the second numbered: neither is written over."""
    other = tmp_path / "elsewhere" / BROKEN.name
    other.parent.mkdir()
    other.write_text(BROKEN.read_text(encoding="utf-8"), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["check", "--format", "html", "-o", str(tmp_path / "out"), str(BROKEN), str(other)]
    )
    assert result.exit_code == 1, result.output
    pages = {page.name: page.read_text(encoding="utf-8") for page in (tmp_path / "out").iterdir()}
    assert set(pages) == {"report_2021_broken.html", "report_2021_broken-2.html"}
    assert str(BROKEN) in pages["report_2021_broken.html"] and str(other) in pages["report_2021_broken-2.html"]


def test_unwritable_output_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["check", "-o", str(tmp_path / "no" / "such" / "dir" / "x.txt"), str(BROKEN)])
    assert result.exit_code == 2 and "x.txt" in result.stderr
