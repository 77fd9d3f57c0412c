"""Key points: the checklist a 工作要点 document becomes — models, YAML/JSON load and save.

A checklist is data a person may edit (an office refines ``terms`` by hand), so loading validates
it strictly and every error names the file and the field (``tasks.3.terms``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from compliance.errors import InputError
from compliance.output import make_directory, write_text
from compliance.resources import rules_dir

CHECKLIST_DIR = "keypoints"
_HEADER = """\
# 政务公开工作要点核对清单（由 `compliance keypoints extract` 生成，可人工修改）。
# tasks[].terms：报告中说明该项任务落实情况时会出现的关键词；“A|B”表示同义写法，任一出现即可。
# 通用词（政务公开、进一步、加强……）不计分，见 rules/lexicon/keypoints.yaml；同义词也在那里。
# 任务是否已报告：同一段落相邻的一至三句中关键词或与任务原文共有的特有用语达到门槛（见 README“Key points”）。
"""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ReportInstruction(Strict):
    """The sentence ordering that implementation be reported in the annual report."""

    text: str = Field(min_length=4)
    line: int = Field(ge=1)


class BodyLink(Strict):
    """Where the body of the document states the same task (an attachment row linked to it)."""

    part: str
    line: int = Field(ge=1)


class Task(Strict):
    id: str = Field(min_length=1, pattern=r"^[0-9A-Za-z.\-]+$")
    text: str = Field(min_length=2)
    part: str = ""
    units: list[str] = Field(default_factory=list)
    lead: list[str] = Field(default_factory=list)
    deadline: str | None = None
    terms: list[str] = Field(min_length=1)
    source: Literal["attachment", "body"] = "attachment"
    line: int | None = Field(default=None, ge=1)
    body: BodyLink | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _number_as_id(cls, value):
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("terms", "units", "lead", mode="before")
    @classmethod
    def _numbers_as_words(cls, words):
        # A person writing ``- 12345`` in YAML means the word 12345.
        return [str(w) if isinstance(w, (int, float)) and not isinstance(w, bool) else w for w in words] if isinstance(words, list) else words

    @field_validator("terms")
    @classmethod
    def _terms(cls, terms: list[str]) -> list[str]:
        for term in terms:
            if not term.strip() or any(not alternative.strip() for alternative in term.split("|")):
                raise ValueError(f"empty term or alternative in {term!r}")
        return terms

    @model_validator(mode="after")
    def _lead_are_units(self) -> "Task":
        stray = [unit for unit in self.lead if unit not in self.units]
        if stray:
            raise ValueError(f"lead unit {stray[0]!r} is not among units")
        return self

    def short(self, limit: int = 40) -> str:
        """The task as a message quotes it: its first clause, cut to ``limit`` characters."""
        text = self.text.replace(" ", "")
        for stop in "。；":
            text = text.split(stop)[0]
        return text if len(text) <= limit else text[:limit] + "……"


class Checklist(Strict):
    title: str
    issuer: str | None = None
    jurisdiction: str | None = None
    year: int = Field(ge=1990, le=2100)
    doc_number: str | None = None
    report_instruction: ReportInstruction | None = None
    tasks: list[Task] = Field(min_length=1)
    name: str = Field(default="", exclude=True)  # the file stem; not part of the data
    # Set by configuration only: the checklist applies to reports whose issuer or title names one of these.
    only_for: list[str] = Field(default_factory=list, exclude=True)

    def applies_to(self, year: int | None, issuer: str, title: str) -> bool:
        if year is not None and year != self.year:
            return False
        return not self.only_for or any(place in issuer or place in title for place in self.only_for)

    @model_validator(mode="after")
    def _unique_ids(self) -> "Checklist":
        seen: set[str] = set()
        for task in self.tasks:
            if task.id in seen:
                raise ValueError(f"duplicate task id {task.id!r}")
            seen.add(task.id)
        return self


class ChecklistError(InputError):
    """A checklist file that cannot be used: names the file, the field and the reason."""


def _validation_error(path: str, error: ValidationError) -> ChecklistError:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    reason = first["msg"].removeprefix("Value error, ")
    return ChecklistError(path, f"{where}: {reason}" if where else reason)


def parse_checklist(data, path: str, name: str = "") -> Checklist:
    if not isinstance(data, dict):
        raise ChecklistError(path, "not a key-point checklist (expected a mapping with title, year and tasks)")
    try:
        checklist = Checklist.model_validate(data)
    except ValidationError as error:
        raise _validation_error(path, error) from None
    checklist.name = name or Path(path).stem
    return checklist


def load_checklist(path: str | Path) -> Checklist:
    """A checklist from a .yaml/.yml/.json file."""
    file = Path(path)
    try:
        raw = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ChecklistError(str(path), "no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ChecklistError(str(path), f"cannot read: {error}") from None
    try:
        data = json.loads(raw) if file.suffix.lower() == ".json" else yaml.safe_load(raw)
    except (yaml.YAMLError, json.JSONDecodeError) as error:
        raise ChecklistError(str(path), f"malformed {'JSON' if file.suffix.lower() == '.json' else 'YAML'}: "
                             + str(error).splitlines()[0]) from None
    return parse_checklist(data, str(path))


def shipped() -> dict[str, Path]:
    """The checklists under rules/keypoints/, by name."""
    return {p.stem: p for p in sorted((rules_dir() / CHECKLIST_DIR).glob("*.yaml"))}


def to_data(checklist: Checklist) -> dict:
    return checklist.model_dump(mode="json", exclude_none=True)


def to_json(checklist: Checklist) -> str:
    return json.dumps(checklist.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def to_yaml(checklist: Checklist) -> str:
    body = yaml.safe_dump(to_data(checklist), allow_unicode=True, sort_keys=False, width=10_000)
    return _HEADER + body


def save_checklist(checklist: Checklist, path: str | Path) -> None:
    file = Path(path)
    text = to_json(checklist) if file.suffix.lower() == ".json" else to_yaml(checklist)
    make_directory(file.parent)
    write_text(file, text)

