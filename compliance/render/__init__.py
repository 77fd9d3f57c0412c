"""Stage 7: reports → what people read (terminal text, Markdown, HTML) and what programs read
(JSON, SARIF)."""

import re
from itertools import groupby

from compliance.models.findings import DocumentInfo, Finding, Report

# The formats of one document per draft (SARIF is one document for all the drafts: ``sarif.py``).
FORMATS = ("text", "jsonl", "json", "markdown", "html", "github")  # json: jsonl's first name, kept


def render(report: Report, fmt: str, text: str = "", colour: bool = False, detail: int = 1) -> str:
    """One checked draft in ``fmt`` (``FORMATS``): ``text`` is the draft's original text (the HTML
    page lays it out, GitHub's annotations count columns in it); ``colour`` styles the terminal
    text and ``detail`` says how much of each finding it shows (0: ``-q``, 1, 2: ``-v``)."""
    # The renderers import this module's helpers: imported here, when one is asked for.
    if fmt == "text":
        from compliance.render.text import render_text

        return render_text(report, colour, detail)
    if fmt in ("jsonl", "json"):  # one report a line: JSON Lines
        return report.model_dump_json() + "\n"
    if fmt == "github":
        from compliance.render.github import render_github

        return render_github(report, text)
    if fmt == "markdown":
        from compliance.render.markdown import render_markdown

        return render_markdown(report)
    if fmt == "html":
        from compliance.render.html import render_html

        return render_html(report, text)
    raise ValueError(f"no renderer for {fmt!r} (one of {', '.join(FORMATS)})")


SEVERITY_LABELS = {"critical": "严重", "major": "重要", "minor": "一般", "info": "提示"}
FAMILY_LABELS = {
    "STRUCT": "结构",
    "CALC": "数据计算",
    "XREF": "前后一致",
    "TIME": "时间日期",
    "FEE": "收费",
    "GOV": "考核评议",
    "KP": "工作要点",
    "STYLE": "文字规范",
    "DUP": "内容雷同",
}
ISSUER_KIND_LABELS = {"government": "人民政府", "department": "政府部门", "unknown": "机关类型不明"}
SCRIPT_LABELS = {"simplified": "简体", "traditional": "繁体"}
BEFORE_PARTS = "（正文各部分之前）"


def document_facts(document: DocumentInfo) -> list[str]:
    """What the header of every report says of the draft: issuer, kind, year, regime, script, date."""
    facts = [
        document.issuer or "发布机关不明",
        ISSUER_KIND_LABELS[document.issuer_kind],
        f"{document.year}年" if document.year else "年度不明",
        document.regime,
        SCRIPT_LABELS[document.script],
    ]
    return facts + [f"发布于{document.published}"] * bool(document.published)


_INFERRED = {"issuer": "发布机关", "year": "报告年度", "issuer_kind": "机关类型", "regime": "适用规定"}


def inferences(document: DocumentInfo) -> list[str]:
    """What the checker inferred because the draft does not say it, with the value and why
    ("推断报告年度为2021年：标题未写明年度，取自正文所述的统计期限")."""
    values = {
        "issuer": document.issuer,
        "year": f"{document.year}年",
        "issuer_kind": ISSUER_KIND_LABELS[document.issuer_kind],
        "regime": document.regime,
    }
    return [
        f"推断{_INFERRED.get(field, field)}为{values.get(field, '')}：{why}" for field, why in document.inferred.items()
    ]


def by_part(findings: list[Finding]) -> list[tuple[str, list[Finding]]]:
    """Findings (already in document order) grouped by the part they are in."""
    return [(part, list(group)) for part, group in groupby(findings, key=lambda f: f.part or BEFORE_PARTS)]


def family(rule_id: str) -> str:
    """The family of a rule id: the prefix before the first '-' (CALC-SUM → CALC)."""
    return rule_id.split("-", 1)[0]


def family_label(rule_id: str) -> str:
    prefix = family(rule_id)
    return f"{prefix} {FAMILY_LABELS[prefix]}" if prefix in FAMILY_LABELS else prefix


_BREAKS = re.compile(r"\s*[\n\r\x0b\x0c\x1c-\x1f\x85\u2028\u2029]+\s*")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")


def shown(text: str) -> str:
    """``text`` for a terminal: on one line (line breaks become spaces), its control characters
    but tab written as escapes (``\\x1b``), so that no draft or file name moves the cursor, clears
    or recolours the screen, or adds lines."""
    text = _BREAKS.sub(" ", text)
    return _CONTROLS.sub(lambda match: match.group().encode("unicode_escape").decode("ascii"), text)
