"""Which engine runs: durable-rules where it imports, else Python; ``engine`` in the configuration
and ``--engine`` force one, and forcing durable-rules where it cannot run is one line, exit 2."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, ROOT, source_of

from cli import main
from compliance.config import load_config
from compliance.engine import backends, engine_for
from compliance.engine.backends import EngineUnavailable, durable_available, resolve
from compliance.engine.backends.python import Interpreter
from compliance.errors import ConfigError
from compliance.models.config import Config
from compliance.pipeline import check_source
from compliance.rulebook import default_rulebook

BROKEN = FIXTURES / "report_2021_broken.txt"


@pytest.fixture
def no_durable(monkeypatch):
    """As on Python 3.13+: durable-rules does not import."""
    monkeypatch.setattr(backends, "durable_available", lambda: False)


def test_auto_is_durable_where_it_imports():
    assert resolve("auto") == ("durable" if durable_available() else "python")
    assert resolve("python") == "python"


def test_auto_is_python_without_durable(no_durable):
    assert resolve("auto") == "python"
    assert isinstance(engine_for(default_rulebook()), Interpreter)
    with pytest.raises(EngineUnavailable, match="not installed here"):
        resolve("durable")


def test_the_configuration_chooses(monkeypatch):
    ran = []
    run = Interpreter.run
    monkeypatch.setattr(Interpreter, "run", lambda self, facts: ran.append(1) or run(self, facts))
    report = check_source(source_of(BROKEN.read_text(encoding="utf-8")), Config(engine="python"))
    assert ran and report.findings


def test_engine_in_a_configuration_file(tmp_path):
    (tmp_path / "compliance.toml").write_text('engine = "python"\n', encoding="utf-8")
    assert load_config(tmp_path / "compliance.toml").engine == "python"
    (tmp_path / "compliance.toml").write_text('engine = "drools"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="engine"):
        load_config(tmp_path / "compliance.toml")


def test_cli_engine_option():
    runner = CliRunner()
    for engine in backends.available():
        result = runner.invoke(main, ["check", "--engine", engine, "--format", "json", str(BROKEN)])
        assert result.exit_code == 1, result.output
    for command in ("check", "fix", "notice", "screen"):
        assert "--engine" in runner.invoke(main, [command, "--help"]).output


def test_cli_forcing_durable_where_it_cannot_run(no_durable, tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["check", "--engine", "durable", str(BROKEN)])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "durable" in result.output and "not installed" in result.output
    config = tmp_path / "compliance.toml"
    config.write_text('engine = "durable"\n', encoding="utf-8")
    result = runner.invoke(main, ["fix", "--config", str(config), "--diff", str(BROKEN)])
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert runner.invoke(main, ["check", "--engine", "python", str(BROKEN)]).exit_code == 1


def test_nothing_imports_durable_rules_until_it_runs():
    """Where durable-rules does not import (Python 3.13+), the checker runs on the Python engine."""
    code = (
        "import sys\nsys.modules['durable_rules_engine'] = sys.modules['durable'] = None\n"
        "from compliance.pipeline import check\nfrom compliance.engine.backends import resolve\n"
        "assert resolve() == 'python'\nprint(len(check(sys.argv[1]).findings))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(BROKEN)], cwd=ROOT, capture_output=True, text=True, env=dict(os.environ)
    )
    assert result.returncode == 0 and int(result.stdout) > 0, result.stderr[-800:]
