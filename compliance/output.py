"""Writing what the checker produces: whole or not at all, and never over what it reads.

Every output goes to a temporary file in the target's own folder, is flushed to disk and renamed
into place, so a full disk, a killed process or Ctrl-C leaves the old file (or none) — never half
of one. A batch that writes hundreds of files may leave the flush to one ``sync_all`` at its end
(``durable=False``): the rename still makes each file whole or absent for every reader. A target
that is one of the run's inputs (the same file by path, symlink or hard link) is refused before
anything is written. A device or a pipe (``-o /dev/stdout``) cannot be renamed
over: it is written directly. Any failure is an ``OutputError``: one line naming the file."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from compliance.errors import ComplianceError
from compliance.i18n import _


class OutputError(ComplianceError):
    """An output that cannot be written, or would overwrite an input: names the file and why."""

    def __init__(self, path: str | Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = str(path), reason


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet): compare where they lead
        return os.path.realpath(a) == os.path.realpath(b)


def guard(target: Path, inputs: Iterable[Path | str | None]) -> None:
    """Refuse a target that is one of the inputs of the run."""
    for source in inputs:
        if source is not None and _same_file(Path(target), Path(source)):
            raise OutputError(target, _("是本次运行的输入文件（{source}），请另选输出文件").format(source=source))


def _reason(error: OSError) -> str:
    return _("无法写入（{error}）").format(error=error.strerror or type(error).__name__)


def write_bytes(target: Path | str, data: bytes, inputs: Iterable[Path | str] = (), *, durable: bool = True) -> None:
    """Write ``data`` to ``target`` whole; ``durable``: flushed to disk before it is in place (else
    the caller calls ``sync_all`` once its batch is written)."""
    target = Path(target)
    guard(target, inputs)
    try:
        mode = os.stat(target).st_mode
    except OSError:
        mode = 0
    if mode and not stat.S_ISREG(mode):  # a device, a FIFO: no rename; written as it is
        _write_through(target, data)
        return
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name[:60]}.", suffix=".part", dir=target.parent)
    except OSError as error:
        raise OutputError(target, _reason(error)) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        if mode:
            os.chmod(temporary, stat.S_IMODE(mode))  # a replaced file keeps its permissions
        else:
            os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException as error:  # Ctrl-C too: never leave the temporary file behind
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(error, OSError):
            raise OutputError(target, _reason(error)) from None
        raise


def write_text(
    target: Path | str, text: str, inputs: Iterable[Path | str] = (), encoding: str = "utf-8", *, durable: bool = True
) -> None:
    write_bytes(target, text.encode(encoding), inputs, durable=durable)


def sync_all() -> None:
    """Flush every file written so far to disk: the end of a batch written with ``durable=False``."""
    os.sync()


def _write_through(target: Path, data: bytes) -> None:
    try:
        with open(target, "wb") as stream:
            stream.write(data)
            stream.flush()
    except OSError as error:
        raise OutputError(target, _reason(error)) from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def make_directory(path: Path | str) -> None:
    try:
        Path(path).mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(
            path, _("无法创建文件夹（{error}）").format(error=error.strerror or type(error).__name__)
        ) from None
