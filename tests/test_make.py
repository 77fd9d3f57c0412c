"""What `make demo` and `make test` print around their steps (scripts/step), and `make tools`
installing Debian's packages once (scripts/tools, against a stand-in dpkg-query and apt-get)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")


# Not the language of the shell that runs the tests, nor the step log of the `make test` running them.
OWN = ("LC_ALL", "LC_MESSAGES", "LANG", "STEP_LOG", "STEP_SINCE")


def step(*args: str, lang: str = "zh_CN.UTF-8", **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in OWN}
    environ.update(LANG=lang, **env)
    return subprocess.run(["bash", str(ROOT / "scripts" / "step"), *args], capture_output=True, text=True, env=environ)


def test_a_step_says_what_it_does_and_how_long_it_took():
    result = step("安装依赖|Installing", "echo", "pip says")
    assert result.returncode == 0
    assert result.stdout.splitlines() == ["==> 安装依赖", "pip says", "    完成（0 秒）"]


def test_a_step_speaks_english_where_lang_asks():
    assert step("安装依赖|Installing", "true", lang="en_GB.UTF-8").stdout.splitlines() == [
        "==> Installing",
        "    done (0 s)",
    ]
    assert step("--say", "输出在 out/|Outputs in out/", lang="en_US.UTF-8").stdout == "Outputs in out/\n"


def test_a_failing_step_says_so_and_passes_its_status_on():
    result = step("运行测试|Running the tests", "sh", "-c", "exit 3")
    assert result.returncode == 3
    assert "失败：运行测试（0 秒，退出码 3）" in result.stderr


def test_steps_run_by_the_tests_stay_out_of_the_make_runs_log(tmp_path, monkeypatch):
    log = tmp_path / ".steps"
    monkeypatch.setenv("STEP_LOG", str(log))  # as `make test` exports it
    assert step("安装|Installing", "true").returncode == 0
    assert not log.exists()


def test_the_summary_lists_the_steps_of_this_run_and_their_total(tmp_path):
    log = tmp_path / ".steps"
    log.write_text("100\t7\t旧的一步\tan old step\n", encoding="utf-8")  # an earlier run's
    env = {"STEP_LOG": str(log), "STEP_SINCE": "1000"}
    for label in ("安装|Installing", "测试|Testing"):
        assert step(label, "true", **env).returncode == 0
    summary = step("--summary", "make test 各步用时：|make test, time per step:", **env).stdout.splitlines()
    assert summary[0] == "make test 各步用时："
    assert [line.split()[-1] for line in summary[1:]] == ["安装", "测试", "合计"]
    assert "旧的一步" not in "\n".join(summary)


@pytest.fixture
def debian(tmp_path) -> tuple[Path, Path]:
    """A PATH whose dpkg-query answers from a file of installed packages and whose apt-get
    writes down how it was called."""
    bin_dir, installed, calls = tmp_path / "bin", tmp_path / "installed", tmp_path / "calls"
    bin_dir.mkdir()
    installed.write_text("", encoding="utf-8")
    (bin_dir / "dpkg-query").write_text(
        f'#!/bin/sh\nfor p; do grep -qx "$p" {installed} && echo "install ok installed"; done\nexit 0\n',
        encoding="utf-8",
    )
    (bin_dir / "apt-get").write_text(f'#!/bin/sh\necho "$@" >> {calls}\n', encoding="utf-8")
    for tool in bin_dir.iterdir():
        tool.chmod(0o755)
    return installed, calls


def tools(tmp_path, lang: str = "zh_CN.UTF-8") -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in OWN}
    environ.update(LANG=lang, PATH=f"{tmp_path / 'bin'}:{os.environ['PATH']}")
    return subprocess.run(["bash", str(ROOT / "scripts" / "tools")], capture_output=True, text=True, env=environ)


@pytest.mark.skipif(os.geteuid() != 0, reason="run as root, scripts/tools calls apt-get without sudo")
def test_tools_install_what_is_missing_once_without_recommended_packages(debian, tmp_path):
    installed, calls = debian
    installed.write_text("chromium\n", encoding="utf-8")
    result = tools(tmp_path)
    assert result.returncode == 0, result.stderr
    assert calls.read_text(encoding="utf-8").splitlines() == [
        "update -q",
        "install -y -q --no-install-recommends fonts-noto-cjk fonts-liberation",
        "install -y -q --no-install-recommends libreoffice-writer-nogui",
        "install -y -q --no-install-recommends postgresql",
    ]
    assert "==> 从 Debian 安装浏览器测试所需：fonts-noto-cjk fonts-liberation" in result.stdout


def test_tools_already_installed_run_no_apt_get_and_say_so(debian, tmp_path):
    installed, calls = debian
    installed.write_text(
        "chromium\nfonts-noto-cjk\nfonts-liberation\nlibreoffice-writer\npostgresql\n", encoding="utf-8"
    )
    result = tools(tmp_path, lang="en_US.UTF-8")
    assert result.returncode == 0 and not calls.exists()
    assert result.stdout.startswith("==> Debian packages the tests use: already installed")


def test_make_test_installs_the_lock_then_the_tool_alone():
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    result = subprocess.run(
        [make, "-n", "--no-print-directory", "test", "VENV=/nonexistent/venv"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    lock = "requirements/ci-3.13.txt" if "ci-3.13" in result.stdout else "requirements/ci.txt"
    assert f"pip install -q -r {lock}" in result.stdout
    assert "pip install -q --no-deps -e ." in result.stdout
    assert "bash scripts/tools" in result.stdout


def test_a_clone_without_shared_says_in_one_line_how_many_tests_skipped_and_why(tmp_path):
    """The suite's conftest in a clone with no ../shared beside it: the skips are told grouped by
    cause, in one line before pytest's closing line."""
    tests = tmp_path / "clone" / "tests"
    tests.mkdir(parents=True)
    shutil.copy(ROOT / "tests" / "conftest.py", tests / "conftest.py")
    (tests / "workspace").mkdir()  # the plugin the conftest names (the workspace's databases)
    shutil.copy(ROOT / "tests" / "workspace" / "databases.py", tests / "workspace" / "databases.py")
    (tests / "test_some.py").write_text(
        "import pytest\n"
        "from conftest import seed_path\n\n"
        "@pytest.mark.parametrize('key', ['000', '001', '003'])\n"
        "def test_seed(key):\n    seed_path(key)\n\n"
        "def test_other():\n    pytest.skip('make is not installed')\n\n"
        "def test_pdf():\n    pytest.skip('corpus/huaian-szf-2024.pdf is not on this machine')\n\n"
        "def test_runs():\n    pass\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tests)],
        cwd=tests.parent,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    shared = tmp_path / "clone" / ".." / "shared"
    assert (
        f"5 tests skipped: {shared.resolve()} (seeds and corpus) not found next to the clone (4); "
        "make is not installed (1) (pytest -rs lists each)"
    ) in lines
    assert lines[-1].startswith("1 passed, 5 skipped")
