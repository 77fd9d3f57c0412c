"""Shared test helpers: where the seeds and corpus are, and checking a text without a file."""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "corpus"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(FIXTURES))  # fixture builders (tests/fixtures/builders.py)
# The workspace's databases (SQLite, and a throwaway PostgreSQL server): tests/workspace/databases.py.
pytest_plugins = ["workspace.databases"]

# The tests read the default language, Chinese, whatever the locale of the shell running them (and
# so do the commands they start); tests of English set LANG themselves (tests/test_i18n.py).
for _variable in ("LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_variable, None)
os.environ["LANG"] = "C.UTF-8"

SEED_FILES = {
    "000": "000_b4329e84c20cd7da.txt",
    "001": "001_639ca9d31b5b13cc.txt",
    "002": "002_3eb4f870af382a5b.txt",
    "003": "003_1c1506c777597ef3.txt",
    "004": "004_169f12723ffdf026.txt",
}


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
NEEDS_CHROMIUM = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Chromium is not installed (apt-get install chromium; `make tools` does it)"
)


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium, driven by Playwright (tests marked NEEDS_CHROMIUM)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM)
        yield chromium
        chromium.close()


def shared_file(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not here (the shared/ folder sits beside the repository)")
    return path


def seed_path(key: str) -> Path:
    return shared_file(SEEDS / SEED_FILES[key])


def seed_text(key: str) -> str:
    return seed_path(key).read_text(encoding="utf-8")


def source_of(text: str, name: str = "<text>"):
    from compliance.models.source import Source

    return Source(
        path=name, format="txt", encoding="utf-8", sha256=hashlib.sha256(text.encode()).hexdigest(), text=text
    )


def check_text(text: str, name: str = "<text>", previous: str | None = None, keypoints=None, **context):
    """Check a text as if it were a .txt draft; context: year, issuer_kind, regime;
    ``previous``: the text of last year's report; ``keypoints``: key-point checklists, each a
    shipped name, a file, or an inline mapping (one or a list)."""
    from compliance.models.config import Overrides
    from compliance.pipeline import check_source, previous_report

    last = previous_report(source_of(previous, "<previous>")) if previous is not None else None
    return check_source(
        source_of(text, name), overrides=Overrides(**context), previous=last, keypoints=checklists(keypoints)
    )


def checklists(keypoints):
    """``keypoints`` as Checklist models (None stays None: not given)."""
    from compliance.checklists.files import parse_checklist
    from compliance.pipeline import checklist as resolve

    if keypoints is None:
        return None
    items = keypoints if isinstance(keypoints, list) else [keypoints]
    return [parse_checklist(k, "<inline>", "inline") if isinstance(k, dict) else resolve(k) for k in items]


def rule_findings(report, rule: str):
    return [f for f in report.findings if f.rule == rule]


@pytest.fixture
def english(monkeypatch):
    """Messages in English for the test (LANG=en_US.UTF-8), Chinese again after it."""
    from compliance.i18n import translations

    monkeypatch.setenv("LANG", "en_US.UTF-8")
    translations.cache_clear()
    yield
    translations.cache_clear()


def summary_rows(text: str) -> list[dict[str, str]]:
    """The rows of a screen's summary.csv by column name (its header row is in the user's language)."""
    from compliance.screen.summary import COLUMNS

    rows = list(csv.reader(text.splitlines()))
    return [dict(zip(COLUMNS, row)) for row in rows[1:]]


# -- the skips, told in one line ----------------------------------------------------------------
# pytest's -r leaves skips out (pyproject.toml's addopts): a clone without ../shared skips a third
# of the suite, one line per test file; this says how many skipped and why, grouped, in one line
# before pytest's closing line. `pytest -rs` lists each.

NO_SHARED = f"{SHARED} (seeds and corpus) not found next to the clone"


def skip_reason(report) -> str:
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
    reason = reason.removeprefix("Skipped: ")
    # Without ../shared, every skip that names it or a file in it (a seed, a corpus file) has
    # that one cause.
    if not SHARED.exists() and any(name in reason for name in ("shared", "seeds/", "corpus/")):
        return NO_SHARED
    return reason


def skip_summary(reports) -> str | None:
    if not reports:
        return None
    groups = Counter(skip_reason(report) for report in reports)
    reasons = "; ".join(
        reason if count == len(reports) else f"{reason} ({count})" for reason, count in groups.most_common()
    )
    return f"{len(reports)} {'test' if len(reports) == 1 else 'tests'} skipped: {reasons} (pytest -rs lists each)"


def pytest_terminal_summary(terminalreporter):
    if line := skip_summary(terminalreporter.stats.get("skipped", [])):
        terminalreporter.write_line(line, yellow=True)
