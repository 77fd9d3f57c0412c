"""The conventions of the linters users know (ruff, yamllint, sqlfluff, Vale), each as a user meets
it on the command line (issue 15): selections, colour, standard input, folders, CI formats,
verbosity."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, seed_path

from cli import main


def run(*args, **kwargs):
    return CliRunner().invoke(main, [str(a) for a in args], **kwargs)


def rules_of(result) -> set[str]:
    return {f["rule"] for f in json.loads(result.output)["findings"]}


@pytest.mark.parametrize(
    ("option", "value", "closest"),
    [
        ("--select", "STRCT", "STRUCT"),  # a family mistyped
        ("--ignore", "STYLE-PUNT", "STYLE-PUNCT"),  # a rule mistyped
        ("--select", "STRUCT,TIMEX", "TIME"),  # one of a list
    ],
)
def test_an_unknown_selection_is_an_error_naming_the_closest_rules(option, value, closest):
    result = run("check", option, value, seed_path("003"))
    assert result.exit_code == 2
    assert f"{option} {value.split(',')[-1]}：没有这个规则编号、规则族或规则名" in result.output
    assert closest in result.output.split("最接近的：")[1]


def test_an_unknown_selection_in_the_configuration_is_an_error(tmp_path):
    config = tmp_path / "compliance.toml"
    config.write_text('select = ["STRUCT", "TIMEE"]\n', encoding="utf-8")
    result = run("check", "--config", config, seed_path("003"))
    assert result.exit_code == 2 and "--select TIMEE" in result.output


def test_comma_separated_selections_are_several():
    repeated = run("check", "--format", "json", "--select", "STRUCT", "--select", "TIME", seed_path("003"))
    for listed in ("STRUCT,TIME", "STRUCT, TIME", "STRUCT，TIME"):
        assert rules_of(run("check", "--format", "json", "--select", listed, seed_path("003"))) == rules_of(repeated)
    found = rules_of(repeated)
    assert found and all(rule.startswith(("STRUCT-", "TIME-")) for rule in found)
    ignored = rules_of(run("check", "--format", "json", "--ignore", "STYLE,STRUCT", seed_path("000")))
    assert ignored and not any(rule.startswith(("STYLE-", "STRUCT-")) for rule in ignored)


def _on_a_terminal(*args: str, env: dict[str, str]) -> str:
    """What ``compliance`` prints when its standard output is a terminal (a pseudo-terminal)."""
    controller, terminal = os.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "compliance", *args], stdout=terminal, stderr=subprocess.PIPE, env=env, timeout=120
        )
        assert done.returncode in (0, 1), done.stderr
        os.close(terminal)
        terminal = -1
        chunks = []
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal's other end is closed: all is read
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks).decode("utf-8", errors="replace")
    finally:
        os.close(controller)
        if terminal != -1:
            os.close(terminal)


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_colour_on_a_terminal_unless_no_color_says_otherwise():
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    seed = str(seed_path("003"))
    assert "\x1b[" in _on_a_terminal("check", seed, env=env)
    assert "\x1b[" not in _on_a_terminal("check", seed, env={**env, "NO_COLOR": "1"})
    assert "\x1b[" in _on_a_terminal("check", "--color", "always", seed, env={**env, "NO_COLOR": "1"})
    assert "\x1b[" not in _on_a_terminal("check", "--color", "never", seed, env=env)


def test_colour_when_asked_for_even_into_a_pipe_or_file():
    assert "\x1b[" in run("check", "--color", "always", seed_path("003")).output
    assert "\x1b[" not in run("check", seed_path("003")).output  # auto: not a terminal


def test_a_dash_reads_the_draft_from_standard_input(tmp_path):
    data = seed_path("003").read_bytes()
    named = run("check", "--format", "json", "-", "--stdin-filename", "昆山2013.txt", input=data)
    assert named.exit_code == 1
    report = json.loads(named.output)
    assert report["source"]["path"] == "昆山2013.txt"
    assert rules_of(named) == rules_of(run("check", "--format", "json", seed_path("003")))
    unnamed = json.loads(run("check", "--format", "json", "-", input=data).output)
    assert unnamed["source"]["path"] == "-"
    empty = run("check", "-", input=b"")
    assert empty.exit_code == 2 and "-: 文件为空" in empty.output


def test_a_folder_is_every_report_under_it(tmp_path):
    folder = tmp_path / "报送"
    (folder / "县区").mkdir(parents=True)
    shutil.copy(seed_path("003"), folder / "昆山.txt")
    shutil.copy(seed_path("001"), folder / "县区" / "宿迁.txt")
    (folder / "说明.xlsx").write_bytes(b"PK")  # not a report format: left out
    (folder / ".hidden.txt").write_text("x", encoding="utf-8")
    result = run("check", "--format", "jsonl", folder)
    reports = [json.loads(line) for line in result.output.splitlines()]
    assert [Path(r["source"]["path"]).relative_to(folder).as_posix() for r in reports] == ["县区/宿迁.txt", "昆山.txt"]
    assert result.exit_code == 1


def test_a_folder_without_reports_is_an_error(tmp_path):
    (tmp_path / "空").mkdir()
    result = run("check", tmp_path / "空")
    assert result.exit_code == 2 and "文件夹下没有可检查的文件" in result.output


def test_jsonl_is_json_lines_and_json_its_old_name():
    jsonl = run("check", "--format", "jsonl", seed_path("003"), seed_path("001"))
    assert jsonl.output == run("check", "--format", "json", seed_path("003"), seed_path("001")).output
    assert [json.loads(line)["source"]["path"] for line in jsonl.output.splitlines()] == [
        str(seed_path("003")),
        str(seed_path("001")),
    ]


def test_github_annotations_point_at_the_line_and_column():
    result = run("check", "--format", "github", seed_path("003"))
    text = seed_path("003").read_text(encoding="utf-8")
    report = json.loads(run("check", "--format", "json", seed_path("003")).output)
    lines = result.output.splitlines()
    assert len(lines) == len(report["findings"]) and result.exit_code == 1
    levels = {"critical": "error", "major": "error", "minor": "warning", "info": "notice"}
    for line, finding in zip(lines, report["findings"], strict=True):
        column = finding["start"] - (text.rfind("\n", 0, finding["start"]) + 1) + 1
        assert (
            line.startswith(f"::{levels[finding['severity']]} file=")
            and f"line={finding['line']},col={column}," in line
        )
        assert f"title={finding['rule']} {finding['severity']}::" in line


def test_github_annotations_cannot_be_broken_by_what_they_quote():
    from compliance.render.github import _data, _property

    assert _data("一\n二\r%") == "一%0A二%0D%25"
    assert _property("a:b,c\n") == "a%3Ab%2Cc%0A"


def test_quiet_and_verbose():
    normal = run("check", seed_path("003")).output
    quiet = run("check", "-q", seed_path("003")).output
    verbose = run("check", "-v", seed_path("003")).output
    assert "原文：" in normal and "建议：" in normal and "依据：" not in normal
    assert "原文：" not in quiet and "建议：" not in quiet and "未检查" not in quiet
    assert [line for line in quiet.splitlines() if "第" in line and "行  " in line] == [
        line for line in normal.splitlines() if line.startswith("  第")
    ]
    assert "依据：" in verbose and "位置：" in verbose and len(verbose) > len(normal)


def test_the_pre_commit_hook_checks_the_files_it_is_given(tmp_path):
    """pre-commit runs the hook's entry with the changed files that match ``files`` appended."""
    import re

    import yaml

    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "compliance-check" and hook["language"] == "python"
    matches = re.compile(hook["files"]).search
    assert all(matches(name) for name in ("报告.docx", "draft.md", "年报.txt"))
    assert not any(matches(name) for name in ("notes.xlsx", "report.pdf", "setup.py"))
    program, *arguments = hook["entry"].split()
    assert program == "compliance"
    clean = tmp_path / "clean.txt"
    clean.write_text((ROOT / "tests" / "fixtures" / "report_2021.txt").read_text(encoding="utf-8"), encoding="utf-8")
    assert run(*arguments, clean).exit_code == 0  # a clean report passes the commit
    assert run(*arguments, clean, seed_path("003")).exit_code == 1  # a critical finding stops it


def test_shell_completion_works_as_the_readme_says():
    done = subprocess.run(
        [sys.executable, "-m", "compliance"],
        env={**os.environ, "_COMPLIANCE_COMPLETE": "bash_source"},
        capture_output=True,
        text=True,
    )
    assert "complete -o nosort -F _compliance_completion compliance" in done.stdout
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "_COMPLIANCE_COMPLETE=bash_source compliance" in readme


def test_the_chinese_quick_start_has_the_set_up_the_everyday_commands_and_the_grades():
    quick = (ROOT / "README.zh-CN.md").read_text(encoding="utf-8")
    for said in (
        "make demo",
        "make test",
        "compliance check",
        "compliance screen",
        "compliance notice",
        "--format html",
    ):
        assert said in quick
    assert all(grade in quick for grade in ("合格", "基本合格", "不合格"))
    assert "README.zh-CN.md" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_pages_of_drafts_that_share_a_name_are_numbered(tmp_path):
    for folder in ("甲", "乙"):
        (tmp_path / "in" / folder).mkdir(parents=True)
        shutil.copy(seed_path("003"), tmp_path / "in" / folder / "年报.txt")
    result = run("check", "--format", "html", "-o", tmp_path / "pages", tmp_path / "in")
    assert result.exit_code == 1
    assert sorted(p.name for p in (tmp_path / "pages").iterdir()) == ["年报-2.html", "年报.html"]


def test_an_unknown_selection_and_an_empty_folder_in_english(english, tmp_path):
    result = run("check", "--select", "STRCT", seed_path("003"))
    assert result.exit_code == 2
    assert "--select STRCT: no rule id, family or name is that; the closest: STRUCT" in result.output
    (tmp_path / "empty").mkdir()
    assert "no file to check in the folder" in run("check", tmp_path / "empty").output
