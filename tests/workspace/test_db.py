"""Opening a workspace: the database created and migrated, and the migrated schema is the models'."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from compliance.workspace.data.db import database_url, open_workspace
from compliance.workspace.data.schema import Base, Setting


def test_the_migrated_schema_is_the_models(workspace):
    with workspace.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert compare_metadata(context, Base.metadata) == []
        assert context.get_current_revision() == "0001"


def test_sqlite_in_the_data_folder_by_default(tmp_path):
    opened = open_workspace(tmp_path / "new" / "data")
    try:
        assert (tmp_path / "new" / "data" / "workspace.sqlite3").is_file()
        assert "version" in inspect(opened.engine).get_table_names()
    finally:
        opened.close()


def test_a_postgresql_url_uses_psycopg_3(tmp_path):
    assert database_url(tmp_path, "postgresql://u:p@db.example/ws").startswith("postgresql+psycopg://u:p@db.example/")


def test_opening_again_keeps_the_data(tmp_path, database_url):
    first = open_workspace(tmp_path, database_url)
    with first.session() as session:
        session.add(Setting(key="k", value="v"))
    first.close()
    second = open_workspace(tmp_path, database_url)
    with second.session() as session:
        assert session.get(Setting, "k").value == "v"
    second.close()


def test_a_session_that_fails_is_rolled_back(workspace):
    try:
        with workspace.session() as session:
            session.add(Setting(key="k", value="v"))
            session.flush()
            raise RuntimeError
    except RuntimeError:
        pass
    with workspace.session() as session:
        assert session.get(Setting, "k") is None
