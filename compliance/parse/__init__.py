"""Stage 3: normalised text → ``DocumentTree`` (Lark LALR grammar ``grammars/report.lark``)."""

from __future__ import annotations

import io
import tempfile
from functools import cache
from pathlib import Path

import lark
from lark import Lark
from lark.exceptions import LarkError

from compliance import cache as disk_cache
from compliance.errors import ComplianceError
from compliance.models.tree import DocumentTree
from compliance.parse import layout
from compliance.parse.builder import TreeBuilder
from compliance.parse.layout import LayoutPostLexer
from compliance.resources import grammar_path


def _build(grammar: str, strict: bool = False) -> Lark:
    return Lark(
        grammar,
        parser="lalr",
        lexer="basic",
        postlex=LayoutPostLexer(),
        propagate_positions=False,  # the tree builder reads the tokens' positions, never the trees'
        strict=strict,
    )


@cache
def parser(strict: bool = False) -> Lark:
    """The report parser, built once per process. Built once for all processes too: kept
    (compliance/cache.py, as ``Lark.save`` writes it, the postlexer with it) under a key of the
    grammar, the postlexer's and this module's code and lark's version, so a new process loads it in a millisecond
    instead of building its tables and lexer in a fifth of a second. ``strict`` (tests) also
    reports grammar conflicts and terminal collisions that LALR would otherwise resolve silently
    (always built)."""
    grammar = grammar_path("report.lark").read_text(encoding="utf-8")
    if strict:
        return _build(grammar, strict=True)
    code = disk_cache.source(Path(layout.__file__), Path(__file__))  # the postlexer, and _build's options
    entry_key = disk_cache.key(grammar, lark.__version__, code)
    saved = disk_cache.load("parser", entry_key, read=lambda data: Lark.load(io.BytesIO(data)))
    if isinstance(saved, Lark):
        return saved
    built = _build(grammar)
    data = io.BytesIO()
    built.save(data)
    disk_cache.store("parser", entry_key, data.getvalue())
    _remove_old_grammar_caches()
    return built


def _remove_old_grammar_caches() -> None:
    """Earlier versions left a ``compliance-lark-*.cache`` in the temporary folder on every run
    (keyed by the salted ``hash()``, it never hit): removed when the parser is built."""
    for path in Path(tempfile.gettempdir()).glob("compliance-lark-*.cache"):
        try:
            path.unlink()
        except OSError:  # another user's
            pass


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
