"""The checks of uploaded drafts, in a pool of worker processes, and the batches they belong to.

A bounded ``ProcessPoolExecutor`` runs each draft's check (spawned workers: the server has threads,
and a forked copy of them is no safe start); a check has a time limit (an alarm in the worker) and
whatever goes wrong becomes that draft's error — a message, never an exception sent back (some do
not survive the trip) — and the server goes on. A worker that dies fails its drafts and the pool
is made anew for the next ones. The server's thread that collects results calls the batch's ``finish``
with each, which records it and says where its page is; a batch's progress is read from memory by the
page that polls it."""

from __future__ import annotations

import multiprocessing
import secrets
import signal
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from compliance.errors import ComplianceError
from compliance.i18n import _
from compliance.workspace.data.checking import CheckResult, check_draft
from compliance.workspace.data.store import DraftStore

KEPT_BATCHES = 200  # the batches whose progress the server remembers


class CheckTimeout(Exception):
    pass


def _expire(signum, frame) -> None:
    raise CheckTimeout


def within(seconds: float, task: Callable[..., Any], *args: Any) -> tuple[bool, Any]:
    """In the worker: ``(True, task(*args))``, or ``(False, why)`` when it fails or runs longer than
    ``seconds``."""
    previous = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return True, task(*args)
    except CheckTimeout:
        return False, _("检查超过 {seconds:g} 秒，已停止").format(seconds=seconds)
    except ComplianceError as error:
        return False, str(error)
    except Exception as error:  # noqa: BLE001  (any failure of one draft is its error, not the server's)
        return False, _("检查失败（{error}）").format(error=f"{type(error).__name__}: {error}")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Item:
    name: str
    state: str = "queued"  # queued, done, failed
    error: str | None = None
    link: str | None = None  # the page of its result


@dataclass
class Batch:
    id: str
    items: list[Item]
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def progress(self) -> dict[str, Any]:
        finished = sum(item.state != "queued" for item in self.items)
        return {
            "total": len(self.items),
            "finished": finished,
            "failed": sum(item.state == "failed" for item in self.items),
            "items": [vars(item) for item in self.items],
        }


Finish = Callable[[tuple, Any, str | None], tuple[str, str | None]]


class Jobs:
    """``task(*args)`` runs in a worker; the batch's ``finish(args, result, error)`` in the server
    records its result (or its error: then result is None) and returns the link to its page and
    the error the result itself holds (a draft that could not be checked), if any."""

    def __init__(self, workers: int, seconds: float, task: Callable[..., Any]):
        self.workers, self.seconds, self.task = workers, seconds, task
        self._lock = threading.Lock()
        self._batches: OrderedDict[str, Batch] = OrderedDict()
        self._pool: ProcessPoolExecutor | None = None

    def _start(self, args: tuple) -> Future:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
        try:
            return self._pool.submit(within, self.seconds, self.task, *args)
        except BrokenProcessPool:  # a worker died since the last batch: a new pool for this one
            self._pool.shutdown(wait=False)
            self._pool = None
            return self._start(args)

    def submit(
        self, names_and_args: list[tuple[str, tuple]], finish: Finish, skipped: Iterable[tuple[str, str]] = ()
    ) -> Batch:
        batch = Batch(secrets.token_hex(8), [Item(name) for name, _args in names_and_args], list(skipped))
        with self._lock:
            self._batches[batch.id] = batch
            while len(self._batches) > KEPT_BATCHES:
                self._batches.popitem(last=False)
            for item, (_name, args) in zip(batch.items, names_and_args, strict=True):
                future = self._start(args)
                future.add_done_callback(partial(self._done, item, args, finish))
        return batch

    def _done(self, item: Item, args: tuple, finish: Finish, future: Future) -> None:
        try:
            ok, result = future.result()
        except BrokenProcessPool:
            ok, result = False, _("检查进程意外退出")
        except Exception as error:  # noqa: BLE001  (cancelled at shutdown, or a result that cannot come back)
            ok, result = False, _("检查失败（{error}）").format(error=type(error).__name__)
        try:
            item.link, said = finish(args, result if ok else None, None if ok else result)
            item.error = said if ok else result
            ok = ok and said is None
        except ComplianceError as error:
            ok, item.error = False, str(error)
        except Exception as error:  # noqa: BLE001  (recording failed: the draft says why, the server goes on)
            ok, item.error = False, _("无法保存检查结果（{error}）").format(error=type(error).__name__)
        item.state = "done" if ok else "failed"

    def batch(self, batch_id: str) -> Batch | None:
        with self._lock:
            return self._batches.get(batch_id)

    def close(self) -> None:
        """Drop the drafts not started, wait for those being checked (the time limit bounds it):
        a pool left without waiting leaves its workers running after the server."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


def check_stored(root: str, sha: str, filename: str) -> CheckResult:
    """In the worker: check the draft stored under ``sha`` (its bytes read there, not sent over)."""
    return check_draft(DraftStore(Path(root)).get(sha), filename)
