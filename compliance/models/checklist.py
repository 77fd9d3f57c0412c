"""A key-point checklist (政务公开工作要点 → tasks): what ``compliance keypoints extract`` writes,
``--keypoints`` reads and the key-point facts match a report against (compliance/checklists/)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from compliance.i18n import _


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
        return (
            [str(w) if isinstance(w, (int, float)) and not isinstance(w, bool) else w for w in words]
            if isinstance(words, list)
            else words
        )

    @field_validator("terms")
    @classmethod
    def _terms(cls, terms: list[str]) -> list[str]:
        for term in terms:
            if not term.strip() or any(not alternative.strip() for alternative in term.split("|")):
                raise ValueError(_("关键词或其同义写法为空：{term}").format(term=repr(term)))
        return terms

    @model_validator(mode="after")
    def _lead_are_units(self) -> Task:
        stray = [unit for unit in self.lead if unit not in self.units]
        if stray:
            raise ValueError(_("牵头单位 {unit} 不在责任单位（units）中").format(unit=repr(stray[0])))
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
    def _unique_ids(self) -> Checklist:
        seen: set[str] = set()
        for task in self.tasks:
            if task.id in seen:
                raise ValueError(_("任务编号 {id} 重复").format(id=repr(task.id)))
            seen.add(task.id)
        return self
