"""Errors that reach the user as one line, never as a traceback."""

from __future__ import annotations


class ComplianceError(Exception):
    """Base for errors the CLI turns into a one-line message and exit status 2."""


class InputError(ComplianceError):
    """An input file that cannot be read: names the file and the reason."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class InputTooLarge(InputError):
    """An input beyond one of the limits (``compliance.models.config.Limits``): the reason says
    how large it is and names the limit (``max-input-mb`` …) that would let it through."""

    def __init__(self, path: str, reason: str, limit: str):
        super().__init__(path, f"{reason} ({limit})")
        self.limit = limit


class NotAReport(InputError):
    """A document that is not an annual report (a 工作要点, a notice, a template …): refused."""


class RuleFileError(ComplianceError):
    """A rule or data file under rules/ that is malformed: names the file, rule and field."""

    def __init__(self, path: str, reason: str, rule: str | None = None, field: str | None = None):
        where = path + (f" [{rule}]" if rule else "") + (f" {field}" if field else "")
        super().__init__(f"{where}: {reason}")
        self.path, self.rule, self.field, self.reason = path, rule, field, reason


class ConfigError(ComplianceError):
    """A configuration file or option that is invalid."""
