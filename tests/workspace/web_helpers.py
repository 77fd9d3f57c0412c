"""Helpers of the web application's tests: an app on a temporary data folder, its CSRF token,
uploads, and a batch followed to its end."""

from __future__ import annotations

import re
import socket
import threading
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from compliance.workspace.web.app import create_app

with warnings.catch_warnings():  # starlette 1 would rather have httpx2, which it works without
    # by its message: the warning's class is starlette 1's, absent from the 0.x the bounds allow
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")
    from starlette.testclient import TestClient
from compliance.workspace.web.settings import ServeSettings

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def client(data_dir: Path, db_url: str | None = None, **settings) -> TestClient:
    """A client of a new app (enter it: ``with client(...) as c``); one check at a time."""
    settings.setdefault("workers", 1)
    app = create_app(ServeSettings(data_dir=data_dir, db_url=db_url, **settings))
    return TestClient(app, follow_redirects=False)


def token(web: TestClient, path: str = "/upload") -> str:
    return TOKEN.search(web.get(path).text).group(1)


def upload(web: TestClient, files: list[tuple[str, bytes]], **fields: str):
    data = {"csrf_token": token(web), **fields}
    return web.post("/upload", data=data, files=[("files", (name, content)) for name, content in files])


def finished(web: TestClient, batch_page: str, seconds: float = 120) -> dict:
    """The batch's progress once every draft in it is checked (or failed)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        progress = web.get(f"{batch_page}.json").json()
        if progress["finished"] == progress["total"]:
            return progress
        time.sleep(0.1)
    raise AssertionError(f"{batch_page} did not finish in {seconds} s")


def checked(web: TestClient, files: list[tuple[str, bytes]], **fields: str) -> dict:
    """Upload and wait for the checks: the batch's progress."""
    response = upload(web, files, **fields)
    assert response.status_code == 303, response.text
    return finished(web, response.headers["location"])


def fixture(name: str) -> tuple[str, bytes]:
    return name, (FIXTURES / name).read_bytes()


@contextmanager
def serving(settings: ServeSettings) -> Iterator[str]:
    """The app served by uvicorn in a thread on a free loopback port: its address, until the block ends."""
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(settings), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{listening.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(30)
        listening.close()
