"""One year's report as the comparison reads it: stages 1–4 as far as it needs them."""

from __future__ import annotations

from dataclasses import dataclass

from compliance import facts, pipeline
from compliance.errors import NotAReport
from compliance.facts.tables import TablesFound, read_all
from compliance.models.comparison import Side
from compliance.models.findings import DocumentInfo
from compliance.models.source import Source
from compliance.rulebook import Rulebook


@dataclass(frozen=True)
class Year:
    reading: pipeline.Reading
    info: DocumentInfo
    tables: TablesFound

    @property
    def side(self) -> Side:
        info = self.info
        return Side(path=self.reading.source.path, title=info.title, issuer=info.issuer, year=info.year)


def read_year(source: Source, rulebook: Rulebook) -> Year:
    """A report read; a document that is not one (a 工作要点, a notice) is refused as a check refuses it."""
    reading = pipeline.read(source)
    if refusal := facts.not_a_report(reading.tree, rulebook):
        raise NotAReport(source.path, refusal)
    info = facts.describe(reading.tree, reading.text, rulebook)
    return Year(reading, info, read_all(reading.tree, rulebook.parts, rulebook.tables))


def consecutive(last: DocumentInfo, this: DocumentInfo) -> bool:
    """Whether the reports are of two years in a row (both years known)."""
    return last.year is not None and this.year is not None and this.year == last.year + 1
