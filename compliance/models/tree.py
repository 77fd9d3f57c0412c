"""Stage 3 output: the draft as a tree of title, preamble, sections, paragraphs and tables.

Offsets here are into the normalised text (``NormalizedText.text``); stage 7 maps them back to
the original when it reports."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

OrdinalStyle = Literal["cn", "paren_cn", "arabic", "paren_arabic"]


class Span(BaseModel):
    start: int
    end: int
    line: int


class Paragraph(Span):
    """One paragraph; ``text`` joins the lines it was broken into by extraction.

    ``pieces`` are the (start, text) of each source line so that an offset into ``text`` can be
    mapped back (``doc_offset``)."""

    kind: Literal["paragraph"] = "paragraph"
    text: str
    pieces: list[tuple[int, str]] = Field(default_factory=list)

    def doc_offset(self, index: int) -> int:
        """Document offset of position ``index`` of the joined ``text``."""
        seen = 0
        for start, piece in self.pieces:
            if index <= seen + len(piece):
                return start + index - seen
            seen += len(piece)
        return self.end


class TableCell(Span):
    text: str
    col: int


class Table(Span):
    kind: Literal["table"] = "table"
    rows: list[list[TableCell]]


class Heading(Span):
    """A heading line: ordinal (一 / 1 …), its style, and the heading text after the ordinal.

    ``title`` is the heading proper: the text up to the first full stop for run-in headings
    such as "（一）加强领导。各部门……"."""

    ordinal: str
    style: OrdinalStyle
    marker: str
    text: str
    title: str


class Section(Span):
    kind: Literal["section"] = "section"
    level: int
    heading: Heading
    children: list[Node] = Field(default_factory=list)

    def sections(self) -> list[Section]:
        return [c for c in self.children if isinstance(c, Section)]

    def walk(self):
        """Yield this section's descendants in document order."""
        for child in self.children:
            yield child
            if isinstance(child, Section):
                yield from child.walk()


Node = Paragraph | Table | Section
Section.model_rebuild()


class Title(Span):
    text: str


class DocumentTree(BaseModel):
    title: Title | None = None
    preamble: list[Paragraph | Table] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    text_length: int = 0

    def walk(self):
        """Yield every node of the body in document order."""
        yield from self.preamble
        for section in self.sections:
            yield section
            yield from section.walk()
