"""Logging in and out (compliance/workspace/auth.py says when it is asked for)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from compliance.workspace.data import records
from compliance.workspace.web.auth import checked_form, safe_next
from compliance.workspace.web.context import query
from compliance.workspace.web.rendering import page


async def login_page(request: Request) -> Response:
    return page(request, "login.html.j2", next=safe_next(request.query_params.get("next")))


async def login(request: Request) -> Response:
    form = await checked_form(request)
    name, password = str(form.get("name", "")), str(form.get("password", ""))
    target = safe_next(str(form.get("next", "")))
    known = await query(request, records.verify_user, name, password)
    if not known:
        return page(request, "login.html.j2", status_code=401, next=target, error="用户名或密码不对")
    request.session.clear()  # a new session for the user: nothing carried over from before
    request.session["user"] = name
    return RedirectResponse(target, status_code=303)


async def logout(request: Request) -> Response:
    await checked_form(request)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


ROUTES = [
    Route("/login", login_page, methods=["GET"]),
    Route("/login", login, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
]
