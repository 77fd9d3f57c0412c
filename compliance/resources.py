"""Where the data directories are: inside the installed package (a wheel) or at the repo top."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@cache
def data_dir(name: str) -> Path:
    """``rules`` or ``grammars``: the wheel carries them as compliance/_data/<name>; an editable
    install or a checkout finds them at the top of the tree."""
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"data directory {name!r} not found beside the compliance package")


def rules_dir() -> Path:
    return data_dir("rules")


def grammar_path(name: str) -> Path:
    return data_dir("grammars") / name


def schema_path(name: str) -> Path:
    return _PACKAGE / "schemas" / name
