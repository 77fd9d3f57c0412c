"""Screening, one report at a time — what each worker process runs.

Workers are separate processes, each with its own rulebook and rules-engine host (durable-rules
keeps per-process state). Settings arrive once per process (``start``); ``serve`` then takes one
file at a time from the screening process and answers with its result, so the screening process
always knows which file a worker is on (to stop it after the time limit, or to retry it when
the worker dies). A failure of one file, expected (unreadable input) or not, becomes that file's
row: a batch never stops for one file.

A worker ignores Ctrl-C (the screening process decides what to do with it) and leaves on
SIGTERM through ``SystemExit``, so a write under way removes its temporary file
(compliance/output.py): a stopped worker leaves no partial file."""

from __future__ import annotations

import importlib
import os
import signal
import stat
from dataclasses import dataclass, field
from pathlib import Path

from compliance.errors import ComplianceError, InputError, NotAReport
from compliance.facts.duplicates import Comparison, OtherReport
from compliance.grade import fails
from compliance.load import load_bytes
from compliance.models.config import Config, Overrides
from compliance.models.findings import Report
from compliance.models.notice import NoticeOptions
from compliance.models.source import Source
from compliance.output import guard, make_directory, write_text
from compliance.pipeline import check_and_fingerprint, check_source
from compliance.render.html import render_html
from compliance.render.notice import NoticeError, write_notice
from compliance.rulebook import Rulebook, rulebook_for
from compliance.screen.files import Inputs, inside
from compliance.screen.summary import NOT_A_REPORT, UNREADABLE, SummaryRow, row_for, row_for_error

# Test-only: "module:function" called with (path, pass) before each file is read, in the worker
# (tests/screen/screen_hooks.py makes a file hang or its worker die).
HOOK = "COMPLIANCE_SCREEN_TEST_HOOK"
READY = "ready"


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
    timeout: float | None = 60.0  # seconds one file may take before its worker is stopped (None: no limit)
    # Filled in by compliance.screen.screen:
    files: list[Path] = field(default_factory=list)  # the submissions checked, in order
    names: list[str] = field(default_factory=list)  # each one's output name (compliance.screen.files.output_names)
    inputs: Inputs | None = None  # every submission, skipped ones too: no write may land on one


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


def serve(connection, settings: Settings) -> None:
    """A worker process: set up, say READY, then check one file per message — ("first", args) or
    ("again", args) — answering with its result, until None or the screening process is gone."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # blocked while the process started
    signal.signal(signal.SIGTERM, _leave)
    start(settings)
    warm_up()
    connection.send(READY)
    while True:
        try:
            task = connection.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        kind, arguments = task
        connection.send(first(*arguments) if kind == "first" else again(*arguments))


def _reason(error: Exception) -> str:
    """What the row says of a file that could not be checked (its path is the row's first column)."""
    if isinstance(error, InputError):
        return error.reason
    if isinstance(error, ComplianceError):
        return str(error)
    # A bug must not end a batch of hundreds: the file's row names it.
    return f"internal error ({type(error).__name__}: {error})"


def _grade(error: Exception) -> str:
    return NOT_A_REPORT if isinstance(error, NotAReport) else UNREADABLE


def _read(path: Path) -> Source:
    """Load a submission, reading nothing outside the screened folder: the file is opened where
    its links resolve to, after checking that this is inside the folder, without following a
    link swapped in since, and only if it is a regular file."""
    name = str(path)
    real = os.path.realpath(path)
    if not inside(real, _root):
        raise InputError(name, f"符号链接指向检查文件夹之外（{real}），未读取")
    try:
        handle = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise InputError(name, "no such file") from None
    except PermissionError:
        raise InputError(name, "permission denied") from None
    except OSError as error:
        raise InputError(name, f"cannot read ({error.strerror or type(error).__name__})") from None
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise InputError(name, "not a regular file")
        with os.fdopen(handle, "rb", closefd=False) as stream:
            data = stream.read()
    except OSError as error:
        raise InputError(name, f"cannot read ({error.strerror or type(error).__name__})") from None
    finally:
        os.close(handle)
    return load_bytes(data, name)


def first(index: int) -> First:
    """Check a file as if it shared nothing with the set (the usual case) and fingerprint it."""
    settings, rulebook = _started()
    path, name = settings.files[index], settings.names[index]
    try:
        if _hook:
            _hook(path, "first")
        source = _read(path)
        report, other = check_and_fingerprint(
            source,
            settings.config,
            settings.overrides,
            settings.keypoints,
            comparison=Comparison([]),
            rulebook=rulebook,
        )
        notice = _write(report, source, name, settings)
        return First(index, row_for(path, settings.directory, report, name, settings, notice), other)
    except Exception as error:  # noqa: BLE001 — see _reason
        return First(index, row_for_error(path, settings.directory, _reason(error), _grade(error)))


def again(index: int, comparison: Comparison) -> SummaryRow:
    """Check a file again, against the reports of the set it may share a copied part with."""
    settings, rulebook = _started()
    path, name = settings.files[index], settings.names[index]
    try:
        if _hook:
            _hook(path, "again")
        source = _read(path)
        report = check_source(
            source,
            settings.config,
            settings.overrides,
            rulebook,
            keypoints=settings.keypoints,
            comparison=comparison,
        )
        notice = _write(report, source, name, settings)
        return row_for(path, settings.directory, report, name, settings, notice)
    except Exception as error:  # noqa: BLE001 — see _reason
        return row_for_error(path, settings.directory, _reason(error), _grade(error))


def _put(target: Path, text: str, settings: Settings) -> None:
    make_directory(target.parent)
    assert settings.inputs is not None  # start() sets it
    write_text(target, text, settings.inputs.against(target))


def _write(report: Report, source: Source, name: str, settings: Settings) -> str:
    """Write the report's outputs; the notice's path relative to the output folder, or ""."""
    reports = settings.outdir / "reports"
    _put(reports / f"{name}.json", report.model_dump_json(indent=2), settings)
    if settings.html:
        _put(reports / f"{name}.html", render_html(report, source.text), settings)
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
