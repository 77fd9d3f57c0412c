"""Stage 3: normalised text → ``DocumentTree`` (Lark LALR grammar ``grammars/report.lark``)."""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

from lark import Lark
from lark.exceptions import LarkError

from compliance.errors import ComplianceError
from compliance.models.tree import DocumentTree
from compliance.parse.builder import TreeBuilder
from compliance.parse.layout import LayoutPostLexer
from compliance.resources import grammar_path


def _cache_file(grammar: Path) -> str:
    # Lark keys its cache by grammar and options; one file per grammar path is enough.
    return str(Path(tempfile.gettempdir()) / f"compliance-lark-{abs(hash(str(grammar)))}.cache")


@cache
def parser(strict: bool = False) -> Lark:
    """The report parser, built once per process. ``strict`` (tests) also reports grammar
    conflicts and terminal collisions that LALR would otherwise resolve silently."""
    path = grammar_path("report.lark")
    return Lark(
        path.read_text(encoding="utf-8"),
        parser="lalr",
        lexer="basic",
        postlex=LayoutPostLexer(),
        propagate_positions=True,
        strict=strict,
        cache=False if strict else _cache_file(path),
    )


def parse(text: str) -> DocumentTree:
    """Parse a normalised text into its section tree."""
    if not text.endswith("\n"):
        text += "\n"  # lines are newline-terminated; the added one lies past every offset
    try:
        tree = parser().parse(text)
    except LarkError as error:  # the grammar accepts any line sequence: this is a bug
        raise ComplianceError(f"internal parse error: {error}") from error
    document = TreeBuilder().transform(tree)
    document.text_length = len(text) - 1 if text.endswith("\n") else len(text)
    return document
