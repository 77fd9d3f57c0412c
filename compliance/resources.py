"""Where the data directories are (inside the installed package, a wheel, or at the repo top),
and reading their YAML files into models, with errors that name the file and the field."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from compliance.errors import RuleFileError

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


# libyaml's loader where PyYAML was built with it (the wheels are): the same data as the pure-Python
# SafeLoader (every YAML file of the repository reads the same), about seven times faster.
_LOADER: type[yaml.SafeLoader] | type[yaml.CSafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path):
    """The content of a YAML data file, or a ``RuleFileError`` naming it."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # a safe loader, C or Python
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise RuleFileError(str(path), f"cannot read: {error}".splitlines()[0]) from None


def validated(model: type[Model], path: Path, data, rule: str | None = None) -> Model:
    """``data`` (read from ``path``) as ``model``; the error names the file, rule and field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or None
        raise RuleFileError(str(path), first["msg"], rule=rule, field=where) from None


def read_model(path: Path, model: type[Model]) -> Model:
    """A YAML data file read and validated as ``model``."""
    return validated(model, path, read_yaml(path))
