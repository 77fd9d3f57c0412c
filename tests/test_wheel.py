"""A wheel built from the tree carries rules/ and grammars/, and `compliance check` runs from it;
it installs the package alone (no top-level module `cli`), into a fresh virtual environment with
its dependencies, and runs there from any directory. The sdist carries what `make demo` and
`make test` read."""

from __future__ import annotations

import importlib.machinery
import json
import os
import subprocess
import sys
import tarfile
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
    assert "compliance/py.typed" in names  # type checkers read the package's annotations
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    assert "compliance/locale/en/LC_MESSAGES/compliance.po" in names  # English (compliance/i18n.py)
    assert "compliance/locale/zh_CN/LC_MESSAGES/click.po" in names  # click's own texts in Chinese
    assert {f"compliance/render/templates/report.{ext}" for ext in ("html.j2", "css", "js")} <= names
    # The workspace's migrations, which open_workspace runs from inside the package.
    migrations = {"env.py", "script.py.mako", "versions/0001_tables.py"}
    assert {f"compliance/workspace/data/migrations/{name}" for name in migrations} <= names
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


def test_sdist_carries_what_make_demo_and_make_test_read(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    (built,) = tmp_path.glob("ogi_compliance-*.tar.gz")
    with tarfile.open(built) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    demo = {"samples/suzhou-2018.txt", "samples/draft-2021.txt", "tests/fixtures/report_2021.txt"}
    make = {"Makefile", "scripts/step", "scripts/tools", "requirements/ci.txt", "requirements/ci-3.13.txt"}
    users = {"README.md", "README.zh-CN.md", ".pre-commit-hooks.yaml"}
    assert demo | make | users | {"LICENSE", "pyproject.toml", "examples/rule-pack/basis.yaml"} <= names


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    """A fresh virtual environment with the wheel and its dependencies from the package index (at
    the CI lock's versions, so mostly from pip's cache), nothing else."""
    root = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(root)], check=True)
    python = root / "bin" / "python"
    lock = ROOT / "requirements" / ("ci-3.13.txt" if sys.version_info >= (3, 13) else "ci.txt")
    result = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "-c", str(lock), str(wheel)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return root


def test_the_wheel_installs_with_consistent_dependencies(venv):
    result = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_compliance_check_runs_from_the_fresh_venv_in_another_directory(venv, tmp_path):
    sample = ROOT / "samples" / "draft-2021.txt"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run(
        [str(venv / "bin" / "compliance"), "check", "--format", "json", str(sample)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1, result.stderr  # the sample's findings
    report = json.loads(result.stdout)
    assert report["source"]["path"] == str(sample)
    assert {"STRUCT-TITLE", "STRUCT-PART-MISSING"} <= {f["rule"] for f in report["findings"]}
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import compliance; print(compliance.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert where.stdout.startswith(str(venv)), where.stdout  # the installed copy, not the checkout
