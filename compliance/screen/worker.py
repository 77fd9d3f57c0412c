"""Screening, one report at a time — what each worker process runs.

Workers are separate processes, each with its own rulebook and rules-engine host (durable-rules
keeps per-process state), kept for the whole screening: forked from the screening process, which
loads them once for all (compliance/screen ``start_method``), or spawned, each loading its own.
Settings arrive once per process (``start``); ``serve`` then takes files from the screening
process, which sends the next ones ahead so that a worker never waits for it. A failure of one
file, expected (unreadable input) or not, becomes that file's row: a batch never stops for one
file.

Two threads: the main one checks a file and renders its outputs, then hands them to the writer
thread and goes on to the next file while the writer writes them (each whole, renamed into place:
compliance/output.py; flushed to disk by the screening process once all are written) and answers
with the file's result. The main thread says which file it is on ("on", key) as it starts one,
so the screening process knows which file a worker is on — to stop it after the time limit, or to
retry it when the worker dies — and a file's result comes back only once its outputs are written.

A worker ignores Ctrl-C (the screening process decides what to do with it) and leaves on
SIGTERM through ``SystemExit``: the writer finishes the write under way (whole, renamed into
place) and writes nothing more, so a stopped worker leaves no partial file."""

from __future__ import annotations

import gc
import importlib
import os
import queue
import resource
import signal
import stat
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compliance.annotate import review_copy
from compliance.compare import compare_sources
from compliance.errors import ComplianceError, InputError, NotAReport
from compliance.facts.duplicates import Comparison, OtherReport
from compliance.grade import fails
from compliance.i18n import _
from compliance.load import load_bytes
from compliance.models.config import Config, Overrides
from compliance.models.findings import Report
from compliance.models.notice import NoticeOptions
from compliance.models.source import Source
from compliance.output import guard, make_directory, write_bytes
from compliance.pipeline import check_and_fingerprint, check_source
from compliance.render.comparison import render_comparison
from compliance.render.html import render_html
from compliance.render.notice import NoticeError, write_notice
from compliance.rulebook import Rulebook, rulebook_for
from compliance.screen.files import Inputs, inside
from compliance.screen.summary import NOT_A_REPORT, UNREADABLE, SummaryRow, row_for, row_for_error

# Test-only: "module:function" called with (path, pass) before each file is read, in the worker
# (tests/screen/screen_hooks.py makes a file hang or its worker die).
HOOK = "COMPLIANCE_SCREEN_TEST_HOOK"
# What a worker sends: READY once started; (ON, key) as it starts a file; (DONE, key, result, peak
# memory in bytes) once the file's outputs are written.
READY = "ready"
ON = "on"
DONE = "done"
GC_THRESHOLD = 10_000  # allocations between young-generation collections (Python's default: 700)


REVIEWS = "reviews"  # review copies, under the output folder: reviews/<output name> (the submission's own name)
COMPARISONS = "comparisons"  # year-over-year comparisons: comparisons/<this year's output name>.html


@dataclass
class Review:
    """``screen --annotate``: a review copy of every .docx submission — the draft with its findings
    as Word comments and their edits as tracked changes (compliance/annotate)."""

    author: str
    initials: str
    unsafe: bool = False


@dataclass
class Settings:
    directory: Path
    outdir: Path
    config: Config
    overrides: Overrides
    keypoints: list | None = None  # compliance.models.checklist.Checklist
    html: bool = True
    notice: NoticeOptions | None = (
        None  # write correction notices for failing reports (addressee: each report's issuer)
    )
    notice_format: str = "docx"
    review: Review | None = None
    timeout: float | None = 60.0  # seconds one file may take before its worker is stopped (None: no limit)
    # Filled in by compliance.screen.screen:
    files: list[Path] = field(default_factory=list)  # the submissions checked, in order
    names: list[str] = field(default_factory=list)  # each one's output name (compliance.screen.files.output_names)
    inputs: Inputs | None = None  # every submission, skipped ones too: no write may land on one


@dataclass
class Compared:
    """A year-over-year comparison of two submissions of one issuer: the page written (relative to
    the output folder), or why there is none."""

    page: str = ""
    error: str = ""


@dataclass
class First:
    """The first pass over one file: its row, and its part fingerprints (None when unreadable)."""

    index: int
    row: SummaryRow
    other: OtherReport | None = None


_settings: Settings | None = None
_rulebook: Rulebook | None = None  # the shipped rules and the configuration's rule packs
_hook = None
_root = ""


def start(settings: Settings) -> None:
    global _settings, _rulebook, _hook, _root
    _settings = settings
    _rulebook = rulebook_for(settings.config.rules)
    _root = os.path.realpath(settings.directory)
    if settings.inputs is None:
        settings.inputs = Inputs(settings.files)
    spec = os.environ.get(HOOK)
    if spec:
        module, _, function = spec.partition(":")
        _hook = getattr(importlib.import_module(module), function)


_WARM_UP = (
    "某某局2021年政府信息公开工作年度报告\n一、总体情况\n"
    "2021年，本局认真贯彻落实《中华人民共和国政府信息公开条例》，推进政府信息公开工作。\n"
)


def _started() -> tuple[Settings, Rulebook]:
    """The settings and rulebook start() set in this worker."""
    assert _settings is not None and _rulebook is not None, "start() runs first"
    return _settings, _rulebook


def warm_up() -> None:
    """Load the rulebook, grammar and rules engine on a small text, before the first file: the
    time limit measures a file, not the worker's start."""
    try:
        settings, rulebook = _started()
        check_source(
            load_bytes(_WARM_UP.encode("utf-8"), "warm-up.txt"),
            settings.config,
            settings.overrides,
            rulebook,
            keypoints=settings.keypoints,
            comparison=Comparison([]),
        )
    except Exception:  # noqa: BLE001, S110 — the first file will meet the same failure and say it
        pass


def _leave(signum, frame) -> None:
    raise SystemExit(128 + signum)


def _status(field: bytes) -> int | None:
    """A memory figure of Linux's /proc/self/status (``VmHWM``, ``VmRSS``), in bytes; None elsewhere."""
    try:
        with open("/proc/self/status", "rb") as status:
            for line in status:
                if line.startswith(field + b":"):
                    return int(line.split()[1]) * 1024  # kB
    except (OSError, ValueError, IndexError):
        pass
    return None


def peak_memory() -> int:
    """This process's peak resident memory so far, in bytes: Linux's VmHWM, where getrusage's
    ru_maxrss would count the screening process's size when it forked this worker (kept through
    the exec); elsewhere ru_maxrss."""
    peak = _status(b"VmHWM")
    if peak is not None:
        return peak
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024  # Linux counts KiB


def resident_memory() -> int:
    """This process's resident memory now, in bytes (0 where Linux's figure is not at hand)."""
    return _status(b"VmRSS") or 0


Finish = Callable[[], Any]  # writes a checked file's outputs and gives its result


class _Writer:
    """The worker's writer thread: writes each checked file's outputs and sends its result, in the
    order the files were checked, while the main thread checks the next one. It holds one file
    waiting at most (``put`` blocks until it takes it), so a worker holds three files at most."""

    def __init__(self, send: Callable[[tuple], None], inherited: int = 0):
        self._send = send
        self._inherited = inherited  # bytes resident at the start, shared with the process that forked this one
        self._waiting: queue.Queue[tuple[Any, Finish] | None] = queue.Queue(maxsize=1)
        self._stopping = False
        # A daemon: if SIGTERM comes before close() could be reached (as the thread starts), an
        # idle writer must not keep the process alive; close() joins it, so no write is cut.
        self._thread = threading.Thread(target=self._run, name="screen-writer", daemon=True)
        self._thread.start()

    def put(self, key: Any, finish: Finish) -> None:
        self._waiting.put((key, finish))

    def _run(self) -> None:
        gone = False  # the screening process is: nothing more to send
        while (item := self._waiting.get()) is not None:
            if self._stopping or gone:
                continue
            key, finish = item
            try:
                result = finish()  # never raises: a failure is the file's row
                self._send((DONE, key, result, peak_memory() - self._inherited))
            except (OSError, EOFError, ValueError):  # a broken pipe, a closed connection
                gone = True
            except BaseException:  # noqa: BLE001 — a bug: the worker dies, the screening process retries its file
                traceback.print_exc()
                os._exit(70)

    def close(self) -> None:
        """Write nothing more (a write under way finishes) and end the thread."""
        self._stopping = True
        self._waiting.put(None)
        self._thread.join()


def serve(connection, settings: Settings, forked: bool = False) -> None:
    """A worker process: set up, say READY, then check the files the screening process sends —
    (key, "first" or "again", arguments) — until None or the screening process is gone; then
    leave at once (every output is written and closed: the interpreter's teardown, a tenth of
    a second or more, would only keep the screening process waiting). ``forked``: a copy of the
    screening process, whose memory it shares (its peak memory is said without it)."""
    _serve(connection, settings, resident_memory() if forked else 0)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _serve(connection, settings: Settings, inherited: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # blocked while the process started
    signal.signal(signal.SIGTERM, _leave)
    start(settings)
    warm_up()
    # What is loaded by now (modules, rulebook, grammar, rules engine) lives as long as the
    # worker: the cyclic garbage collector need not walk it again and again (gc.freeze), and it
    # runs less often (a report makes some hundred thousand objects, few in cycles). Collection
    # per report: 2.4-3.3 ms -> 0.5-0.9 ms; peak memory unchanged.
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, 10, 10)
    connection.send(READY)
    lock = threading.Lock()  # two threads send: one message at a time

    def send(message: tuple) -> None:
        with lock:
            connection.send(message)

    writer = _Writer(send, inherited)
    try:
        while True:
            try:
                task = connection.recv()
            except (EOFError, OSError):
                return
            if task is None:
                return
            key, kind, arguments = task
            send((ON, key))
            writer.put(key, KINDS[kind](*arguments))
    except (OSError, EOFError):  # the screening process is gone
        return
    finally:
        writer.close()


def _reason(error: Exception) -> str:
    """What the row says of a file that could not be checked (its path is the row's first column)."""
    if isinstance(error, InputError):
        return error.reason
    if isinstance(error, ComplianceError):
        return str(error)
    # A bug must not end a batch of hundreds: the file's row names it.
    return _("内部错误（{kind}：{error}）").format(kind=type(error).__name__, error=error)


def _grade(error: Exception) -> str:
    return NOT_A_REPORT if isinstance(error, NotAReport) else UNREADABLE


def _read(path: Path) -> tuple[bytes, Source]:
    """Read and load a submission, reading nothing outside the screened folder: the file is opened
    where its links resolve to, after checking that this is inside the folder, without following
    a link swapped in since, and only if it is a regular file."""
    name = str(path)
    real = os.path.realpath(path)
    if not inside(real, _root):
        raise InputError(name, _("符号链接指向检查文件夹之外（{target}），未读取").format(target=real))
    try:
        handle = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise InputError(name, _("文件不存在")) from None
    except PermissionError:
        raise InputError(name, _("没有读取权限")) from None
    except OSError as error:
        raise InputError(name, _("无法读取（{error}）").format(error=error.strerror or type(error).__name__)) from None
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise InputError(name, _("不是普通文件"))
        with os.fdopen(handle, "rb", closefd=False) as stream:
            data = stream.read()
    except OSError as error:
        raise InputError(name, _("无法读取（{error}）").format(error=error.strerror or type(error).__name__)) from None
    finally:
        os.close(handle)
    return data, load_bytes(data, name)


def first(index: int) -> Finish:
    """Check a file as if it shared nothing with the set (the usual case) and fingerprint it; what
    writes its outputs and gives its First."""
    settings, rulebook = _started()
    path, name = settings.files[index], settings.names[index]
    try:
        if _hook:
            _hook(path, "first")
        data, source = _read(path)
        report, other = check_and_fingerprint(
            source,
            settings.config,
            settings.overrides,
            settings.keypoints,
            comparison=Comparison([]),
            rulebook=rulebook,
        )
        rendered = _render(report, data, source, name, settings, rulebook)
    except Exception as error:  # noqa: BLE001 — see _reason
        failed = First(index, row_for_error(path, settings.directory, _reason(error), _grade(error)))
        return lambda: failed

    def finish() -> First:
        try:
            notice = _write(rendered, report, name, settings)
            row = row_for(path, settings.directory, report, name, settings, notice, rendered.review, rendered.problem)
            return First(index, row, other)
        except Exception as error:  # noqa: BLE001 — see _reason
            return First(index, row_for_error(path, settings.directory, _reason(error), _grade(error)))

    return finish


def again(index: int, comparison: Comparison) -> Finish:
    """Check a file again, against the reports of the set it may share a copied part with; what
    writes its outputs and gives its row."""
    settings, rulebook = _started()
    path, name = settings.files[index], settings.names[index]
    try:
        if _hook:
            _hook(path, "again")
        data, source = _read(path)
        report = check_source(
            source,
            settings.config,
            settings.overrides,
            rulebook,
            keypoints=settings.keypoints,
            comparison=comparison,
        )
        rendered = _render(report, data, source, name, settings, rulebook)
    except Exception as error:  # noqa: BLE001 — see _reason
        failed = row_for_error(path, settings.directory, _reason(error), _grade(error))
        return lambda: failed

    def finish() -> SummaryRow:
        try:
            notice = _write(rendered, report, name, settings)
            return row_for(path, settings.directory, report, name, settings, notice, rendered.review, rendered.problem)
        except Exception as error:  # noqa: BLE001 — see _reason
            return row_for_error(path, settings.directory, _reason(error), _grade(error))

    return finish


def compared(last: int, this: int) -> Finish:
    """Compare two submissions of one issuer a year apart (``last``, ``this``: their positions);
    what writes the page and gives its Compared."""
    settings, rulebook = _started()
    try:
        earlier, later = (_read(settings.files[n])[1] for n in (last, this))
        page = render_comparison(compare_sources(earlier, later, rulebook), "html")
    except Exception as error:  # noqa: BLE001 — see _reason
        failed = Compared(error=_reason(error))
        return lambda: failed
    relative = f"{COMPARISONS}/{settings.names[this]}.html"

    def finish() -> Compared:
        try:
            _put(settings.outdir / relative, page, settings)
            return Compared(page=relative)
        except Exception as error:  # noqa: BLE001 — see _reason
            return Compared(error=_reason(error))

    return finish


KINDS: dict[str, Callable[..., Finish]] = {"first": first, "again": again, "compare": compared}


def _put(target: Path, content: str | bytes, settings: Settings) -> None:
    make_directory(target.parent)
    assert settings.inputs is not None  # start() sets it
    data = content.encode("utf-8") if isinstance(content, str) else content
    write_bytes(target, data, settings.inputs.against(target), durable=False)  # the screening process syncs at its end


@dataclass
class Rendered:
    """A checked report's outputs as (target, content), and with --annotate its review copy's path
    relative to the output folder, or why it could not be made (the check's own outputs stand)."""

    outputs: list[tuple[Path, str | bytes]]
    review: str = ""
    problem: str = ""


def _render(report: Report, data: bytes, source: Source, name: str, settings: Settings, rulebook: Rulebook) -> Rendered:
    """reports/<name>.json and .html, and with --annotate the review copy of a .docx (reviews/<name>)."""
    reports = settings.outdir / "reports"
    rendered = Rendered([(reports / f"{name}.json", report.model_dump_json(indent=2))])
    if settings.html:
        rendered.outputs.append((reports / f"{name}.html", render_html(report, source.text)))
    review = settings.review
    if review is None or source.format != "docx":
        return rendered
    try:
        copy = review_copy(
            data,
            source,
            report,
            author=review.author,
            initials=review.initials,
            unsafe=review.unsafe,
            config=settings.config,
            overrides=settings.overrides,
            rulebook=rulebook,
        )
    except Exception as error:  # noqa: BLE001 — see _reason; the check is done and its outputs are written
        rendered.problem = _("未能写出批注稿（{reason}）").format(reason=_reason(error))
        return rendered
    rendered.outputs.append((settings.outdir / REVIEWS / name, copy.data))
    rendered.review = f"{REVIEWS}/{name}"
    return rendered


def _write(rendered: Rendered, report: Report, name: str, settings: Settings) -> str:
    """Write the report's outputs and, if it fails, its notice; the notice's path relative to the
    output folder, or ""."""
    for target, content in rendered.outputs:
        _put(target, content, settings)
    if settings.notice is None or not fails(
        report.summary, rulebook_for(settings.config.rules).grading, settings.config
    ):
        return ""
    options = settings.notice.model_copy(update={"addressee": report.document.issuer or settings.notice.addressee})
    relative = f"notices/{name}.{'md' if settings.notice_format == 'markdown' else 'docx'}"
    target = settings.outdir / relative
    make_directory(target.parent)
    assert settings.inputs is not None  # start() sets it
    guard(target, settings.inputs.against(target))  # write_notice guards the report's own file only
    try:
        write_notice(report, options, target, settings.notice_format)
    except NoticeError:  # nothing reaches the notice's severity: no notice to send
        return ""
    return relative
