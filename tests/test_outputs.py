"""Outputs are written whole or not at all, and never over an input (compliance/output.py)."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner
from conftest import FIXTURES

from cli import main
from compliance.output import OutputError, write_text

NOTICE = [
    "--from",
    "苏州市人民政府办公室",
    "--to",
    "市自然资源和规划局",
    "--deadline",
    "2099-01-01",
    "--date",
    "2022-02-10",
]


def _draft(tmp_path):
    draft = tmp_path / "draft.txt"
    draft.write_text((FIXTURES / "report_2021_broken.txt").read_text(encoding="utf-8"), encoding="utf-8")
    return draft


def _run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("how", ["same path", "hard link", "symlink"])
@pytest.mark.parametrize(
    "command",
    [["check", "--format", "json"], ["check", "--format", "html"], ["check", "--format", "sarif"], ["notice", *NOTICE]],
)
def test_no_output_over_an_input(tmp_path, command, how):
    draft = _draft(tmp_path)
    before = draft.read_bytes()
    target = {"same path": draft, "hard link": tmp_path / "link.txt", "symlink": tmp_path / "sym.txt"}[how]
    if how == "hard link":
        os.link(draft, target)
    elif how == "symlink":
        target.symlink_to(draft)
    result = _run(*command, "-o", target, draft)
    assert result.exit_code == 2
    assert "是本次运行的输入文件" in result.output and "Traceback" not in result.output
    assert draft.read_bytes() == before


def test_a_full_disk_is_one_line_and_exit_2(tmp_path):
    result = _run("check", "--format", "json", "-o", "/dev/full", _draft(tmp_path))
    assert result.exit_code == 2 and "/dev/full: 无法写入" in result.output
    assert ("Traceback" not in result.output and result.exception is None) or isinstance(result.exception, SystemExit)


def test_a_write_that_fails_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")

    def fail(*_):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OutputError, match="No space left on device"):
        write_text(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_an_interrupted_write_leaves_no_temporary(tmp_path, monkeypatch):
    def interrupt(*_):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_text(tmp_path / "report.json", "new")
    assert list(tmp_path.iterdir()) == []


def test_written_output_replaces_the_old_and_keeps_its_mode(tmp_path):
    target = tmp_path / "report.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_text(target, "新")
    assert target.read_text(encoding="utf-8") == "新" and (target.stat().st_mode & 0o777) == 0o640


def test_one_page_that_cannot_be_written_costs_only_its_draft(tmp_path):
    first, second = _draft(tmp_path), tmp_path / "second.txt"
    second.write_text(first.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "pages"
    (out / "draft.html").mkdir(parents=True)  # where the first draft's page would go
    result = _run("check", "--format", "html", "-o", out, first, second)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "draft.html" in result.output
    assert (out / "second.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
