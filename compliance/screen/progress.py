"""Screening: a progress bar on stderr (rich), one task per pass; silent when stderr is not a terminal.

The bar is redrawn as files finish (at most ten times a second), not by a thread of its own: the
screening process stays single-threaded, so its workers can be forked (compliance/screen)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn


@contextmanager
def screen_progress() -> Iterator:
    """Yields ``tick(phase, done, total)`` for compliance.screen.screen."""
    console = Console(stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(
        *columns, console=console, disable=not console.is_terminal, transient=False, auto_refresh=False
    ) as bar:
        tasks: dict[str, TaskID] = {}
        drawn = 0.0

        def tick(phase: str, done: int, total: int) -> None:
            nonlocal drawn
            if phase not in tasks:
                tasks[phase] = bar.add_task(phase, total=total)
            bar.advance(tasks[phase], done)
            if time.monotonic() - drawn >= 0.1:  # the last state is drawn as the bar closes
                bar.refresh()
                drawn = time.monotonic()

        yield tick
