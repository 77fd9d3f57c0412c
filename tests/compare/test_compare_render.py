"""The comparison as JSON (the model), Markdown and the ``compare`` command."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from compare_pairs import fixture_pair, hongze
from conftest import CORPUS, FIXTURES, shared_file

from compliance.cli import main
from compliance.models.comparison import Comparison
from compliance.render.comparison import render_comparison


def test_json_is_the_model():
    comparison = hongze()
    text = render_comparison(comparison, "json")
    assert Comparison.model_validate_json(text) == comparison
    data = json.loads(text)
    assert (data["last"]["year"], data["this"]["year"]) == (2023, 2024)
    assert [t["table"] for t in data["tables"]] == ["active", "requests", "review"]


def test_markdown_shows_both_years_tables_changes_and_checks():
    text = render_comparison(hongze(), "md")
    assert text.startswith("# 年度报告比对：淮安市洪泽区人民政府（2023年 → 2024年）\n")
    for heading in ("## 主要数据", "## 表二（主动公开政府信息情况）", "## 表三（收到和处理政府信息公开申请情况）"):
        assert f"\n{heading}\n" in text
    assert "| 一、本年新收 | 21 → 95：+74（+352.4%） |" in text
    assert "| 行政事业性收费 |  |  |  |  | 7730.28 → 7545：−185.28（−2.4%） |" in text
    assert "| 收到申请 | 21 | 95 | +74（+352.4%） |" in text
    stock = "| 现行有效件数 = 上年现行有效 + 本年制发 − 本年废止 | 表二（主动公开政府信息情况） | 行政规范性文件 |"
    assert stock + " 现行有效件数 | 8 | 8 | 0 | 相符 |" in text
    assert "| 受理（收到）申请 | 21 件（2023 年全区受理政府信息公开申请 21 件） |" in text
    assert "> **注意**" not in text


def test_markdown_marks_what_does_not_hold_and_what_was_copied():
    text = render_comparison(fixture_pair(), "md")
    assert text.count("**不符**") == 3
    assert "| 五、存在的主要问题及改进情况 | 1% | 0 / 1 |" in text
    assert "### 六、其他需要报告的事项：照搬上年的段落\n\n- 本年度我局未收取政府信息公开信息处理费。\n" in text


def test_markdown_escapes_what_the_reports_say():
    comparison = hongze().model_copy(update={"warnings": ["<b>*粗体*</b> | 表格"]})
    text = render_comparison(comparison, "md")
    assert "> **注意**：\\<b\\>\\*粗体\\*\\</b\\> \\| 表格" in text


CORPUS_PAIR = ("huaian-hongze-2023.txt", "huaian-hongze-2024.txt")


def _run(*arguments):
    return CliRunner().invoke(main, ["compare", *map(str, arguments)])


def test_the_command_writes_the_format_of_the_suffix(tmp_path):
    last, this = (shared_file(CORPUS / name) for name in CORPUS_PAIR)
    for suffix, starts in ((".html", "<!DOCTYPE html>"), (".md", "# 年度报告比对"), (".json", "{")):
        output = tmp_path / f"comparison{suffix}"
        result = _run(last, this, "-o", output)
        assert result.exit_code == 0, result.output
        assert output.read_text(encoding="utf-8").startswith(starts)
    forced = tmp_path / "comparison.txt"
    assert _run(last, this, "-o", forced, "--format", "json").exit_code == 0
    assert Comparison.model_validate_json(forced.read_text(encoding="utf-8")).this.year == 2024


def test_without_output_markdown_goes_to_standard_output():
    result = _run(*(shared_file(CORPUS / name) for name in CORPUS_PAIR))
    assert result.exit_code == 0
    assert result.stdout.startswith("# 年度报告比对：") and "## 上年结转核对" in result.stdout


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("missing.txt", CORPUS / CORPUS_PAIR[1]), "missing.txt: 文件不存在"),
        ((FIXTURES / "report_2021.txt", CORPUS / CORPUS_PAIR[1], "-o", "out.docx"), "out.docx: 无法从扩展名判断格式"),
        (
            (
                FIXTURES / "report_2021.txt",
                FIXTURES / "report_2021.txt",
                "-o",
                FIXTURES / "report_2021.txt",
                "--format",
                "md",
            ),
            "是本次运行的输入文件",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_status_2(tmp_path, monkeypatch, arguments, message):
    monkeypatch.chdir(tmp_path)
    shared_file(CORPUS / CORPUS_PAIR[1])
    result = _run(*arguments)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr and result.stderr.startswith("compliance: ")


def test_a_document_that_is_not_a_report_is_refused(tmp_path):
    notice = tmp_path / "notice.txt"
    notice.write_text(
        "关于开展2024年政务公开工作要点落实情况自查的通知\n各单位：\n请于3月底前报送。\n", encoding="utf-8"
    )
    result = _run(notice, FIXTURES / "report_2021.txt")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"compliance: {notice}: ") and result.stderr.count("\n") == 1


def test_markdown_gives_each_warning_a_quote_of_its_own():
    text = render_comparison(hongze().model_copy(update={"warnings": ["年度不相邻", "机关不同"]}), "md")
    assert "\n\n> **注意**：年度不相邻\n\n> **注意**：机关不同\n\n## 主要数据\n" in text
