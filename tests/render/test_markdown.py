"""The Markdown report: header, grade and counts, findings grouped by part with line, rule,
severity, message, 原文 and 建议; the draft's text cannot add Markdown or HTML of its own."""

from __future__ import annotations

import re

from conftest import FIXTURES, check_text

from compliance.render.markdown import code, escape, render_markdown


def test_header_grade_counts_and_findings_by_part():
    text = (FIXTURES / "report_2021_broken.txt").read_text(encoding="utf-8")
    report = check_text(text, name="草稿/report_2021_broken.txt")
    markdown = render_markdown(report)
    lines = markdown.splitlines()
    assert lines[0] == "# 合规检查报告：（无标题）"
    assert "- 文件：` 草稿/report_2021_broken.txt `" in lines
    assert f"- 等级：**不合格**（得分 {report.summary.score}）" in lines
    assert "- 问题：严重 2 · 重要 2 · 一般 2 · 提示 0" in lines
    parts = [line[3:] for line in lines if line.startswith("## ")]
    assert parts == [
        "（正文各部分之前）",
        "一、总体情况",
        "二、主动公开情况",
        "六、其他需要报告的事项",
        "五、存在的主要问题及改进情况",
        "未检查",
    ]
    for finding in report.findings:
        head = next(i for i, line in enumerate(lines) if f"`{finding.rule}` 第{finding.line}行：" in line)
        assert lines[head].startswith("- **")
        block = "\n".join(lines[head : head + 3])
        assert escape(finding.message) in block and f"  - 建议：{escape(finding.suggestion)}" in block
        if finding.excerpt.strip():
            assert f"  - 原文：{escape(finding.excerpt)}" in block
    placeholder = next(line for line in lines if "STYLE-PLACEHOLDER" in line)
    assert placeholder == "- **严重** `STYLE-PLACEHOLDER` 第5行：“XX”是未替换的占位符"
    assert all(f"- `{item.rule}`：" in markdown for item in report.not_checked)


def test_draft_text_is_escaped():
    report = check_text((FIXTURES / "report_2021_broken.txt").read_text(encoding="utf-8"), name="<草稿>.txt")
    quoted = "<script>window.injected = true</script> *强调* [链接](http://x) &amp;"
    quoting = report.findings[1].model_copy(update={"excerpt": quoted, "message": f"“{quoted}”有误"})
    markdown = render_markdown(
        report.model_copy(update={"findings": [report.findings[0], quoting, *report.findings[2:]]})
    )
    escaped = r"\<script\>window.injected = true\</script\> \*强调\* \[链接\](http://x) \&amp;"
    assert f"  - 原文：{escaped}" in markdown and f"“{escaped}”有误" in markdown
    # No raw tag survives outside the file name's code span: a Markdown renderer shows it as text.
    assert re.search(r"(?<!\\)<", markdown.replace("` <草稿>.txt `", "")) is None
    assert escape("第一行\n\t第二行") == "第一行 第二行"
    assert code("a`b") == "`` a`b ``"


def test_clean_report():
    report = check_text((FIXTURES / "report_2021.txt").read_text(encoding="utf-8"))
    markdown = render_markdown(report)
    assert "\n未发现问题。\n" in markdown and "- 问题：严重 0 · 重要 0 · 一般 0 · 提示 0" in markdown
