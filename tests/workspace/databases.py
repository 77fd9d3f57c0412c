"""Fixtures of the workspace's tests (a pytest plugin: tests/conftest.py names it — a second
conftest.py here would take the module name ``conftest`` from the shared one).

The workspace's tests run on SQLite and on a real PostgreSQL server: ``database_url`` gives
each test a new database of each kind. The server is a throwaway cluster started once for the
session from Debian's binaries (/usr/lib/postgresql/*/bin) in a temporary folder, over a Unix
socket only, and stopped at the end; where the binaries are absent the PostgreSQL tests skip."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

_counter = itertools.count()


def _postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else None


def _as_owner(command: list[str]) -> list[str]:
    # initdb refuses root: a root test run starts the cluster as Debian's postgres user.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL of the session's PostgreSQL server (as its superuser, database postgres)."""
    binaries = _postgres_bin()
    if binaries is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql; `make tools` does it)")
    root = Path(tempfile.mkdtemp(prefix="compliance-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    data, log = root / "data", root / "log"
    user = "postgres" if os.geteuid() == 0 else os.environ.get("USER", "postgres")
    subprocess.run(
        _as_owner([str(binaries / "initdb"), "-D", str(data), "-U", user, "-A", "trust", "-E", "UTF8", "--no-locale"]),
        check=True,
        capture_output=True,
    )
    options = f"-c listen_addresses='' -k {root} -c fsync=off -c full_page_writes=off"
    subprocess.run(
        _as_owner([str(binaries / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start"]),
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://{user}@/postgres?host={root}"
    finally:
        stop = [str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]
        subprocess.run(_as_owner(stop), check=False, capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str | None:
    """A new, empty database: None for SQLite in the test's data folder, else a PostgreSQL URL."""
    if request.param == "sqlite":
        return None
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = request.getfixturevalue("postgres_server")
    name = f"test_{os.getpid()}_{next(_counter)}"
    engine = create_engine(server.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False)


@pytest.fixture
def workspace(tmp_path, database_url):
    """A workspace opened on the test's database, its drafts in the test's folder."""
    from compliance.workspace.data.db import open_workspace

    opened = open_workspace(tmp_path / "data", database_url)
    yield opened
    opened.close()
