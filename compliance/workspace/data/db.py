"""The workspace's database: opened (and migrated to the newest schema) by ``open_workspace``.

SQLite in the data folder by default (nothing to install); a ``postgresql://`` URL for an office
sharing one server, through psycopg 3. The schema is the Alembic migrations' (``migrations/``,
shipped inside the package), run to head whenever a workspace is opened."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from compliance.output import make_directory
from compliance.workspace.data.store import DraftStore

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def database_url(data_dir: Path, url: str | None = None) -> str:
    """The URL to connect to: ``url`` (``postgresql://`` made psycopg 3's), else the SQLite file
    ``workspace.sqlite3`` in ``data_dir``."""
    if url is None:
        return f"sqlite:///{Path(data_dir).resolve() / 'workspace.sqlite3'}"
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    # Foreign keys are off in SQLite unless asked for; WAL lets pages read while a check is saved.
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def migrate(engine: Engine) -> None:
    """Run the migrations to head on ``engine``'s database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


class Workspace:
    """An open workspace: its database (``session()``) and its drafts (``drafts``)."""

    def __init__(self, engine: Engine, drafts: DraftStore):
        self.engine = engine
        self.drafts = drafts
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed when the block ends, rolled back when it raises."""
        with self._sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        self.engine.dispose()


def open_workspace(data_dir: Path, url: str | None = None) -> Workspace:
    """The workspace of ``data_dir`` (created when missing: drafts in ``data_dir/drafts``) on the
    database at ``url`` (default: SQLite in ``data_dir``), migrated to the newest schema."""
    data_dir = Path(data_dir)
    make_directory(data_dir)
    engine = create_engine(database_url(data_dir, url))
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    migrate(engine)
    return Workspace(engine, DraftStore(data_dir / "drafts"))
