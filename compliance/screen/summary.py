"""Screening: one row per submission, and the summary table as CSV and as a sortable HTML page."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import PackageLoader, select_autoescape
from pydantic import BaseModel

from compliance.grade import grades
from compliance.i18n import N_, _
from compliance.models.config import Config
from compliance.models.findings import Report, rank
from compliance.render.spreadsheet import as_text
from compliance.rulebook import BoundedSandboxedEnvironment, rulebook_for

TOP = 3
# The CSV's columns (fields of SummaryRow) and their headers, in the user's language: the
# English ones are the field names, as they were before the headers were translated.
HEADERS = {
    "file": N_("文件"),
    "format": N_("格式"),
    "issuer": N_("发布机关"),
    "issuer_kind": N_("机关类别"),
    "year": N_("年度"),
    "regime": N_("制度版本"),
    "score": N_("得分"),
    "grade": N_("等级"),
    "critical": N_("严重"),
    "major": N_("重要"),
    "minor": N_("一般"),
    "info": N_("提示"),
    "top_problems": N_("主要问题"),
    "copied_from": N_("内容雷同"),
    "notice": N_("整改通知"),
    "error": N_("错误"),
    "review_copy": N_("批注稿"),
    "comparison": N_("年度比对"),
}
COLUMNS = list(HEADERS)


class SummaryRow(BaseModel):
    file: str
    format: str = ""
    issuer: str = ""
    issuer_kind: str = ""
    year: int | None = None
    regime: str = ""
    score: int | None = None
    grade: str = ""
    critical: int = 0
    major: int = 0
    minor: int = 0
    info: int = 0
    top_problems: list[str] = []
    copied_from: list[str] = []
    error: str = ""
    report_json: str = ""  # relative to the output folder
    report_html: str = ""
    notice: str = ""
    review_copy: str = ""  # screen --annotate: the .docx with the findings as comments and tracked changes
    comparison: str = ""  # the comparison with the issuer's report of the year before, or of the year after


def _top_problems(report: Report, config: Config) -> list[str]:
    """The most serious rules that fired, with their titles and counts ("CALC-SUM 合计与分项不符×2")."""
    rules = rulebook_for(config.rules).rules  # the configured rule packs' rules too
    counts = Counter(f.rule for f in report.findings)
    ranked = sorted(
        counts,
        key=lambda rule: (min(rank(f.severity) for f in report.findings if f.rule == rule), -counts[rule], rule),
    )
    return [f"{rule} {rules[rule].title}" + (f"×{counts[rule]}" if counts[rule] > 1 else "") for rule in ranked[:TOP]]


def row_for(
    path: Path,
    directory: Path,
    report: Report,
    name: str,
    settings,
    notice: str = "",
    review: str = "",
    problem: str = "",
) -> SummaryRow:
    """A checked report's row; ``review``: its review copy, ``problem``: why it could not be made."""
    info, counts = report.document, report.summary.counts
    copied = [f.message for f in report.findings if f.rule == "DUP-BOILERPLATE"]
    return SummaryRow(
        file=str(path.relative_to(directory)),
        format=report.source.format,
        issuer=info.issuer or "",
        issuer_kind=info.issuer_kind or "",
        year=info.year,
        regime=info.regime,
        score=report.summary.score,
        grade=report.summary.grade,
        critical=counts.get("critical", 0),
        major=counts.get("major", 0),
        minor=counts.get("minor", 0),
        info=counts.get("info", 0),
        top_problems=_top_problems(report, settings.config),
        copied_from=copied,
        report_json=f"reports/{name}.json",
        report_html=f"reports/{name}.html" if settings.html else "",
        notice=notice,
        review_copy=review,
        error=problem,
    )


UNREADABLE = "无法读取"
NOT_A_REPORT = "不是年度报告"
SKIPPED = "未检查"  # a symlink leading out of the screened folder: never read
TIMED_OUT = "超时"
CRASHED = "检查异常"  # the worker process died on the file, twice
INTERRUPTED = "未完成（已中断）"
# Rows that are no grade, in the order the totals list them after the grades.
STATUSES = [NOT_A_REPORT, UNREADABLE, SKIPPED, TIMED_OUT, CRASHED, INTERRUPTED]


def row_for_error(path: Path, directory: Path, reason: str, grade: str = UNREADABLE) -> SummaryRow:
    return SummaryRow(file=str(path.relative_to(directory)), error=reason, grade=grade)


def row_unfinished(first: SummaryRow, grade: str, reason: str) -> SummaryRow:
    """A file whose second check (against the reports it may copy) did not finish: the first
    check's row and outputs stand, with the status as its grade and why as its error."""
    if first.error:  # it could not be checked the first time either: that is what it says
        return first
    return first.model_copy(update={"grade": grade, "error": f"{reason}；报告为未与同批报告比对雷同的初查结果"})


def grade_counts(rows: list[SummaryRow], config: Config) -> list[tuple[str, int]]:
    """How many reports got each grade, best grade first, then what was no report, then files
    that could not be read, were skipped, took too long, crashed their worker or were interrupted."""
    counts = Counter(row.grade for row in rows)
    order = [*grades(rulebook_for(config.rules).grading, config), *STATUSES]
    return [(grade, counts[grade]) for grade in order if counts[grade]]


def summary_csv(rows: list[SummaryRow]) -> str:
    """The summary table as CSV (written as utf-8-sig: Excel, which most offices open it with,
    reads UTF-8 only with the BOM); a file name or message a spreadsheet would run as a formula
    written as text."""
    stream = io.StringIO(newline="")
    writer = csv.writer(stream)
    writer.writerow([_(HEADERS[column]) for column in COLUMNS])
    for row in rows:
        data = row.model_dump()
        cells = [
            "；".join(data[c]) if isinstance(data[c], list) else ("" if data[c] is None else data[c]) for c in COLUMNS
        ]
        writer.writerow([as_text(cell) for cell in cells])
    return stream.getvalue()


@lru_cache(maxsize=8192)  # a page links each report two or three times: the same characters again and again
def _url_character(char: str) -> str:
    if char.isascii():  # all but letters, digits and -._~ (space, #, ?, %, :, controls …)
        return quote(char, safe="")
    if char.isprintable() and not char.isspace():
        return char  # letters of any script stay as they are: browsers send them as UTF-8
    try:  # a byte of a file name that was not UTF-8 (read with surrogateescape): that byte again
        data = char.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        data = char.encode("utf-8", "surrogatepass")
    return "".join(f"%{byte:02X}" for byte in data)


def url_path(path: str) -> str:
    """A relative path (``reports/sub/x.docx.html``) as a link that opens that very file: in each
    segment, the ASCII characters but letters, digits and -._~ percent-encoded (space, #, ?, %,
    :), and the other characters that are no printable letter (bidi controls, U+3000)."""
    return "/".join("".join(map(_url_character, segment)) for segment in path.split("/"))


_ROW_FIELDS = frozenset(SummaryRow.model_fields)


class _SandboxedSummaryEnvironment(BoundedSandboxedEnvironment):
    """The sandbox, reading a row's fields (text, numbers, lists of text) without its safety
    checks — the same values, at a fraction of the cost for a page of thousands of rows. Anything
    else goes through the sandbox as before."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is SummaryRow and attribute in _ROW_FIELDS:
            return getattr(obj, attribute)
        return super().getattr(obj, attribute)


@cache
def _environment() -> BoundedSandboxedEnvironment:
    # Sandboxed and bounded (compliance.rulebook); a page of one row per report may be long.
    environment = _SandboxedSummaryEnvironment(
        loader=PackageLoader("compliance.screen"),
        autoescape=select_autoescape(["html", "j2"]),
        output_limit=1 << 30,
        step_limit=1 << 26,
    )
    environment.filters["url_path"] = url_path
    return environment


def render_summary(rows: list[SummaryRow], title: str, config: Config, comparisons: Sequence[BaseModel] = ()) -> str:
    """The summary page; ``comparisons``: the year-over-year pairs (compliance/screen/pairs.py)."""
    counts = grade_counts(rows, config)
    rank = {grade: position for position, (grade, _) in enumerate(counts)}  # the grade column sorts by it
    return (
        _environment()
        .get_template("summary.html.j2")
        .render(rows=rows, title=title, grades=counts, rank=rank, comparisons=comparisons)
    )
