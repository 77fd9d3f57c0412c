"""What a request reaches through the application: its settings, workspace and worker pool, and
the database in a session run off the event loop (queries and password hashes take their time)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request

from compliance.workspace.data.db import Workspace
from compliance.workspace.web.jobs import Jobs
from compliance.workspace.web.settings import ServeSettings

T = TypeVar("T")


def settings(request: Request) -> ServeSettings:
    return request.app.state.settings


def workspace(request: Request) -> Workspace:
    return request.app.state.workspace


def jobs(request: Request) -> Jobs:
    return request.app.state.jobs


async def query(request: Request, function: Callable[..., T], *args: Any, **keywords: Any) -> T:
    """``function(session, *args, **keywords)`` in a worker thread, in one committed session."""

    def run() -> T:
        with workspace(request).session() as session:
            return function(session, *args, **keywords)

    return await run_in_threadpool(run)


def found(session: Session, model: type[T], key: Any) -> T:
    """The row of ``model`` with primary key ``key``; a 404 page when there is none."""
    row = session.get(model, key)
    if row is None:
        raise HTTPException(404)
    return row
