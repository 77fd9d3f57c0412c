"""Checklists as files: YAML/JSON load and save, and the ones shipped under rules/keypoints/
(the model is compliance/models/checklist.py).

A checklist is data a person may edit (an office refines ``terms`` by hand), so loading validates
it strictly and every error names the file and the field (``tasks.3.terms``)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from compliance.errors import InputError
from compliance.i18n import _
from compliance.models.checklist import Checklist
from compliance.output import make_directory, write_text
from compliance.resources import rules_dir

CHECKLIST_DIR = "keypoints"
_HEADER = """\
# 政务公开工作要点核对清单（由 `compliance keypoints extract` 生成，可人工修改）。
# tasks[].terms：报告中说明该项任务落实情况时会出现的关键词；“A|B”表示同义写法，任一出现即可。
# 通用词（政务公开、进一步、加强……）不计分，见 rules/lexicon/keypoints.yaml；同义词也在那里。
# 任务是否已报告：同一段落相邻的一至三句中关键词或与任务原文共有的特有用语达到门槛（见 README“Key points”）。
"""


class ChecklistError(InputError):
    """A checklist file that cannot be used: names the file, the field and the reason."""


def _validation_error(path: str, error: ValidationError) -> ChecklistError:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    reason = first["msg"].removeprefix("Value error, ")
    return ChecklistError(path, f"{where}: {reason}" if where else reason)


def parse_checklist(data, path: str, name: str = "") -> Checklist:
    if not isinstance(data, dict):
        raise ChecklistError(path, _("不是工作要点清单（应为含 title、year 和 tasks 的映射）"))
    try:
        checklist = Checklist.model_validate(data)
    except ValidationError as error:
        raise _validation_error(path, error) from None
    checklist.name = name or Path(path).stem
    return checklist


def load_checklist(path: str | Path) -> Checklist:
    """A checklist from a .yaml/.yml/.json file."""
    import yaml  # here: a check with no checklist file reads no YAML

    file = Path(path)
    try:
        raw = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ChecklistError(str(path), _("文件不存在")) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ChecklistError(str(path), _("无法读取：{error}").format(error=error)) from None
    try:
        data = json.loads(raw) if file.suffix.lower() == ".json" else yaml.safe_load(raw)
    except (yaml.YAMLError, json.JSONDecodeError) as error:
        raise ChecklistError(
            str(path),
            _("{kind} 格式有误：{error}").format(
                kind="JSON" if file.suffix.lower() == ".json" else "YAML", error=str(error).splitlines()[0]
            ),
        ) from None
    return parse_checklist(data, str(path))


def shipped() -> dict[str, Path]:
    """The checklists under rules/keypoints/, by name."""
    return {p.stem: p for p in sorted((rules_dir() / CHECKLIST_DIR).glob("*.yaml"))}


def to_data(checklist: Checklist) -> dict:
    return checklist.model_dump(mode="json", exclude_none=True)


def to_json(checklist: Checklist) -> str:
    return json.dumps(checklist.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def to_yaml(checklist: Checklist) -> str:
    import yaml

    body = yaml.safe_dump(to_data(checklist), allow_unicode=True, sort_keys=False, width=10_000)
    return _HEADER + body


def save_checklist(checklist: Checklist, path: str | Path) -> None:
    file = Path(path)
    text = to_json(checklist) if file.suffix.lower() == ".json" else to_yaml(checklist)
    make_directory(file.parent)
    write_text(file, text)
