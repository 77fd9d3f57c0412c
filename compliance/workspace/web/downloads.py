"""What the office takes away from a version — its annotated report (the HTML view of
compliance.render.html), the report as JSON, the review copy (Word comments and tracked changes),
the fixed copy — and the correction notice: its form, pre-filled with the values remembered from
the last one, recording the notice, and the notice as a Word document."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from compliance.errors import ComplianceError
from compliance.load import load_bytes
from compliance.models.findings import Report
from compliance.models.source import Source
from compliance.workspace.data import records
from compliance.workspace.data.schema import Notice, Submission, Version
from compliance.workspace.web.auth import checked_form
from compliance.workspace.web.context import found, query, workspace
from compliance.workspace.web.rendering import page

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def attachment(data: bytes | str, name: str, media_type: str) -> Response:
    """A download named ``name`` (UTF-8 in the header, as RFC 6266 allows: names are Chinese)."""
    disposition = f"attachment; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})


@dataclass
class Checked:
    """A checked version's draft, as the pipeline's functions take it."""

    data: bytes
    source: Source
    report: Report
    stem: str


def _version(session: Session, version_id: int) -> Version:
    return found(session, Version, version_id)


def _checked(request: Request, version: Version) -> Checked:
    """The version's draft and report; a version that could not be checked says why."""
    if version.report is None:
        raise ComplianceError(f"{version.filename}: 未能检查（{version.error}），没有报告")
    data = workspace(request).drafts.get(version.sha256)
    source = load_bytes(data, PurePosixPath(version.filename).name)
    stem = f"{version.submission.issuer.name}-{version.submission.year or ''}-v{version.number}"
    return Checked(data, source, Report.model_validate(version.report), stem)


def _loaded(request: Request) -> Checked:
    with workspace(request).session() as session:
        return _checked(request, _version(session, request.path_params["version"]))


async def report_page(request: Request) -> Response:
    from compliance.render.html import render_html

    def render() -> str:
        checked = _loaded(request)
        return render_html(checked.report, checked.source.text)

    return HTMLResponse(await run_in_threadpool(render))


async def report_json(request: Request) -> Response:
    def read(session: Session) -> tuple[dict, str]:
        version = _version(session, request.path_params["version"])
        if version.report is None:
            raise ComplianceError(f"{version.filename}: 未能检查（{version.error}），没有报告")
        return version.report, f"{PurePosixPath(version.filename).stem}.json"

    report, name = await query(request, read)
    return attachment(json.dumps(report, ensure_ascii=False, indent=2), name, "application/json")


async def review(request: Request) -> Response:
    from compliance.annotate import review_copy, reviewer

    def make() -> tuple[bytes, str]:
        checked = _loaded(request)
        author, initials = reviewer(request.session.get("user"))
        copy = review_copy(checked.data, checked.source, checked.report, author=author, initials=initials)
        return copy.data, f"{checked.stem}-批注稿.docx"

    data, name = await run_in_threadpool(make)
    return attachment(data, name, DOCX)


async def fixed(request: Request) -> Response:
    from compliance.fix import fix_bytes, fixed_name

    def make() -> tuple[bytes, str]:
        checked = _loaded(request)
        suffix = fixed_name(Path(checked.source.path), None, checked.source).suffix
        data = fix_bytes(checked.data, checked.source, f"fixed{suffix}", report=checked.report)[0]
        return data, f"{checked.stem}-修正稿{suffix}"

    data, name = await run_in_threadpool(make)
    return attachment(data, name, DOCX if name.endswith(".docx") else "text/plain; charset=utf-8")


def _form_values(session: Session, submission: Submission) -> dict[str, str]:
    remembered = records.notice_defaults(session)
    today = dt.date.today()
    return {
        "number": remembered.number,
        "date": today.isoformat(),
        "deadline": (today + dt.timedelta(days=remembered.deadline_days)).isoformat(),
        "from_organ": remembered.from_organ,
        "to_organ": submission.issuer.name,
        "min_severity": remembered.min_severity,
    }


def _submission(session: Session, submission_id: int) -> Submission:
    submission = found(session, Submission, submission_id)
    if submission.latest is None:
        raise HTTPException(404)
    return submission


def _notice_form(
    request: Request, submission: Submission, values: dict[str, str], error: str | None = None
) -> Response:
    from compliance.models.findings import SEVERITIES

    status = 400 if error else 200
    context = {"submission": submission, "values": values, "error": error, "severities": SEVERITIES}
    return page(request, "notice_form.html.j2", status, **context)


async def notice_form(request: Request) -> Response:
    def render(session: Session) -> Response:
        submission = _submission(session, request.path_params["submission"])
        return _notice_form(request, submission, _form_values(session, submission))

    return await query(request, render)


def _notice_options(values: dict[str, str]):
    from compliance.render.notice import notice_options

    return notice_options(
        issuer=values["from_organ"],
        addressee=values["to_organ"],
        deadline=values["deadline"],
        number=values["number"],
        date=values["date"],
        min_severity=values["min_severity"],
    )


async def issue_notice(request: Request) -> Response:
    from compliance.render.notice import build_notice

    form = await checked_form(request)
    fields = ("number", "date", "deadline", "from_organ", "to_organ", "min_severity")
    values = {name: str(form.get(name, "")).strip() for name in fields}

    def issue(session: Session) -> Response:
        submission = _submission(session, request.path_params["submission"])
        try:
            options = _notice_options(values)
            build_notice(Report.model_validate(submission.versions[-1].report), options)  # something to notify
        except (ComplianceError, ValueError) as error:
            return _notice_form(request, submission, values, str(error))
        records.issue_notice(
            session,
            submission.id,
            number=options.number or "",
            date=options.date,
            deadline=options.deadline,
            from_organ=options.issuer,
            to_organ=options.addressee,
            min_severity=options.min_severity,
        )
        return RedirectResponse(f"/submissions/{submission.id}", status_code=303)

    return await query(request, issue)


async def notice_docx(request: Request) -> Response:
    from compliance.render.notice import build_notice
    from compliance.render.notice_docx import docx_bytes

    def make(session: Session) -> tuple[bytes, str]:
        notice = found(session, Notice, request.path_params["notice"])
        # The version the notice was about: the latest uploaded before it was issued.
        before = [v for v in notice.submission.versions if v.uploaded_at <= notice.issued_at and v.report]
        if not before:
            raise HTTPException(404)
        values = {
            "number": notice.number,
            "date": notice.date.isoformat(),
            "deadline": notice.deadline.isoformat(),
            "from_organ": notice.from_organ,
            "to_organ": notice.to_organ,
            "min_severity": notice.min_severity,
        }
        built = build_notice(Report.model_validate(before[-1].report), _notice_options(values))
        return docx_bytes(built), f"整改通知-{notice.to_organ}-{notice.date}.docx"

    data, name = await query(request, make)
    return attachment(data, name, DOCX)


ROUTES = [
    Route("/versions/{version:int}", report_page),
    Route("/versions/{version:int}/report.json", report_json),
    Route("/versions/{version:int}/review.docx", review),
    Route("/versions/{version:int}/fixed", fixed),
    Route("/submissions/{submission:int}/notice", notice_form, methods=["GET"]),
    Route("/submissions/{submission:int}/notice", issue_notice, methods=["POST"]),
    Route("/notices/{notice:int}.docx", notice_docx),
]
