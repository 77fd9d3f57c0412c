"""`compliance fix` as users call it: never in place, --diff, the summary, one-line errors."""

from __future__ import annotations

import re

from builders import to_html
from click.testing import CliRunner
from conftest import FIXTURES, seed_path, seed_text

from cli import main


def run(*args):
    return CliRunner().invoke(main, ["fix", *map(str, args)], catch_exceptions=False)


def draft(tmp_path, key="000"):
    path = tmp_path / "draft.txt"
    path.write_text(seed_text(key), encoding="utf-8")
    return path


def test_writes_a_new_file_and_summarises_on_stderr(tmp_path):
    source = draft(tmp_path)
    result = run(source, "-o", tmp_path / "fixed.txt")
    assert result.exit_code == 0 and result.stdout == ""
    assert (tmp_path / "fixed.txt").read_text(encoding="utf-8").startswith("苏州市")
    assert source.read_text(encoding="utf-8") == seed_text("000")
    assert re.fullmatch(
        rf"{re.escape(str(tmp_path / 'fixed.txt'))}：应用 \d+ 处修改（安全 (\d+) 处，不安全 0 处），"
        r"共 \d 轮；跳过 0 处；剩余问题 \d+ 个\n",
        result.stderr,
    )


def test_refuses_to_write_over_the_input(tmp_path):
    source = draft(tmp_path)
    (tmp_path / "sub").mkdir()
    for output in (source, tmp_path / "sub" / ".." / "draft.txt"):
        result = run(source, "-o", output)
        assert result.exit_code == 2
        assert result.stderr.count("\n") == 1 and "是输入文件" in result.stderr
    assert source.read_text(encoding="utf-8") == seed_text("000")


def test_diff_alone_prints_and_writes_nothing(tmp_path):
    source = draft(tmp_path, "001")
    result = run(source, "--diff", "--unsafe", "--select", "TIME-YEAR")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:2] == [f"--- {source}", f"+++ {source}（修改后）"]
    changed = [line for line in lines[2:] if line[:1] in "+-"]
    assert len(changed) == 2
    assert changed[0].startswith("-2017年") and "比2017年4101条" in changed[0]
    assert changed[1] == "+" + changed[0][1:].replace("比2017年", "比2016年")
    assert "（未写出）" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["draft.txt"]


def test_diff_with_output_writes_and_prints(tmp_path):
    source = draft(tmp_path, "001")
    result = run(source, "--diff", "--select", "TIME", "-o", tmp_path / "fixed.txt")
    assert result.exit_code == 0 and result.stdout == ""  # the only edit is unsafe: no change, no diff
    assert (tmp_path / "fixed.txt").read_text(encoding="utf-8") == seed_text("001")
    assert "跳过 1 处：不安全（加 --unsafe 才应用）" in result.stderr
    result = run(source, "--diff", "--unsafe", "--select", "TIME", "-o", tmp_path / "fixed.txt")
    assert f"+++ {tmp_path / 'fixed.txt'}" in result.stdout and "比2016年" in (tmp_path / "fixed.txt").read_text(
        encoding="utf-8"
    )


def test_ignore_keeps_a_rules_edits_out(tmp_path):
    result = run(draft(tmp_path), "--ignore", "STYLE-SCRIPT", "-o", tmp_path / "fixed.txt")
    fixed = (tmp_path / "fixed.txt").read_text(encoding="utf-8")
    assert result.exit_code == 0 and fixed.startswith("蘇州市") and "聯絡我們" not in fixed


def test_html_input_writes_its_fixed_text_only(tmp_path):
    page = to_html(
        (FIXTURES / "report_2021_broken.txt").read_text(encoding="utf-8"), tmp_path / "report.html", junk=False
    )
    refused = run(page, "-o", tmp_path / "fixed.html")
    assert refused.exit_code == 2 and "请用 -o NAME.txt 写出修改后的文本" in refused.stderr
    assert run(page, "-o", tmp_path / "fixed.txt").exit_code == 0
    assert "打印本页" not in (tmp_path / "fixed.txt").read_text(encoding="utf-8")


def test_text_input_is_not_written_as_docx(tmp_path):
    result = run(seed_path("001"), "-o", tmp_path / "fixed.docx")
    assert result.exit_code == 2 and "只有 .docx 报告能写成 .docx" in result.stderr
    assert not (tmp_path / "fixed.docx").exists()


def test_needs_an_output_or_diff(tmp_path):
    result = run(draft(tmp_path))
    assert result.exit_code == 2 and "-o FILE" in result.stderr


def test_unreadable_input_is_one_line(tmp_path):
    result = run(tmp_path / "missing.txt", "-o", tmp_path / "fixed.txt")
    assert result.exit_code == 2 and result.stderr == f"compliance: {tmp_path / 'missing.txt'}: 文件不存在\n"


def test_an_english_locale_reads_the_summary_in_english(tmp_path, english):
    result = run(draft(tmp_path), "-o", tmp_path / "fixed.txt")
    assert re.fullmatch(
        rf"{re.escape(str(tmp_path / 'fixed.txt'))}: \d+ edits applied \((\d+) safe, 0 unsafe\) "
        r"in \d rounds?, 0 skipped; remaining findings: \d+\n",
        result.stderr,
    )
