"""The review workspace as a Starlette application: ``create_app(settings)``.

The routes live in their modules (access: login; intake: uploads and their checks; pages: what
the office reads; downloads: what it takes away); here they are put together with the session
cookie, the login gate, the worker pool that records each check, and the pages said when
something goes wrong — a refused form, a page that is not there, input that cannot be used."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import Response

from compliance.errors import ComplianceError
from compliance.workspace import users
from compliance.workspace.data import records
from compliance.workspace.data.db import Workspace, open_workspace
from compliance.workspace.web import access, downloads, exports, intake, pages
from compliance.workspace.web.auth import CsrfRefused, LoginGate, session_secret
from compliance.workspace.web.jobs import Jobs, check_stored
from compliance.workspace.web.rendering import page
from compliance.workspace.web.settings import ServeSettings

SESSION_DAYS = 14


def _allows(settings: ServeSettings, workspace: Workspace, user: str | None) -> bool:
    """A user still known may; without one, only on the loopback address while there are no users."""
    with workspace.session() as session:
        if user is not None:
            return users.exists(session, user)
        return settings.loopback and not records.has_users(session)


async def _refused(request: Request, error: Exception) -> Response:
    message = "表单已过期或不是从本工作台的页面提交的，请刷新页面后重试。"
    return page(request, "error.html.j2", 403, title="请求被拒绝", message=message)


async def _unusable(request: Request, error: Exception) -> Response:
    return page(request, "error.html.j2", 400, title="无法处理", message=str(error))


async def _http_error(request: Request, error: Exception) -> Response:
    status = error.status_code if isinstance(error, HTTPException) else 404
    if status == 404:
        return page(request, "error.html.j2", 404, title="找不到", message="找不到这个页面。")
    return page(request, "error.html.j2", status, title="无法处理", message=f"无法处理这个请求（HTTP {status}）。")


def create_app(settings: ServeSettings, workspace: Workspace | None = None) -> Starlette:
    """The application on ``settings`` (its workspace opened and migrated unless given)."""
    opened = workspace or open_workspace(settings.data_dir, settings.db_url)
    jobs = Jobs(settings.workers, settings.check_seconds, check_stored)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        jobs.close()

    app = Starlette(
        routes=[*access.ROUTES, *intake.ROUTES, *exports.ROUTES, *pages.ROUTES, *downloads.ROUTES],
        middleware=[
            Middleware(
                SessionMiddleware,
                secret_key=session_secret(settings.data_dir),
                session_cookie="workspace_session",
                max_age=SESSION_DAYS * 24 * 3600,
                same_site="strict",
            ),
            Middleware(LoginGate, allows=partial(_allows, settings, opened)),
        ],
        exception_handlers={CsrfRefused: _refused, ComplianceError: _unusable, HTTPException: _http_error},
        lifespan=lifespan,
    )
    app.state.settings, app.state.workspace, app.state.jobs = settings, opened, jobs
    return app
