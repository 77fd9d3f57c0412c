"""Pattern hits: the strings a pattern's every match must hold (the quick test before the pattern
runs) are read from its parse, and a text without them has no match."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from compliance.facts.patterns import _compiled, _hint, _may_match
from compliance.rulebook import default_rulebook

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.mark.parametrize(
    ("pattern", "hint"),
    [
        ("某某", {"某某"}),
        ("待补充|待填写|(?<![A-Za-z])(TBD|TODO|FIXME)(?![A-Za-z])", {"待补充", "待填写", "TBD", "TODO", "FIXME"}),
        ("(?<![A-Za-z])[XxＸｘ]{2,}(?![A-Za-z])", {"X", "x", "Ｘ", "ｘ"}),
        ("(?<=[。！？\\s])附件下载\\s*$", {"附件下载"}),
        ("(您?现在(所在)?的?位置|当前位置)x", {"x"}),  # a character seldom in prose beats 位置
        ("(甲|乙)丙", {"甲丙", "乙丙"}),  # alternatives joined with what follows them
        ("[0-9]{4}年", None),  # a digit, a Chinese character: in every report
        ("(?i)todo", None),  # any case: no literal holds
        ("a?b*", None),  # nothing required
        ("[^a]bc", {"bc"}),
    ],
)
def test_hint(pattern, hint):
    assert _hint(pattern) == (frozenset(hint) if hint is not None else None)


def _texts() -> list[str]:
    texts = [path.read_text(encoding="utf-8") for path in sorted(FIXTURES.glob("report_*.txt"))]
    return texts + [line for text in texts for line in text.splitlines()]


def test_a_text_without_the_hint_has_no_match():
    """Every shipped pattern, on the fixtures and their lines, and on texts built to match."""
    patterns = [p for pattern_set in default_rulebook().patterns.values() for p in pattern_set.patterns]
    built = ["XX", "待填写", "TODO:", "当前位置：首页 文件下载", "。附件下载", "2021年X月", "【待补充】", "***"]
    for pattern in patterns:
        for text in _texts() + built:
            if not _may_match(pattern, text):
                assert _compiled(pattern).search(text) is None, (pattern, text)
    assert sum(_hint(p) is not None for p in patterns) >= 10


def test_the_hints_keep_what_the_patterns_find():
    """A built text that matches passes the test."""
    for pattern, text in [("(?<![A-Za-z])[XxＸｘ]{2,}(?![A-Za-z])", "第XX条"), ("[×＊*]{2,}", "××局")]:
        assert re.search(pattern, text) and _may_match(pattern, text)
