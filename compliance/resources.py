"""Where the data directories are (inside the installed package, a wheel, or at the repo top),
and reading their YAML files into models, with errors that name the file and the field. A file
read into a model is kept validated in the cache folder (compliance/cache.py): the next process
unpickles it rather than parse and validate it again (and needs no YAML library to do so)."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path
from typing import TypeVar

import pydantic
from pydantic import BaseModel, ValidationError

from compliance import cache as disk_cache
from compliance.errors import RuleFileError
from compliance.i18n import _

Model = TypeVar("Model", bound=BaseModel)

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


def cannot_read(error: Exception) -> str:
    """The reason a data file could not be read: the first line of ``error``."""
    return _("无法读取：{error}").format(error=error).splitlines()[0]


def read_yaml(path: Path):
    """The content of a YAML data file, or a ``RuleFileError`` naming it."""
    try:
        return parse_yaml(path.read_bytes(), path)
    except OSError as error:
        raise RuleFileError(str(path), cannot_read(error)) from None


def parse_yaml(data: bytes, path: Path):
    """The content of a YAML file's bytes, or a ``RuleFileError`` naming it. libyaml's loader where
    PyYAML was built with it (the wheels are): the same data as the pure-Python SafeLoader (every
    YAML file of the repository reads the same), about seven times faster."""
    import yaml  # only here: a run whose data files are all in the cache reads no YAML

    try:
        return yaml.load(data.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # a safe loader
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        raise RuleFileError(str(path), cannot_read(error)) from None


def validated(model: type[Model], path: Path, data, rule: str | None = None) -> Model:
    """``data`` (read from ``path``) as ``model``; the error names the file, rule and field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or None
        raise RuleFileError(str(path), first["msg"], rule=rule, field=where) from None


@cache
def _code(module: str) -> bytes:
    """The source of the code that validates a data file: the model's module, the models it may
    use, this module."""
    models = sorted((_PACKAGE / "models").glob("*.py"))
    return disk_cache.source(Path(sys.modules[module].__file__ or __file__), Path(__file__), *models)


def read_model(path: Path, model: type[Model]) -> Model:
    """A YAML data file read and validated as ``model``: kept in the cache folder under a key of
    its path and content, of the model's code and of pydantic's version."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise RuleFileError(str(path), cannot_read(error)) from None
    entry_key = disk_cache.key(str(path), data, model.__qualname__, _code(model.__module__), pydantic.VERSION)
    name = f"data-{path.stem}"
    kept = disk_cache.load(name, entry_key)
    if isinstance(kept, model):
        return kept
    value = validated(model, path, parse_yaml(data, path))
    disk_cache.store(name, entry_key, value)
    return value
