"""The workspace's pages: its templates (compliance/workspace/web/templates) in the bounded, autoescaped
sandbox — a draft's text and names are hostile — rendered with what every page shows (the user,
the CSRF token for its forms)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse

from compliance.render import SEVERITY_LABELS
from compliance.rulebook import DOCUMENT_LIMIT, BoundedSandboxedEnvironment
from compliance.workspace.web.auth import csrf_token

STEPS = 2_000_000  # loop iterations in one page: a list of some thousand submissions


@cache
def environment() -> BoundedSandboxedEnvironment:
    made = BoundedSandboxedEnvironment.for_pages(
        Path(__file__).parent / "templates", output_limit=DOCUMENT_LIMIT, step_limit=STEPS
    )
    made.globals["severity_labels"] = SEVERITY_LABELS
    return made


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    values = {"csrf_token": csrf_token(request), "user": request.session.get("user"), "path": request.url.path}
    html = environment().get_template(template).render(**values, **context)
    return HTMLResponse(html, status_code=status_code)
