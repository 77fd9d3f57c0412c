"""Stage 7 for ``compliance compare``: a comparison of two years as one self-contained HTML page
(inline CSS, the chart as inline SVG: it works offline), as Markdown, or as JSON (the model).

Every value from the reports reaches the page through Jinja2 autoescaping in the bounded sandbox,
and the Markdown through ``markdown.escape``."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal, cast

from compliance.models.comparison import CellChange, Change, Comparison, Side
from compliance.render.chart import layout_chart
from compliance.render.markdown import code, escape
from compliance.rulebook import DOCUMENT_LIMIT, MAX_STEPS, BoundedSandboxedEnvironment, BoundedTemplate

FORMATS = ("html", "md", "json")
Format = Literal["html", "md", "json"]
RELATIONS = {
    "carried": "上年结转 = 上年结转下年度继续办理",
    "stock": "现行有效件数 = 上年现行有效 + 本年制发 − 本年废止",
}
MISSING = "无此栏"
UNREADABLE = "不是数字"


def number(value: float | None) -> str:
    """A value as a report writes it: whole numbers without a decimal point."""
    if value is None:
        return "—"
    return str(int(value)) if value == int(value) else f"{value:g}"


def signed(value: float | None) -> str:
    """A change with its sign (+3, −5, 0)."""
    if value is None:
        return "—"
    return ("+" if value > 0 else "−" if value < 0 else "") + number(abs(value))


def rate(value: float | None) -> str:
    return "—" if value is None else ("+" if value > 0 else "−" if value < 0 else "") + f"{abs(value):.1f}%"


def year_label(side: Side) -> str:
    return f"{side.year}年" if side.year else "年度不明"


def cell_value(cell: CellChange, year: Literal["last", "this"]) -> str:
    """What a year's cell holds: its number, or that it lacks one."""
    state, text = (cell.last_state, cell.last_text) if year == "last" else (cell.this_state, cell.this_text)
    if state == "missing":
        return MISSING
    if state == "unreadable":
        return f"{UNREADABLE}：{text}"
    return number(cell.last if year == "last" else cell.this)


def _change(item: Change) -> str:
    return f"{signed(item.change)}（{rate(item.rate)}）" if item.rate is not None else signed(item.change)


def render_comparison(comparison: Comparison, format: Format) -> str:
    if format == "json":
        return comparison.model_dump_json(indent=2) + "\n"
    if format == "md":
        return render_markdown(comparison)
    if format == "html":
        return render_html(comparison)
    raise ValueError(f"no renderer for {format!r} (one of {', '.join(FORMATS)})")


# HTML


@cache
def _environment() -> BoundedSandboxedEnvironment:
    return BoundedSandboxedEnvironment.for_pages(Path(__file__).parent / "templates")


def _limits(comparison: Comparison) -> tuple[int, int]:
    """The page's output and steps at most: a bound on what the template makes of these reports
    (each cell, figure and paragraph a few hundred characters of markup), never reached by a page
    that renders as it should."""
    items = sum(len(t.columns) * len(t.rows) for t in comparison.tables) + len(comparison.figures)
    items += sum(len(p.paragraphs) for p in comparison.parts) + len(comparison.carryover) + len(comparison.chart)
    text = sum(len(m.text) for p in comparison.parts for m in p.paragraphs)
    text += sum(len(s.context) for f in comparison.figures for s in (f.last_statement, f.this_statement) if s)
    return DOCUMENT_LIMIT + 8 * text + 1024 * items, MAX_STEPS + 16 * items


def render_html(comparison: Comparison) -> str:
    output, steps = _limits(comparison)
    context = dict(
        comparison=comparison,
        last_year=year_label(comparison.last),
        this_year=year_label(comparison.this),
        chart=layout_chart(comparison.chart),
        relations=RELATIONS,
        number=number,
        signed=signed,
        rate=rate,
        cell_value=cell_value,
    )
    template = cast(BoundedTemplate, _environment().get_template("comparison.html.j2"))
    return template.render_within(context, output=output, steps=steps)


# Markdown


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _header(*names: str) -> list[str]:
    return [_row(list(names)), _row(["---"] * len(names))]


def _cell_markdown(cell: CellChange | None) -> str:
    if cell is None:
        return ""
    return f"{escape(cell_value(cell, 'last'))} → {escape(cell_value(cell, 'this'))}：{_change(cell)}"


def _sides(comparison: Comparison) -> list[str]:
    lines = _header("", "上年", "本年")
    for label, field in (("年度", "year"), ("发布机关", "issuer"), ("标题", "title")):
        values = [getattr(side, field) for side in (comparison.last, comparison.this)]
        lines.append(_row([label] + [escape(str(v)) if v is not None else "—" for v in values]))
    lines.append(_row(["文件", code(comparison.last.path), code(comparison.this.path)]))
    return lines


def render_markdown(comparison: Comparison) -> str:
    last, this = year_label(comparison.last), year_label(comparison.this)
    issuer = comparison.this.issuer or comparison.last.issuer or "发布机关不明"
    lines = [f"# 年度报告比对：{escape(issuer)}（{last} → {this}）", "", *_sides(comparison)]
    for warning in comparison.warnings:  # a quote each: lines of one quote would run together
        lines += ["", f"> **注意**：{escape(warning)}"]
    lines += ["", "## 主要数据", "", *_header("数据", last, this, "增减（增减率）")]
    lines += [_row([escape(f.label), number(f.last), number(f.this), _change(f)]) for f in comparison.chart]
    for table in comparison.tables:
        lines += ["", f"## {escape(table.label)}", ""]
        lines += [
            f"{year}报告中没有可读的此表。"
            for year, found in ((last, table.found_last), (this, table.found_this))
            if not found
        ]
        lines += ["每格：上年 → 本年：增减（增减率）", "", *_header("", *map(escape, table.columns))]
        lines += [_row([escape(row.label)] + [_cell_markdown(cell) for cell in row.cells]) for row in table.rows]
    lines += ["", "## 上年结转核对", ""]
    if comparison.carryover:
        lines += _header("关系", "表", "行", "栏", "本年", "依上年应为", "差额", "结论")
        lines += [
            _row(
                [
                    RELATIONS[check.relation],
                    escape(check.table_label),
                    escape(check.row) or "—",
                    escape(check.column),
                    str(check.this_value),
                    str(check.expected),
                    signed(check.difference),
                    "相符" if check.holds else "**不符**",
                ]
            )
            for check in comparison.carryover
        ]
    lines += [f"- {escape(note)}" for note in comparison.carryover_notes]
    lines += ["", "## 正文所述数据", ""]
    if comparison.figures:
        lines += _header("数据", last, this, "增减（增减率）")
        for figure in comparison.figures:
            stated = [
                f"{escape(s.text)}（{escape(s.context)}）" if s else "未提及"
                for s in (figure.last_statement, figure.this_statement)
            ]
            lines.append(_row([escape(figure.name), *stated, _change(figure)]))
    else:
        lines.append("两年的正文都没有述及数据。")
    lines += ["", "## 各部分文字", "", *_header("部分", "相似度", "照搬上年的段落")]
    for part in comparison.parts:
        heading = part.this_heading or f"{part.last_heading}（本年无此部分）"
        score = f"{part.similarity}%" if part.similarity is not None else "—"
        count = sum(p.copied for p in part.paragraphs)
        lines.append(_row([escape(heading), score, f"{count} / {len(part.paragraphs)}"]))
    for part in comparison.parts:
        copied = [p for p in part.paragraphs if p.copied]
        if copied:
            lines += ["", f"### {escape(part.this_heading or '')}：照搬上年的段落", ""]
            lines += [f"- {escape(p.text)}" for p in copied]
    return "\n".join(lines) + "\n"
