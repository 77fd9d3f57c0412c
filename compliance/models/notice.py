"""Correction notices (整改通知): what the issuing office says (options) and the wording file
(``rules/notice/notice.yaml``), as strict models."""

from __future__ import annotations

import datetime as dt
import re

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from compliance.i18n import _
from compliance.models.findings import Severity

# A year in the wrong brackets ("苏府办[2022]5号", "（2022）"): GB/T 9704-2012 §7.2.3 wants 六角括号.
_YEAR_BRACKETS = re.compile(r"[\[【［(（〔]\s*(\d{4})\s*[\]】］)）〕]")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NoticeOptions(Strict):
    """What the issuing office decides; everything else comes from the checked report."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    issuer: str = Field(min_length=1)  # 发文机关 (--from)
    addressee: str = Field(min_length=1)  # 主送机关 (--to)
    deadline: dt.date
    number: str | None = None  # 发文字号
    date: dt.date = Field(default_factory=dt.date.today)  # 成文日期
    min_severity: Severity = "major"
    contact: str | None = None  # 联系人 (附注)

    @field_validator("number", "contact")
    @classmethod
    def _empty_is_absent(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("number")
    @classmethod
    def _hexagonal_brackets(cls, value: str | None) -> str | None:
        return _YEAR_BRACKETS.sub(r"〔\1〕", value) if value else value

    @model_validator(mode="after")
    def _deadline_after_notice(self) -> NoticeOptions:
        if self.deadline < self.date:
            raise ValueError(
                _("整改期限 {deadline} 早于通知日期 {date}").format(deadline=self.deadline, date=self.date)
            )
        return self


class SeverityWording(Strict):
    heading: str  # the （一） heading of the group
    intro: str  # the paragraph under it


class SeverityWordings(Strict):
    critical: SeverityWording
    major: SeverityWording
    minor: SeverityWording
    info: SeverityWording


class ItemWording(Strict):
    lead: str  # what is wrong (after the item's "1.")
    details: list[str] = Field(min_length=1)  # where, basis, required fix: one paragraph each


class NoticeFonts(Strict):
    """Font names as GB/T 9704-2012 names them; Word substitutes what is not installed."""

    masthead: str
    title: str
    heading1: str
    heading2: str
    body: str
    page_number: str


class NoticeTemplates(Strict):
    """Every sentence of the notice (Jinja2 templates); see the comments in notice.yaml."""

    report_title: str
    masthead: str
    title: str
    addressee: str
    opening: list[str]
    problems_heading: str
    group_heading: str
    severities: SeverityWordings
    item: ItemWording
    requirements_heading: str
    requirements: list[str]
    deadline: str
    closing: str
    contact: str
    fonts: NoticeFonts
