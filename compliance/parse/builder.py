"""Stage 3 transformer: the Lark parse tree → ``DocumentTree`` models with positions."""

from __future__ import annotations

import re

from lark import Token, Tree

from compliance.models.tree import (
    DocumentTree,
    Heading,
    OrdinalStyle,
    Paragraph,
    Section,
    Table,
    Title,
)
from compliance.parse.layout import HEADING_LEVELS, known

_HEADING = re.compile(
    r"^(?P<lead>[ \u3000#]*)(?P<marker>[（(]?(?P<ordinal>[一二三四五六七八九十]{1,3}|[0-9０-９]{1,2})"
    r"[）)]?[、．.]?)(?P<text>.*?)\s*$"
)
_TITLE_END = re.compile(r"[。；;：:！？!?]")
_STYLES: dict[str, OrdinalStyle] = {
    "H_CN": "cn",
    "H_PAREN_CN": "paren_cn",
    "H_ARABIC": "arabic",
    "H_PAREN_ARABIC": "paren_arabic",
}
_PIPE_SEPARATOR = re.compile(r"[\s:|-]+")  # fullmatch: |---|:--:| (no backtracking on blank runs)


def _stripped(token: Token) -> tuple[int, str]:
    """(start offset, text) of a line without its surrounding white space."""
    value = token.value
    lead = len(value) - len(value.lstrip())
    return known(token.start_pos) + lead, value.strip()


def heading_from(token: Token) -> Heading:
    match = _HEADING.match(token.value)
    assert match, token.value  # the grammar's terminals guarantee the shape
    text = match["text"].strip()
    title = _TITLE_END.split(text, maxsplit=1)[0].strip()
    start = known(token.start_pos) + len(match["lead"])
    return Heading(
        start=start,
        end=known(token.start_pos) + len(token.value.rstrip()),
        line=known(token.line),
        ordinal=match["ordinal"],
        style=_STYLES[token.type],
        marker=match["marker"],
        text=text,
        title=title,
    )


# A row copied with spaces: the label, then the numbers (or, for the 信息内容 header, labels).
_SPACED_NUMBERS = re.compile(r"(?P<label>.*?\S)(?P<cells>(?:[ \u3000]+[-－]?[0-9０-９][0-9０-９.,．]*)+)[ \u3000]*$")
_SPACED_HEADER = re.compile(r"(?P<label>[ \u3000]*信息内容)(?P<cells>(?:[ \u3000]+\S+)+)[ \u3000]*$")
_SPACED_CELL = re.compile(r"\S+")


def _spaced_cells(token: Token) -> list[dict]:
    match = _SPACED_HEADER.match(token.value) or _SPACED_NUMBERS.match(token.value)
    if match is None:  # a row label whose numbers follow on the next line
        start, text = _stripped(token)
        return [{"start": start, "end": start + len(text), "line": known(token.line), "text": text, "col": 0}]
    label_start = len(match["label"]) - len(match["label"].lstrip())
    spans = [(label_start, match.end("label"))]
    spans += [
        (match.start("cells") + m.start(), match.start("cells") + m.end())
        for m in _SPACED_CELL.finditer(match["cells"])
    ]
    offset, line = known(token.start_pos), known(token.line)
    return [
        {"start": offset + a, "end": offset + b, "line": line, "text": token.value[a:b], "col": col}
        for col, (a, b) in enumerate(spans)
    ]


def _cells(token: Token) -> list[dict]:
    """A row's cells, as the fields of ``TableCell`` (the ``Table`` validates them all at once)."""
    value, offset = token.value, known(token.start_pos)
    if "\t" in value:
        parts = value.split("\t")
    elif "|" in value:  # a pipe row, with or without its outer pipes ("| 规章 | 0 |", "规章 | 0 |")
        stripped = value.strip()
        inner_start = value.index(stripped) + (1 if stripped.startswith("|") else 0)
        inner_end = value.index(stripped) + len(stripped) - (1 if stripped.endswith("|") and len(stripped) > 1 else 0)
        offset += inner_start
        parts = value[inner_start:inner_end].split("|")
    else:
        return _spaced_cells(token)
    cells, pos, line = [], offset, known(token.line)
    for col, part in enumerate(parts):
        lead = len(part) - len(part.lstrip())
        text = part.strip()
        cells.append({"start": pos + lead, "end": pos + lead + len(text), "line": line, "text": text, "col": col})
        pos += len(part) + 1
    return cells


class TreeBuilder:
    """Bottom-up: each grammar rule becomes its model (a lark ``Transformer``'s walk, without its
    look-ups and checks per node)."""

    def transform(self, tree: Tree) -> DocumentTree:
        return self._build(tree)

    def _build(self, tree: Tree):
        children = [self._build(c) if isinstance(c, Tree) else c for c in tree.children]
        return getattr(self, tree.data)(children)

    def title(self, lines: list[Token]) -> Title:
        pieces = [_stripped(t) for t in lines]
        return Title(
            start=pieces[0][0],
            end=known(lines[-1].start_pos) + len(lines[-1].value.rstrip()),
            line=known(lines[0].line),
            text="".join(text for _, text in pieces),
        )

    def chrome(self, lines: list[Token]) -> list[Paragraph]:
        return [self.paragraph([line]) for line in lines]

    def paragraph(self, lines: list[Token]) -> Paragraph:
        pieces = [_stripped(t) for t in lines]
        last_start, last_text = pieces[-1]
        return Paragraph(
            start=pieces[0][0],
            end=last_start + len(last_text),
            line=known(lines[0].line),
            text="".join(text for _, text in pieces),
            pieces=pieces,
        )

    def table(self, rows: list[Token]) -> Table:
        kept = [r for r in rows if "\t" in r.value or not _PIPE_SEPARATOR.fullmatch(r.value)]
        return Table.model_validate(
            {
                "start": known(rows[0].start_pos),
                "end": known(rows[-1].end_pos),
                "line": known(rows[0].line),
                "rows": [_cells(r) for r in kept],  # the cells validated at once, not one by one
            }
        )

    def section(self, children: list) -> Section:
        token, *body = children
        heading = heading_from(token)
        end = body[-1].end if body else heading.end
        return Section(
            start=heading.start,
            end=end,
            line=heading.line,
            level=HEADING_LEVELS[token.type],
            heading=heading,
            children=body,
        )

    def start(self, children: list) -> DocumentTree:
        chrome = children.pop(0) if children and isinstance(children[0], list) else []
        title = children[0] if children and isinstance(children[0], Title) else None
        body = chrome + (children[1:] if title else children)
        return DocumentTree(
            title=title,
            preamble=[c for c in body if not isinstance(c, Section)],
            sections=[c for c in body if isinstance(c, Section)],
        )
