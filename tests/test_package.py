"""What the package says about itself: the output's JSON Schema as `make schema` writes it, the
licence, the metadata and the type marker."""

from __future__ import annotations

import tomllib

from conftest import ROOT

from compliance.render.schema import SCHEMA_FILE, SCHEMA_ID, schema_text
from compliance.resources import schema_path

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_shipped_schema_is_what_make_schema_writes_byte_for_byte():
    assert schema_path(SCHEMA_FILE).read_text(encoding="utf-8") == schema_text()


def test_schema_has_an_id_and_its_own_title():
    import json

    schema = json.loads(schema_text())
    assert schema["$id"] == SCHEMA_ID == "urn:ogi-compliance:schema:report:1"
    assert schema["title"].startswith("ogi-compliance check report") and "schema_version 1" in schema["title"]
    assert list(schema)[:3] == ["$schema", "$id", "title"]
