"""What is kept between runs so that a command starts in a blink: the validated rulebook
(compliance/rulebook.py) and the report parser (compliance/parse/), each a pickle in the user's
cache folder (platformdirs: ``~/.cache/ogi-compliance`` on Linux), or in ``$COMPLIANCE_CACHE_DIR``.

An entry's file name carries its key: a digest of everything the thing was built from (the rule
files, the grammar, the code that reads them, the versions of the package, Python and the
libraries whose objects are pickled), so a change to any of them is a new key and a rebuild. A
missing, unreadable or corrupt entry is a miss too: the caller builds the thing again and stores
it. Entries are written whole (a temporary file renamed into place, compliance/output.py), so a
reader never sees half of one; a store keeps the ``KEEP`` entries of that name used last and
removes the rest. The folder is the user's own, like Python's ``__pycache__``: an entry is
trusted as code is."""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from compliance import __version__
from compliance.output import make_directory, write_bytes

ENV = "COMPLIANCE_CACHE_DIR"
KEEP = 8  # entries of one name (rulebooks of different rule packs, parsers of grammar versions)


def directory() -> Path:
    """``$COMPLIANCE_CACHE_DIR``, else the user's cache folder for the package."""
    given = os.environ.get(ENV)
    if given:
        return Path(given)
    from platformdirs import user_cache_dir  # only here: the other commands need none of it

    return Path(user_cache_dir("ogi-compliance", appauthor=False))


def key(*parts: str | bytes) -> str:
    """A digest of ``parts`` and of the versions of the package and of Python."""
    digest = hashlib.sha256(f"{__version__}\0{sys.version}\0".encode())
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def source(*paths: Path) -> bytes:
    """The bytes of source files, for a key (a change to them is a new key)."""
    return b"\0".join(path.read_bytes() for path in paths)


def _path(name: str, entry_key: str) -> Path:
    return directory() / f"{name}-{entry_key}.pickle"


def load(name: str, entry_key: str, read: Callable[[Any], Any] | None = None) -> Any | None:
    """The object stored under ``name`` and ``entry_key`` (given to ``read`` when given: what it
    returns), or None: no entry, or one that cannot be read, unpickled or ``read``."""
    path = _path(name, entry_key)
    try:
        found = pickle.loads(path.read_bytes())
        if read is not None:
            found = read(found)
    except Exception:  # noqa: BLE001 — missing, unreadable or corrupt (any error unpickling): a miss, rebuilt
        return None
    try:
        os.utime(path)  # used now: the last to be pruned
    except OSError:
        pass
    return found


def store(name: str, entry_key: str, value: Any) -> None:
    """Keep ``value`` under ``name`` and ``entry_key``; a cache that cannot be written is no error
    (the next run builds the thing again)."""
    path = _path(name, entry_key)
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        make_directory(path.parent)
        write_bytes(path, data)
    except Exception:  # noqa: BLE001 — a folder that cannot be written, a value that cannot be pickled
        return
    _prune(path.parent, name)


def _prune(folder: Path, name: str) -> None:
    """Remove the entries of ``name`` but the ``KEEP`` used last."""
    entries = []
    for path in folder.glob(f"{name}-*.pickle"):
        try:
            entries.append((path.stat().st_mtime, path))
        except OSError:  # removed meanwhile by another process
            continue
    for _, path in sorted(entries, reverse=True)[KEEP:]:
        try:
            path.unlink()
        except OSError:
            pass
