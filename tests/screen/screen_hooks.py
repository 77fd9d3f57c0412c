"""Test-only behaviour of screen's worker processes, chosen by the file's name
(COMPLIANCE_SCREEN_TEST_HOOK=screen_hooks:act; compliance/screen/worker.py calls it before
reading each file):

- "hang": sleeps an hour (a pathological file: only the time limit ends it);
- "slow": sleeps a minute (a file still being checked when Ctrl-C comes);
- "die-always": the worker is killed (SIGKILL) on it, every time;
- "die-once": killed the first time only, in either pass (a marker file in $SCREEN_HOOK_MARKERS
  remembers);
- "die-again": killed in the second pass (the copied-content check), every time."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def act(path: Path, phase: str) -> None:
    name = Path(path).name
    if "hang" in name:
        time.sleep(3600)
    if "slow" in name:
        time.sleep(60)
    if "die-always" in name:
        _die()
    if "die-once" in name:
        marker = Path(os.environ["SCREEN_HOOK_MARKERS"]) / name
        if not marker.exists():
            marker.write_text("died once", encoding="utf-8")
            _die()
    if "die-again" in name and phase == "again":
        _die()
