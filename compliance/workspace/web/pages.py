"""What the office reads: the dashboard, the list of submissions (filtered), an issuer's
submissions by year, a submission with its versions and notices, and the statistics. Each page is
rendered inside its database session (the rows it shows are read as it renders)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from itertools import pairwise
from urllib.parse import urlencode

from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from compliance.rulebook import default_rulebook
from compliance.workspace.data import records
from compliance.workspace.data.schema import Issuer, Submission
from compliance.workspace.web.charts import bar_chart
from compliance.workspace.web.context import found, query
from compliance.workspace.web.rendering import page

FILTERS = ("status", "grade", "rule", "issuer")


def today() -> dt.date:
    return dt.date.today()


def _link(path: str, **filters: object) -> str:
    return f"{path}?{urlencode(filters)}"


def _rule_title(rule: str) -> str:
    """What a rule checks, in a few Chinese words (its ID when the rulebook no longer has it)."""
    spec = default_rulebook().rules.get(rule)
    return spec.title if spec else rule


async def dashboard(request: Request) -> Response:
    def render(session: Session) -> Response:
        board = records.dashboard(session, today())
        charts = {
            "status": bar_chart([(s, n, _link("/submissions", status=s)) for s, n in board.by_status.items()]),
            "grade": bar_chart([(g, n, _link("/submissions", grade=g)) for g, n in board.by_grade.items()]),
            "rules": bar_chart([(_rule_title(r), n, _link("/submissions", rule=r)) for r, n in board.top_rules]),
        }
        return page(request, "dashboard.html.j2", board=board, charts=charts)

    return await query(request, render)


def filters(request: Request) -> dict[str, str | int]:
    """The list's filters given in the query (issuer: its id)."""
    given: dict[str, str | int] = {}
    for name in FILTERS:
        value = request.query_params.get(name, "").strip()
        if value:
            given[name] = int(value) if name == "issuer" and value.isdigit() else value
    if isinstance(given.get("issuer"), str):
        raise HTTPException(404)
    return given


def rows(session: Session, given: dict[str, str | int]) -> list[records.SubmissionRow]:
    return records.submission_rows(session, today(), **given)  # type: ignore[arg-type]  # typed by filters()


async def submissions(request: Request) -> Response:
    given = filters(request)

    def render(session: Session) -> Response:
        board = records.dashboard(session, today())
        return page(
            request,
            "submissions.html.j2",
            rows=rows(session, given),
            given=given,
            statuses=records.STATUSES,
            grades=list(board.by_grade),
            exports={kind: f"/submissions.{kind}?{urlencode(given)}" for kind in ("csv", "xlsx")},
        )

    return await query(request, render)


async def issuer(request: Request) -> Response:
    issuer_id = request.path_params["issuer"]

    def render(session: Session) -> Response:
        shown = found(session, Issuer, issuer_id)
        return page(request, "issuer.html.j2", issuer=shown, rows=rows(session, {"issuer": issuer_id}))

    return await query(request, render)


async def submission(request: Request) -> Response:
    submission_id = request.path_params["submission"]

    def render(session: Session) -> Response:
        shown = found(session, Submission, submission_id)
        versions = shown.versions
        changes = {later.id: records.version_changes(earlier, later) for earlier, later in pairwise(versions)}
        return page(
            request,
            "submission.html.j2",
            submission=shown,
            status=records.status(shown, today()),
            versions=versions,
            changes=changes,
        )

    return await query(request, render)


def shown(value: object) -> str:
    """A table's value as the page shows it: a count without its stored decimals, nothing for none."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


async def statistics_page(request: Request) -> Response:
    from compliance.workspace.web.exports import statistics_tables

    def render(session: Session) -> Response:
        tables = {
            name: (table.title, table.header, [[shown(v) for v in row] for row in table.rows])
            for name, table in statistics_tables(session).items()
        }
        return page(request, "statistics.html.j2", tables=tables)

    return await query(request, render)


ROUTES = [
    Route("/", dashboard),
    Route("/submissions", submissions),
    Route("/issuers/{issuer:int}", issuer),
    Route("/submissions/{submission:int}", submission),
    Route("/statistics", statistics_page),
]
