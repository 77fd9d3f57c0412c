"""A wheel built from the tree carries rules/ and grammars/, and `compliance check` runs from it;
it installs the package alone (no top-level module `cli`)."""

from __future__ import annotations

import importlib.machinery
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, seed_path

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # No build isolation: the build backend (hatchling) is a test dependency, so no download.
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    (built,) = out.glob("ogi_compliance-*.whl")
    return built


def test_wheel_contains_rules_grammars_schema_templates_and_cli(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"compliance/cli.py", "compliance/__main__.py"} <= names
    # Only the package goes into site-packages: the checkout's cli.py would be a module `cli` there.
    assert {name.split("/")[0] for name in names if ".dist-info/" not in name} == {"compliance"}
    entry_points = next(name for name in names if name.endswith(".dist-info/entry_points.txt"))
    assert "compliance = compliance.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "compliance/_data/grammars/report.lark" in names
    assert "compliance/_data/rules/basis.yaml" in names
    assert "compliance/_data/rules/struct/STRUCT-PART-MISSING.yaml" in names
    assert "compliance/_data/rules/notice/notice.yaml" in names  # the notice's wording
    assert "compliance/schemas/report.schema.json" in names
    assert "compliance/locale/en/LC_MESSAGES/compliance.po" in names  # English (compliance/i18n.py)
    assert "compliance/locale/zh_CN/LC_MESSAGES/click.po" in names  # click's own texts in Chinese
    assert {f"compliance/render/templates/report.{ext}" for ext in ("html.j2", "css", "js")} <= names
    assert not any(n.startswith("tests/") for n in names)


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    return target


def test_the_wheel_installs_no_module_cli_and_runs_as_python_m_compliance(installed, tmp_path):
    assert importlib.machinery.PathFinder.find_spec("cli", [str(installed)]) is None
    env = dict(os.environ, PYTHONPATH=str(installed))
    result = subprocess.run(
        [sys.executable, "-m", "compliance", "--version"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "compliance, version 0.1.0"


@pytest.mark.parametrize("output_format", ["json", "html"])
def test_check_runs_from_the_installed_wheel(installed, tmp_path, output_format):
    target = installed
    env = dict(os.environ, PYTHONPATH=str(target))
    code = (
        "import sys, compliance; assert compliance.__file__.startswith(sys.argv[1]), compliance.__file__;"
        "from compliance.cli import main;"
        "sys.argv = ['compliance', 'check', '--format', sys.argv[3], sys.argv[2]]; main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(target), str(seed_path("003")), output_format],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1, result.stderr
    if output_format == "html":  # the page's templates come from the installed package
        assert result.stdout.startswith("<!DOCTYPE html>") and 'id="finding-1"' in result.stdout
        return
    report = json.loads(result.stdout)
    assert {f["rule"] for f in report["findings"]} >= {"STRUCT-TITLE", "STRUCT-TRUNCATED", "STYLE-SCRIPT"}
