"""Configuration files: ``[tool.compliance]`` in a pyproject.toml, or a compliance.toml.

The nearest file from the working directory upwards wins; ``--config`` names one explicitly."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from compliance.errors import ConfigError
from compliance.i18n import _
from compliance.models.config import Config

CONFIG_FILES = ("compliance.toml", ".compliance.toml", "pyproject.toml")


def _table(path: Path) -> dict | None:
    import tomllib  # here: a run with no configuration file near it parses no TOML

    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: " + _("无法读取配置：{error}").format(error=error)) from error
    if path.name == "pyproject.toml":
        return data.get("tool", {}).get("compliance")
    return data.get("tool", {}).get("compliance", data)


def find_config(start: Path | None = None) -> Path | None:
    directory = (start or Path.cwd()).resolve()
    for folder in (directory, *directory.parents):
        for name in CONFIG_FILES:
            candidate = folder / name
            if candidate.is_file() and _table(candidate) is not None:
                return candidate
    return None


def load_config(path: Path | None = None) -> Config:
    """The configuration at ``path``, or the nearest one, or the defaults."""
    path = path or find_config()
    if path is None:
        return Config()
    table = _table(path)
    if table is None:
        raise ConfigError(f"{path}: " + _("没有 [tool.compliance] 表"))
    try:
        config = Config.model_validate(table)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ConfigError(f"{path}: {where}: {first['msg']}") from error
    # Rule packs are named relative to the file that names them.
    return config.model_copy(update={"rules": [(path.parent / pack).resolve() for pack in config.rules]})
