"""Stage 7: the correction notice (整改通知) an office sends about a checked report.

The wording is data (``rules/notice/notice.yaml``, Jinja2), validated on load; this module
builds the notice — the findings at or above a severity, grouped by severity — and writes it
as Markdown or, through ``notice_docx``, as a .docx laid out after GB/T 9704-2012.

``write_notice(report, options, path, fmt)`` is the one call a caller needs (``notice``,
``screen``)."""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, TemplateError
from pydantic import BaseModel, ValidationError

from compliance.errors import ComplianceError
from compliance.i18n import _
from compliance.models.findings import SEVERITIES, DocumentInfo, Finding, Report, Severity, Summary, rank, reaches
from compliance.models.notice import NoticeOptions, NoticeTemplates
from compliance.output import write_bytes
from compliance.render.markdown import escape
from compliance.resources import read_model, rules_dir
from compliance.rulebook import (
    DOCUMENT_LIMIT,
    BoundedSandboxedEnvironment,
    BoundedTemplate,
    TemplateRenderError,
    check_template,
)

FORMATS = ("docx", "markdown")
_MARKDOWN_SUFFIXES = {".md", ".markdown"}
_EXCERPT_LENGTH = 40
_ORDINALS = "一二三四"  # one （一） group per severity at most
_SENTENCE_ENDS = ("。", "！", "？", "；", "…")
_OPTION_NAMES = {"issuer": "from", "addressee": "to"}  # the other options are named as the fields


class NoticeError(ComplianceError):
    """A notice that cannot be made: invalid options, nothing to notify, an unwritable file."""


def _cn_date(value: date) -> str:
    # GB/T 9704-2012 §7.3.5: year in full, month and day without leading zeros.
    return f"{value.year}年{value.month}月{value.day}日"


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith(_SENTENCE_ENDS) else text + "。"


# Sandboxed and bounded (compliance.rulebook): a wording file given with --templates is input.
_ENV = BoundedSandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
_ENV.filters.update(cn_date=_cn_date, sentence=_sentence)

# Which variables each template may use, and the models whose fields they carry: a typo in
# notice.yaml fails at load, naming the field, not halfway through writing a notice.
_MODELS: dict[str, type[BaseModel]] = {
    "doc": DocumentInfo,
    "summary": Summary,
    "notice": NoticeOptions,
    "finding": Finding,
}
_BASE = {"doc", "summary", "notice", "report_title", "total"}
_EXTRA = {"group_heading": {"ordinal", "heading", "count"}, "severities": {"count"}, "item": {"finding", "excerpt"}}


def _allowed(field: str) -> dict[str, set[str] | None]:
    """The variables a template of ``field`` may use, with the fields of those that are models."""
    names = (
        _BASE - {"report_title", "total"} if field == "report_title" else _BASE | _EXTRA.get(field.split(".")[0], set())
    )
    return {name: set(_MODELS[name].model_fields) if name in _MODELS else None for name in names}


def _template_fields(value: Any, prefix: str = ""):
    """(dotted field, template source) for every string of the wording file but the fonts."""
    if isinstance(value, str):
        yield prefix, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _template_fields(item, f"{prefix}.{index}")
    elif isinstance(value, dict):
        for key, item in value.items():
            if key != "fonts":
                yield from _template_fields(item, f"{prefix}.{key}" if prefix else key)


def load_templates(path: Path | None = None) -> NoticeTemplates:
    """The wording file (default ``rules/notice/notice.yaml``), validated: errors name the file
    and the field (``severities.major.intro``)."""
    path = path or rules_dir() / "notice" / "notice.yaml"
    templates = read_model(path, NoticeTemplates)
    for field, source in _template_fields(templates.model_dump()):
        check_template(source, _allowed(field), path, field, environment=_ENV)
    for key in [key for key, (ref, _path) in _SOURCES.items() if ref() is None]:
        del _SOURCES[key]
    _SOURCES[id(templates)] = (weakref.ref(templates), path)
    return templates


# The file each loaded wording came from, so that an error while rendering names it too.
_SOURCES: dict[int, tuple[weakref.ref, Path]] = {}


def _source(templates: NoticeTemplates) -> str:
    ref, path = _SOURCES.get(id(templates), (None, None))
    return str(path) if ref is not None and ref() is templates else "notice wording"


@cache
def default_templates() -> NoticeTemplates:
    return load_templates()


def notice_options(**values: Any) -> NoticeOptions:
    """Options from user input (dates as YYYY-MM-DD strings or dates); an invalid value →
    NoticeError naming the option."""
    try:
        return NoticeOptions.model_validate({k: v for k, v in values.items() if v is not None})
    except ValidationError as error:
        first = error.errors()[0]
        message = first["msg"].removeprefix("Value error, ")
        if first["loc"]:  # a field: named as `compliance notice` names its option
            field = str(first["loc"][0])
            option = _OPTION_NAMES.get(field, field).replace("_", "-")
            message = f"--{option}: {message}" + _("（收到的值：{value}）").format(value=repr(first["input"]))
        raise NoticeError(message) from error


@dataclass(frozen=True)
class NoticeItem:
    lead: str
    details: list[str]


@dataclass(frozen=True)
class NoticeGroup:
    heading: str
    intro: str
    items: list[NoticeItem]


@dataclass(frozen=True)
class Notice:
    """The notice's text in reading order; the writers only lay it out."""

    masthead: str
    number: str | None
    title: str
    addressee: str
    opening: list[str]
    problems_heading: str
    groups: list[NoticeGroup]
    requirements_heading: str
    requirements: list[str]
    closing: str
    issuer: str
    date: str
    contact: str | None
    fonts: dict[str, str]


@cache
def _compiled(source: str) -> BoundedTemplate:
    return _ENV.from_string(source)


class _Renderer:
    """Renders the wording's templates for one notice: each within MESSAGE_LIMIT characters, all
    together within DOCUMENT_LIMIT; a template that fails is a NoticeError naming the file and
    the field."""

    def __init__(self, source: str, limit: int = DOCUMENT_LIMIT):
        self.source, self.left = source, limit

    def __call__(self, field: str, source: str, **context: Any) -> str:
        try:
            text = _compiled(source).render(**context).strip()
        except (TemplateRenderError, TemplateError) as error:
            reason = error.reason if isinstance(error, TemplateRenderError) else " ".join(str(error).split())
            raise NoticeError(f"{self.source} {field}: {reason}") from error
        self.left -= len(text)
        if self.left < 0:
            raise NoticeError(f"{self.source} {field}: " + _("通知会超过 {most:,} 字").format(most=DOCUMENT_LIMIT))
        return text


def _excerpt(text: str) -> str:
    # Table rows are tab-separated lines: one line of text reads better in a sentence.
    flat = re.sub(r"\s+", " ", text).strip()
    return flat if len(flat) <= _EXCERPT_LENGTH else flat[:_EXCERPT_LENGTH] + "…"


def qualifying(report: Report, min_severity: Severity) -> list[Finding]:
    """The findings at or above ``min_severity``, most severe first, in report order within."""
    chosen = [f for f in report.findings if reaches(f.severity, min_severity)]
    return sorted(chosen, key=lambda f: (rank(f.severity), f.start, f.rule))


def _item(render: _Renderer, templates: NoticeTemplates, context: dict[str, Any], finding: Finding) -> NoticeItem:
    local = {**context, "finding": finding, "excerpt": _excerpt(finding.excerpt)}
    return NoticeItem(
        lead=render("item.lead", templates.item.lead, **local),
        details=[
            render(f"item.details.{index}", detail, **local) for index, detail in enumerate(templates.item.details)
        ],
    )


def build_notice(report: Report, options: NoticeOptions, templates: NoticeTemplates | None = None) -> Notice:
    """The notice for ``report``; NoticeError when no finding reaches ``options.min_severity``."""
    templates = templates or default_templates()
    findings = qualifying(report, options.min_severity)
    if not findings:
        raise NoticeError(
            f"{report.source.path}: "
            + _("没有达到 {severity} 及以上的问题；未写出通知").format(severity=options.min_severity)
        )
    render = _Renderer(_source(templates))
    context: dict[str, Any] = {"doc": report.document, "summary": report.summary, "notice": options}
    context["report_title"] = render("report_title", templates.report_title, **context)
    context["total"] = len(findings)
    groups: list[NoticeGroup] = []
    for severity in SEVERITIES:
        members = [f for f in findings if f.severity == severity]
        if not members:
            continue
        wording = getattr(templates.severities, severity)
        heading = render(f"severities.{severity}.heading", wording.heading, **context, count=len(members))
        ordinal = _ORDINALS[len(groups)]
        groups.append(
            NoticeGroup(
                heading=render(
                    "group_heading",
                    templates.group_heading,
                    **context,
                    ordinal=ordinal,
                    heading=heading,
                    count=len(members),
                ),
                intro=render(f"severities.{severity}.intro", wording.intro, **context, count=len(members)),
                items=[_item(render, templates, context, finding) for finding in members],
            )
        )
    return Notice(
        masthead=render("masthead", templates.masthead, **context),
        number=options.number,
        title=render("title", templates.title, **context),
        addressee=render("addressee", templates.addressee, **context),
        opening=[render(f"opening.{i}", p, **context) for i, p in enumerate(templates.opening)],
        problems_heading=render("problems_heading", templates.problems_heading, **context),
        groups=groups,
        requirements_heading=render("requirements_heading", templates.requirements_heading, **context),
        requirements=[render(f"requirements.{i}", p, **context) for i, p in enumerate(templates.requirements)]
        + [render("deadline", templates.deadline, **context)],
        closing=render("closing", templates.closing, **context),
        issuer=options.issuer,
        date=_cn_date(options.date),
        contact=render("contact", templates.contact, **context) if options.contact else None,
        fonts=templates.fonts.model_dump(),
    )


def render_markdown(notice: Notice) -> str:
    """The notice as Markdown: the same text as the .docx but the masthead, which is layout."""
    blocks = [f"# {escape(notice.title)}"]
    if notice.number:
        blocks.append(escape(notice.number))
    blocks += [escape(notice.addressee), *map(escape, notice.opening), f"## {escape(notice.problems_heading)}"]
    for group in notice.groups:
        blocks += [f"### {escape(group.heading)}", escape(group.intro)]
        blocks.append(
            "\n".join(
                f"{number}. {escape(item.lead)}\n" + "\n".join(f"   - {escape(detail)}" for detail in item.details)
                for number, item in enumerate(group.items, 1)
            )
        )
    blocks += [f"## {escape(notice.requirements_heading)}", *map(escape, notice.requirements), escape(notice.closing)]
    # A backslash at the end of a line is a hard line break: signature and date stay one block.
    blocks.append(f"{escape(notice.issuer)}\\\n{notice.date}")
    if notice.contact:
        blocks.append(escape(notice.contact))
    return "\n\n".join(blocks) + "\n"


def notice_format(path: Path, fmt: str | None = None) -> str:
    """``fmt`` when given, else from the file name: .md/.markdown → markdown, anything else → docx."""
    if fmt is not None:
        if fmt not in FORMATS:
            raise NoticeError(
                _("未知的通知格式 {format}（可用 {formats}）").format(format=repr(fmt), formats=_(" 或 ").join(FORMATS))
            )
        return fmt
    return "markdown" if path.suffix.lower() in _MARKDOWN_SUFFIXES else "docx"


def write_notice(
    report: Report, options: NoticeOptions, path: Path, fmt: str | None = None, templates: NoticeTemplates | None = None
) -> Notice:
    """Build the notice for ``report`` and write it to ``path`` as ``fmt`` ("docx" or "markdown";
    None: from the suffix). Returns the notice written. NoticeError (a ComplianceError, one line)
    when nothing reaches ``options.min_severity`` or the file cannot be written."""
    from compliance.render.notice_docx import docx_bytes  # python-docx only when a .docx is asked for

    fmt = notice_format(path, fmt)
    notice = build_notice(report, options, templates)
    data = render_markdown(notice).encode("utf-8") if fmt == "markdown" else docx_bytes(notice)
    write_bytes(path, data, [report.source.path])  # never over the report it is about
    return notice
