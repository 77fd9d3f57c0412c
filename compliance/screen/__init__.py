"""Batch screening (``compliance screen DIR -o OUTDIR``): every submission under a folder, checked in
parallel processes, with per-report JSON/HTML, ``summary.csv``, ``summary.html`` and, on request,
correction notices for the reports that fail.

Two passes, because DUP-BOILERPLATE compares each report with the whole set: (1) check every file
as if it shared nothing with the set, writing its outputs, and fingerprint its parts; (2) index
the fingerprints to find the reports that may share a copied part (index.py) and check those
again with the others as their comparison. In a real set few reports are candidates, so the
second pass is short.

A screening never loses a file and never hangs. The screening process sends each worker process
its files a few ahead (``Pool``) and each worker says which file it is on, so the screening
process knows: a file that passes the time limit has its worker stopped and is a "超时" row; a
worker that dies costs only the file it was on, which is tried once more on a new worker (dying
twice, it is a row saying so), the files it held besides going to other workers; the other
workers never notice. Ctrl-C stops the workers (each finishes the write under way) and the
summary lists what finished and, as "未完成（已中断）", what did not. A worker writes one file while
it checks the next, so one that dies may be cut in the middle of a write: the temporary file it
leaves is removed once no worker runs, and the file is checked and written again elsewhere."""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from compliance.facts.duplicates import Comparison, OtherReport
from compliance.load.folder import reports_under
from compliance.output import make_directory, sync_all, write_text
from compliance.rulebook import rulebook_for
from compliance.screen import index, worker
from compliance.screen.files import Inputs, ScreenError, check_output, output_names, remove_leftovers
from compliance.screen.pairs import ComparisonRow, comparison_row, year_pairs
from compliance.screen.summary import (
    CRASHED,
    INTERRUPTED,
    SKIPPED,
    TIMED_OUT,
    SummaryRow,
    render_summary,
    row_for_error,
    row_unfinished,
    summary_csv,
)
from compliance.screen.worker import Settings

__all__ = ["ScreenError", "ScreenResult", "Settings", "screen"]


class ScreenResult(BaseModel):
    rows: list[SummaryRow]
    comparisons: list[ComparisonRow] = []  # two years of one issuer, compared
    summary_csv: Path
    summary_html: Path
    interrupted: bool = False  # Ctrl-C: the rows of the files not finished say so
    # Each worker's peak resident memory in bytes, as it last said (a forked worker's: beyond what it
    # shares with this process).
    worker_memory: list[int] = []


Progress = Callable[[str, int, int], None]  # (pass, files done in this step, files in all)

DONE, TIMEOUT, DIED, NO_WORKER = "done", "timeout", "died", "no worker"
ATTEMPTS = 2  # a file is tried on a new worker once after its worker died
DEPTH = 3  # files a worker holds: one being written, one being checked, the next one waiting
STARTUP = 120.0  # seconds a worker may take to start (import, rulebook, warm-up)
STARTS = 3  # workers that die before they are ready, in a row, before the pool gives up
GRACE = 1.0  # seconds a stopped worker has to finish the write under way before it is killed


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    connection: Connection
    ready: bool = False
    tasks: dict = field(default_factory=dict)  # key → (key, kind, arguments): sent, not answered, in order
    begun: dict = field(default_factory=dict)  # key → when the worker said it started that file
    on: Any = None  # the key of the file the worker is checking (it said ON and has not answered)
    born: float = field(default_factory=time.monotonic)

    def culprit(self) -> Any:
        """The file to blame when the worker dies or stalls: the one it is checking, else the
        oldest it holds (being written)."""
        return self.on if self.on is not None else next(iter(self.tasks), None)


@dataclass
class Pool:
    """Worker processes, each holding up to DEPTH files. ``run`` yields each task's key with what
    became of it: DONE (with the worker's result), TIMEOUT (the worker was stopped), DIED (its
    worker died on it ATTEMPTS times) or NO_WORKER (no worker would start). A worker that dies or
    is stopped is replaced; the other files it held go to the front of the queue; the other
    workers go on."""

    size: int
    settings: Settings
    timeout: float | None = None
    workers: list[_Worker] = field(default_factory=list)
    failed_starts: int = 0
    memory: dict[int, int] = field(default_factory=dict)  # worker pid → its peak memory, as it last said
    untidy: bool = False  # a worker died or was stopped: it may have left a temporary file

    warm: bool = False  # this process has loaded what a worker needs, for the workers it forks

    def start(self) -> None:
        """Start every worker now (rather than as the first files are given out)."""
        while len(self.workers) < self.size:
            self._spawn()

    def _spawn(self) -> None:
        method = start_method()
        if method == "fork" and not self.warm:
            # Loaded once here, every forked worker has it: modules, rulebook, parser, rules
            # engine (a copy of this process's, its own from then on) — a spawned one takes half
            # a second to load them.
            worker.start(self.settings)
            worker.warm_up()
            self.warm = True
        context = multiprocessing.get_context("fork") if method == "fork" else multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        process = context.Process(target=worker.serve, args=(theirs, self.settings, method == "fork"), daemon=True)
        # Born with Ctrl-C blocked (it then ignores it): the screening process handles it. A
        # Ctrl-C meanwhile waits here, not lost.
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        gc.freeze()  # a forked worker's garbage collector leaves (and so does not copy) what it inherits
        try:
            process.start()
        finally:
            gc.unfreeze()
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        theirs.close()
        self.workers.append(_Worker(process, ours))

    def _remove(self, one: _Worker, stop: bool = False) -> None:
        if stop and one.process.is_alive():
            one.process.terminate()  # SIGTERM: SystemExit in the worker, its temporary file removed
            one.process.join(GRACE)
        if one.process.is_alive():
            one.process.kill()
        one.process.join()
        self.untidy = self.untidy or one.process.exitcode != 0
        one.connection.close()
        self.workers.remove(one)

    def run(self, tasks: list[tuple]) -> Iterator[tuple[Any, str, Any]]:
        """Run (key, kind, arguments) tasks — kind a worker function: "first" or "again". Yields
        (key, what became of it, the worker's result: what the kind returns)."""
        queue = deque(tasks)
        died: Counter = Counter()
        while queue or any(one.tasks for one in self.workers):
            busy = sum(1 for one in self.workers if one.tasks)
            while len(self.workers) < min(self.size, busy + len(queue)):
                self._spawn()
            for one in self.workers:
                while one.ready and queue and len(one.tasks) < DEPTH:
                    task = queue.popleft()
                    one.tasks[task[0]] = task
                    try:
                        one.connection.send(task)
                    except OSError:  # it has just died: its sentinel says so below
                        break
            handles = [h for one in self.workers for h in (one.connection, one.process.sentinel)]
            ready = set(wait(handles, self._wait()))
            lost: list[_Worker] = []
            for one in list(self.workers):
                if one.connection in ready:
                    try:
                        message = one.connection.recv()
                    except Exception:  # noqa: BLE001 — EOF, a broken pipe, a result cut short: it died
                        lost.append(one)
                        continue
                    if isinstance(message, str) and message == worker.READY:
                        one.ready, self.failed_starts = True, 0
                    elif message[0] == worker.ON:
                        one.on = message[1]
                        one.begun[one.on] = time.monotonic()
                    else:
                        _, key, result, memory = message
                        assert key in one.tasks  # a worker answers only the tasks it was given
                        del one.tasks[key]
                        one.begun.pop(key, None)
                        if one.on == key:
                            one.on = None
                        self.memory[one.process.pid or 0] = memory
                        yield key, DONE, result
                elif one.process.sentinel in ready:
                    lost.append(one)
            now = time.monotonic()
            for one in self.workers:
                if not one.ready and one not in lost and now - one.born >= STARTUP:  # hung while starting
                    lost.append(one)
            for one in lost:
                culprit, held = one.culprit(), one.tasks
                self.failed_starts += not one.ready
                self._remove(one, stop=True)
                queue.extendleft(reversed([task for key, task in held.items() if key != culprit]))
                if culprit is not None:
                    died[culprit] += 1
                    if died[culprit] < ATTEMPTS:
                        queue.appendleft(held[culprit])
                    else:
                        yield culprit, DIED, None
            if self.failed_starts >= STARTS:
                for task in [*(task for one in self.workers for task in one.tasks.values()), *queue]:
                    yield task[0], NO_WORKER, None
                queue.clear()
                self.stop()
                return
            now = time.monotonic()
            for one in list(self.workers):
                key = one.culprit()
                if self.timeout and key in one.begun and now - one.begun[key] >= self.timeout:
                    held = one.tasks
                    self._remove(one, stop=True)
                    queue.extendleft(reversed([task for other, task in held.items() if other != key]))
                    yield key, TIMEOUT, None

    def _wait(self) -> float | None:
        """How long to wait for a message: until the time of the file a worker is on is up, or a
        starting worker's."""
        ends = [one.born + STARTUP for one in self.workers if not one.ready]
        if self.timeout:
            ends += [one.begun[key] + self.timeout for one in self.workers if (key := one.culprit()) in one.begun]
        return max(0.0, min(ends) - time.monotonic()) if ends else None

    def stop(self) -> None:
        """Stop every worker, whatever it is doing (Ctrl-C): each leaves through SystemExit,
        removing a temporary file it was writing; killed if it has not after GRACE seconds."""
        for one in self.workers:
            if one.process.is_alive():
                one.process.terminate()
        deadline = time.monotonic() + GRACE
        for one in list(self.workers):
            one.process.join(max(0.0, deadline - time.monotonic()))
            self._remove(one)

    def close(self) -> None:
        """Let idle workers leave; stop any other (one still starting has written nothing)."""
        for one in self.workers:
            if not one.ready:
                one.process.terminate()
            elif not one.tasks:
                try:
                    one.connection.send(None)
                except OSError:
                    pass
        deadline = time.monotonic() + 5
        for one in list(self.workers):
            one.process.join(max(0.0, deadline - time.monotonic()))
            self._remove(one, stop=one.ready)


def start_method() -> Literal["fork", "spawn"]:
    """fork where it is safe: on Linux, from a process with no other thread (a forked child has
    only the thread that forked it: a lock another one held would stay locked in it). Else spawn."""
    return "fork" if sys.platform == "linux" and threading.active_count() == 1 else "spawn"


@dataclass
class _State:
    """What a screening has finished so far (kept when Ctrl-C ends it)."""

    rows: dict[int, SummaryRow] = field(default_factory=dict)
    again: set[int] = field(default_factory=set)  # files whose second check is under way
    comparisons: list[ComparisonRow] = field(default_factory=list)  # begun or done (Ctrl-C: those done have a page)


def screen(settings: Settings, jobs: int | None = None, progress: Progress | None = None) -> ScreenResult:
    """Screen every submission under ``settings.directory``; the run always completes, and Ctrl-C
    ends it with the summary of what finished (``interrupted``). ScreenError when the output
    folder would overwrite or screen the submissions."""
    check_output(settings.directory, settings.outdir)
    make_directory(settings.outdir)
    listing = reports_under(settings.directory, exclude=settings.outdir)
    settings.files = listing.files
    settings.names = output_names(listing.files, settings.directory)
    settings.inputs = Inputs([*listing.files, *listing.skipped])
    make_directory(settings.outdir / "reports")
    if settings.notice is not None:
        make_directory(settings.outdir / "notices")
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(settings.files) or 1))
    tick = progress or (lambda phase, done, total: None)

    state, interrupted = _State(), False
    pool = Pool(jobs, settings, settings.timeout)
    try:
        _screen(settings, pool, tick, state)
    except KeyboardInterrupt:
        interrupted = True
    except BaseException:
        pool.stop()
        raise
    # From here on Ctrl-C is noted, not raised: what finished gets its summary (a few seconds at
    # most: workers are given GRACE, idle ones leave at once).
    with _interrupts_noted() as noted:
        pool.stop() if interrupted else pool.close()
        if pool.untidy:  # a worker killed mid-write: its temporary file goes (none is being written now)
            remove_leftovers(settings.outdir, settings.names)
        sync_all()  # the workers' outputs, written without a flush each, are on disk before the summary says so
        rows = dict(zip(settings.files, _rows(settings, state)))
        rows.update(
            {path: row_for_error(path, settings.directory, reason, SKIPPED) for path, reason in listing.skipped.items()}
        )
        ordered = [rows[path] for path in sorted(rows)]
        result = ScreenResult(
            rows=ordered,
            comparisons=state.comparisons,
            summary_csv=settings.outdir / "summary.csv",
            summary_html=settings.outdir / "summary.html",
            interrupted=interrupted,
            worker_memory=list(pool.memory.values()),
        )
        inputs = settings.inputs.paths
        write_text(result.summary_csv, summary_csv(ordered), inputs, encoding="utf-8-sig")
        title = f"政府信息公开工作年度报告筛查结果：{settings.directory.name or settings.directory}"
        write_text(result.summary_html, render_summary(ordered, title, settings.config, state.comparisons), inputs)
    result.interrupted = interrupted or bool(noted)
    return result


@contextmanager
def _interrupts_noted() -> Iterator[list]:
    """Within the block, Ctrl-C is appended to the list yielded instead of raised (in the main
    thread; elsewhere signals cannot be handled and nothing changes)."""
    noted: list = []
    try:
        previous = signal.signal(signal.SIGINT, lambda signum, frame: noted.append(signum))
    except ValueError:  # not the main thread
        yield noted
        return
    try:
        yield noted
    finally:
        signal.signal(signal.SIGINT, previous)


def _rows(settings: Settings, state: _State) -> list[SummaryRow]:
    """Every file's row; those not finished (Ctrl-C) say so."""
    rows = []
    for position, path in enumerate(settings.files):
        row = state.rows.get(position)
        if row is None:
            row = row_for_error(path, settings.directory, "检查被中断，未完成", INTERRUPTED)
        elif position in state.again:
            row = row_unfinished(row, INTERRUPTED, "与同批报告比对雷同时被中断")
        rows.append(row)
    return rows


def _seconds(timeout: float | None) -> str:
    return f"{timeout:g} 秒"


def _screen(settings: Settings, pool: Pool, tick: Progress, state: _State) -> None:
    rows, files, directory = state.rows, settings.files, settings.directory
    if files:
        pool.start()  # the workers take a second or so to start (imports, rulebook, warm-up) …
        rulebook_for(settings.config.rules)  # … while this process reads the rulebook the summary grades with
    others: dict[int, OtherReport] = {}
    for position, status, done in pool.run([(n, "first", (n,)) for n in range(len(files))]):
        if status == DONE:
            rows[position] = done.row
            if done.other:
                others[position] = done.other
        elif status == TIMEOUT:
            rows[position] = row_for_error(
                files[position], directory, f"检查超过 {_seconds(settings.timeout)}未完成，已停止", TIMED_OUT
            )
        elif status == DIED:
            rows[position] = row_for_error(
                files[position], directory, "检查进程在本文件上两次异常退出，未能完成检查", CRASHED
            )
        else:
            rows[position] = row_for_error(files[position], directory, "检查进程无法启动", CRASHED)
        tick("检查", 1, len(files))
    state.again = set(others)  # Ctrl-C before the second pass: none was compared with the set
    positions = list(others)
    common = index.common_prints(list(others.values()))
    related = index.candidates(list(others.values()), common)
    tasks = [
        (positions[n], "again", (positions[n], Comparison([others[positions[j]] for j in sorted(near)], common)))
        for n, near in enumerate(related)
        if near
    ]
    state.again = {task[0] for task in tasks}
    for position, status, done in pool.run(tasks):
        if status == DONE:
            rows[position] = done
        elif status == TIMEOUT:
            rows[position] = row_unfinished(
                rows[position], TIMED_OUT, f"与同批报告比对雷同超过 {_seconds(settings.timeout)}未完成，已停止"
            )
        elif status == DIED:
            rows[position] = row_unfinished(rows[position], CRASHED, "与同批报告比对雷同时检查进程两次异常退出")
        else:
            rows[position] = row_unfinished(rows[position], CRASHED, "检查进程无法启动，未能与同批报告比对雷同")
        state.again.discard(position)
        tick("复查雷同", 1, len(tasks))
    _compare(settings, pool, tick, state)


def _compare(settings: Settings, pool: Pool, tick: Progress, state: _State) -> None:
    """Compare every two submissions of one issuer a year apart; link each page from this year's
    row, and from last year's where it has no comparison with its own year before."""
    rows = state.rows
    pairs = {("compare", *pair): comparison_row(rows[pair[0]], rows[pair[1]]) for pair in year_pairs(rows)}
    state.comparisons = list(pairs.values())
    for key, status, done in pool.run([(key, "compare", key[1:]) for key in pairs]):
        pair = pairs[key]
        if status == DONE:
            pair.page, pair.error = done.page, done.error
        elif status == TIMEOUT:
            pair.error = f"比对超过 {_seconds(settings.timeout)}未完成，已停止"
        elif status == DIED:
            pair.error = "比对时检查进程两次异常退出"
        else:
            pair.error = "检查进程无法启动"
        tick("年度比对", 1, len(pairs))
    linked = [(key[1:], pair.page) for key, pair in pairs.items() if pair.page]
    for (_, this), page in linked:
        rows[this] = rows[this].model_copy(update={"comparison": page})
    for (last, _), page in linked:
        if not rows[last].comparison:
            rows[last] = rows[last].model_copy(update={"comparison": page})
