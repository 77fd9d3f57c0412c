"""A cold start (``make bench``): a new ``compliance`` process, from the interpreter's start to its
exit, against a bare interpreter that imports pydantic and lark, measured in the same run.

Issue 13's targets: ``compliance --help`` and ``--version`` within 0.15 s; a check of seed 000
within 0.35 s and within 3x the bare interpreter. Every process starts cold, as a user's does: the
files the previous runs left (Python's bytecode, the rulebook and the parser in the cache folder,
here a folder of the benchmark's own) are there, as they are from the second run on; a check with
an empty cache folder (the first run after an install or a change to the rules) is measured too.
Each figure is the wall time of the whole process; the ratios to the bare interpreter (of the
fastest rounds, the least disturbed on a shared machine) are printed and kept in the benchmark's
extra_info."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seeds" / "000_b4329e84c20cd7da.txt"
BARE = [sys.executable, "-c", "import pydantic, lark"]
COMMAND = [sys.executable, "-m", "compliance"]
ROUNDS = 9
best: dict[str, float] = {}  # the fastest round of each: the least disturbed by a busy machine


@pytest.fixture(scope="module")
def environment(tmp_path_factory) -> dict[str, str]:
    """The environment of every process: a cache folder of its own, and bytecode written (a
    session may forbid it; an installed package has it)."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["COMPLIANCE_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    return env


def _run(arguments: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(arguments, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert done.returncode in (0, 1), done.stderr.decode(errors="replace")[-2000:]  # 1: findings reach --fail-on


def _measure(benchmark, capsys, name: str, arguments: list[str], env: dict[str, str], setup=None) -> None:
    _run(arguments, env)  # bytecode and caches as from the second run on
    benchmark.pedantic(_run, args=(arguments, env), setup=setup, rounds=ROUNDS, iterations=1)
    best[name] = benchmark.stats.stats.min
    if "bare" in best and name != "bare":
        ratio = best[name] / best["bare"]
        benchmark.extra_info["ratio_to_bare"] = round(ratio, 2)
        benchmark.extra_info["bare_s"] = round(best["bare"], 4)
        with capsys.disabled():  # shown by make bench
            print(f"\n{name}: {best[name]:.3f} s, {ratio:.1f}x the bare interpreter ({best['bare']:.3f} s)")


def test_bare_interpreter(benchmark, capsys, environment):
    """The floor: ``python -c "import pydantic, lark"``."""
    _measure(benchmark, capsys, "bare", BARE, environment)


def test_help(benchmark, capsys, environment):
    _measure(benchmark, capsys, "--help", [*COMMAND, "--help"], environment)


def test_version(benchmark, capsys, environment):
    _measure(benchmark, capsys, "--version", [*COMMAND, "--version"], environment)


def test_check_seed_000(benchmark, capsys, environment):
    if not SEED.exists():
        pytest.skip(f"{SEED} not here")
    _measure(benchmark, capsys, "check seed 000", [*COMMAND, "check", str(SEED)], environment)


def test_check_seed_000_empty_cache(benchmark, capsys, environment):
    """The first run: the rulebook read and validated, the parser built, both stored."""
    if not SEED.exists():
        pytest.skip(f"{SEED} not here")
    folder = Path(environment["COMPLIANCE_CACHE_DIR"])

    def empty() -> None:
        shutil.rmtree(folder, ignore_errors=True)

    _measure(benchmark, capsys, "check seed 000, empty cache", [*COMMAND, "check", str(SEED)], environment, setup=empty)
