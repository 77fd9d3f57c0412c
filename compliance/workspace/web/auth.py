"""Who may use the workspace, and that each form comes from its own pages.

Safe by default: on the loopback address with no users, nobody logs in (the reviewer's own
machine); once users exist, or on any other address (where ``serve`` refuses to start without
them), every page but the login page asks for one. Sessions are signed cookies (starlette's
SessionMiddleware) with a secret made once in the data folder, readable by its owner only. Every
POST carries the session's CSRF token, in a hidden field or the ``X-CSRF-Token`` header, compared
in constant time."""

from __future__ import annotations

import hmac
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

SECRET_FILE = "session-secret"
CSRF_FIELD, CSRF_HEADER = "csrf_token", "x-csrf-token"
OPEN_PATHS = frozenset({"/login"})


def session_secret(data_dir: Path) -> str:
    """The key that signs session cookies: made once (mode 0600), then read."""
    path = data_dir / SECRET_FILE
    if not path.exists():
        made = data_dir / f".{SECRET_FILE}.{os.getpid()}"
        descriptor = os.open(made, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(32))
        try:
            os.link(made, path)  # whole or absent; another server starting at once keeps its own
        except FileExistsError:
            pass
        finally:
            made.unlink()
    return path.read_text().strip()


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


def _valid(request: Request, given: str | None) -> bool:
    expected = request.session.get("csrf")
    return bool(expected and given) and hmac.compare_digest(str(expected), str(given))


class CsrfRefused(Exception):
    """A POST without its session's token."""


async def checked_form(request: Request, **limits: int) -> FormData:
    """The POST's form, once its CSRF token is the session's: every form handler reads it so."""
    form = await request.form(**limits)
    given = request.headers.get(CSRF_HEADER) or form.get(CSRF_FIELD)
    if not _valid(request, given if isinstance(given, str) else None):
        await form.close()
        raise CsrfRefused
    return form


class LoginGate:
    """Every path but the login page is let through when ``allows(user)`` says so (``user``: the
    session's, or None); else a page is sent to the login page, anything else refused (401). A
    session whose user has since been removed is a session without user."""

    def __init__(self, app: ASGIApp, allows: Callable[[str | None], bool]):
        self.app, self.allows = app, allows

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        session = scope["session"]
        if await run_in_threadpool(self.allows, session.get("user")):
            await self.app(scope, receive, send)
            return
        session.pop("user", None)
        request = Request(scope)
        response: Response
        if request.method == "GET" and "text/html" in request.headers.get("accept", ""):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            response = RedirectResponse(f"/login?next={quote(target)}", status_code=303)
        else:
            response = PlainTextResponse("请先登录", status_code=401)
        await response(scope, receive, send)


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a path of this site only (never another site)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"
