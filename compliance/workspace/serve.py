"""``compliance serve``: the workspace opened, the address checked (anywhere but this machine
needs users), and the application run by uvicorn until Ctrl-C."""

from __future__ import annotations

from pathlib import Path

from compliance.errors import ComplianceError
from compliance.i18n import _
from compliance.workspace.data import records
from compliance.workspace.data.db import Workspace, open_workspace
from compliance.workspace.web.settings import ServeSettings

APP_NAME = "ogi-compliance"


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME))


def opened(data_dir: Path | None, db_url: str | None) -> Workspace:
    return open_workspace(data_dir or default_data_dir(), db_url)


def refuse_without_users(settings: ServeSettings, workspace: Workspace) -> None:
    """Off the loopback address the workspace is reachable by others: it must ask who they are."""
    if settings.loopback:
        return
    with workspace.session() as session:
        if records.has_users(session):
            return
    message = _("在 {host} 上监听须有用户登录，而还没有用户：先运行 compliance users add 用户名")
    raise ComplianceError(message.format(host=settings.host))


def serve(settings: ServeSettings, workspace: Workspace) -> None:
    """Run the application on the workspace (``refuse_without_users`` has let it) until Ctrl-C."""
    import uvicorn

    from compliance.workspace.web.app import create_app

    uvicorn.run(create_app(settings, workspace), host=settings.host, port=settings.port, log_level="info")
