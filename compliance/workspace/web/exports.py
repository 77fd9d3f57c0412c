"""The tables the office takes away as CSV or Excel (compliance/workspace/export.py writes them):
the list of submissions as filtered, and the statistics — which the statistics page shows too."""

from __future__ import annotations

from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from compliance.workspace.data import statistics
from compliance.workspace.data.export import (
    Table,
    changes_table,
    figures_table,
    peers_table,
    submissions_table,
    to_csv,
    to_xlsx,
    totals_table,
)
from compliance.workspace.web.context import query
from compliance.workspace.web.downloads import attachment
from compliance.workspace.web.pages import filters, rows

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


def statistics_tables(session: Session) -> dict[str, Table]:
    """The statistics by name (as their CSV files are named): totals, peers, year-over-year, each
    submission's figures."""
    found = statistics.submission_figures(session)
    return {
        "totals": totals_table(statistics.totals(found)),
        "peers": peers_table(statistics.peers(found)),
        "changes": changes_table(statistics.year_over_year(found)),
        "figures": figures_table(found),
    }


async def submissions_csv(request: Request) -> Response:
    given = filters(request)
    table = await query(request, lambda session: submissions_table(rows(session, given)))
    return attachment(to_csv(table), "报送清单.csv", CSV)


async def submissions_xlsx(request: Request) -> Response:
    given = filters(request)
    table = await query(request, lambda session: submissions_table(rows(session, given)))
    return attachment(to_xlsx([table]), "报送清单.xlsx", XLSX)


async def statistics_csv(request: Request) -> Response:
    table = (await query(request, statistics_tables)).get(request.path_params["table"])
    if table is None:
        raise HTTPException(404)
    return attachment(to_csv(table), f"{table.title}.csv", CSV)


async def statistics_xlsx(request: Request) -> Response:
    tables = await query(request, statistics_tables)
    return attachment(to_xlsx(tables.values()), "统计.xlsx", XLSX)


ROUTES = [
    Route("/submissions.csv", submissions_csv),
    Route("/submissions.xlsx", submissions_xlsx),
    Route("/statistics/{table:str}.csv", statistics_csv),
    Route("/statistics.xlsx", statistics_xlsx),
]
