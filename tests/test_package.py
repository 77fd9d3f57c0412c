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


def test_licence_file_matches_pyproject():
    project = PYPROJECT["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License\n") and "Permission is hereby granted, free of charge" in licence


def test_metadata_has_keywords_classifiers_and_no_made_up_address():
    project = PYPROJECT["project"]
    assert {"政府信息公开", "年度报告", "annual report"} <= set(project["keywords"])
    assert {"Typing :: Typed", "Natural Language :: Chinese (Simplified)"} <= set(project["classifiers"])
    # No licence classifier beside a licence expression (PEP 639), and no URL while the project
    # has no public address.
    assert not any(c.startswith("License ::") for c in project["classifiers"])
    assert "urls" not in project


def test_package_is_marked_typed():
    assert (ROOT / "compliance" / "py.typed").is_file()


def test_every_third_party_module_the_package_imports_is_a_dependency():
    """pdfminer (the PDF page interpreter) and markupsafe are imported directly: they are declared,
    not left to come with pdfplumber and jinja2."""
    import ast
    import sys

    declared = " ".join(PYPROJECT["project"]["dependencies"]).lower()
    distribution = {"docx": "python-docx", "yaml": "pyyaml", "pdfminer": "pdfminer.six", "durable": "durable-rules"}
    distribution["durable_rules_engine"] = "durable-rules"
    imported = set()
    for path in (ROOT / "compliance").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = imported - set(sys.stdlib_module_names) - {"compliance"}
    assert third_party, "no import found"
    for module in sorted(third_party):
        assert distribution.get(module, module).lower() in declared, module


def test_the_lock_files_pin_every_package_and_name_the_command_that_refreshes_them():
    for name in ("ci.txt", "ci-3.13.txt"):
        text = (ROOT / "requirements" / name).read_text(encoding="utf-8")
        pins = [line for line in text.splitlines() if line and not line.startswith((" ", "#"))]
        assert pins and all("==" in line for line in pins), name
        assert "make lock" in text and "--extra-index-url" not in text and "--find-links" not in text
    assert "durable-rules==" in (ROOT / "requirements" / "ci.txt").read_text(encoding="utf-8")
    assert "durable-rules" not in (ROOT / "requirements" / "ci-3.13.txt").read_text(encoding="utf-8")
