"""Batch screening (``compliance screen DIR -o OUTDIR``): every submission under a folder, checked in
parallel processes, with per-report JSON/HTML, ``summary.csv``, ``summary.html`` and, on request,
correction notices for the reports that fail.

Two passes, because DUP-BOILERPLATE compares each report with the whole set: (1) check every file
as if it shared nothing with the set, writing its outputs, and fingerprint its parts; (2) index
the fingerprints to find the reports that may share a copied part (index.py) and check those
again with the others as their comparison. In a real set few reports are candidates, so the
second pass is short."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from pydantic import BaseModel

from compliance.facts.duplicates import Comparison, OtherReport
from compliance.screen import index, worker
from compliance.screen.files import Inputs, ScreenError, check_output, output_names, submissions
from compliance.output import make_directory, write_text
from compliance.screen.summary import SKIPPED, SummaryRow, render_summary, row_for_error, summary_csv
from compliance.screen.worker import Settings

__all__ = ["ScreenError", "ScreenResult", "Settings", "screen"]


class ScreenResult(BaseModel):
    rows: list[SummaryRow]
    summary_csv: Path
    summary_html: Path


Progress = Callable[[str, int, int], None]  # (pass, files done in this step, files in all)


@contextmanager
def _workers(jobs: int, settings: Settings) -> Iterator[Callable[..., Iterable]]:
    """A map over worker processes (one pool for both passes), or in this process when ``jobs`` is 1."""
    if jobs <= 1:
        worker.start(settings)
        yield lambda function, arguments: (function(*a) for a in arguments)
        return
    # spawn: a forked child would share the parent's rules-engine state (engines.md).
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=worker.start, initargs=(settings,)) as pool:

        def mapped(function, arguments: list[tuple]) -> Iterable:
            if not arguments:
                return iter(())
            return pool.map(function, *zip(*arguments), chunksize=max(1, len(arguments) // (jobs * 8)))

        yield mapped


def screen(settings: Settings, jobs: int | None = None, progress: Progress | None = None) -> ScreenResult:
    """Screen every submission under ``settings.directory``; the run always completes. ScreenError
    when the output folder would overwrite or screen the submissions."""
    check_output(settings.directory, settings.outdir)
    make_directory(settings.outdir)
    listing = submissions(settings.directory, exclude=settings.outdir)
    settings.files = listing.files
    settings.names = output_names(listing.files, settings.directory)
    settings.inputs = Inputs([*listing.files, *listing.skipped])
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(settings.files) or 1))
    make_directory(settings.outdir / "reports")
    if settings.notice is not None:
        make_directory(settings.outdir / "notices")
    tick = progress or (lambda phase, done, total: None)

    with _workers(jobs, settings) as mapped:
        checked = _screen(settings, mapped, tick)
    rows = {settings.files[i]: checked[i] for i in range(len(settings.files))}
    rows.update({path: row_for_error(path, settings.directory, reason, SKIPPED) for path, reason in listing.skipped.items()})
    ordered = [rows[path] for path in sorted(rows)]
    result = ScreenResult(rows=ordered, summary_csv=settings.outdir / "summary.csv", summary_html=settings.outdir / "summary.html")
    write_text(result.summary_csv, summary_csv(ordered), settings.inputs.paths, encoding="utf-8-sig")
    title = f"政府信息公开工作年度报告筛查结果：{settings.directory.name or settings.directory}"
    write_text(result.summary_html, render_summary(ordered, title, settings.config), settings.inputs.paths)
    return result


CRASHED = "检查进程异常退出，未能完成本文件的检查"


def _results(mapped, function, arguments: list[tuple]) -> Iterator[tuple[tuple, object]]:
    """(arguments, result) pairs in order; after a worker process dies (a crash in native code)
    the rest come back as ``None`` rather than ending the batch."""
    results = mapped(function, arguments)
    for position, argument in enumerate(arguments):
        try:
            yield argument, next(results)
        except BrokenProcessPool:
            yield from ((rest, None) for rest in arguments[position:])
            return


def _screen(settings: Settings, mapped, tick: Progress) -> dict[int, SummaryRow]:
    rows: dict[int, SummaryRow] = {}
    others: dict[int, OtherReport] = {}
    for (position,), done in _results(mapped, worker.first, [(n,) for n in range(len(settings.files))]):
        rows[position] = done.row if done else row_for_error(settings.files[position], settings.directory, CRASHED)
        if done and done.other:
            others[position] = done.other
        tick("检查", 1, len(settings.files))
    positions = list(others)
    common = index.common_prints(list(others.values()))
    related = index.candidates(list(others.values()), common)
    arguments = [
        (positions[n], Comparison([others[positions[j]] for j in sorted(near)], common))
        for n, near in enumerate(related) if near
    ]
    for (position, *_), row in _results(mapped, worker.again, arguments):
        rows[position] = row or row_for_error(settings.files[position], settings.directory, CRASHED)
        tick("复查雷同", 1, len(arguments))
    return rows
