"""Pattern hits: the strings a pattern's every match must hold (the quick test before the pattern
runs) are read from its parse, and a text without them has no match."""

from __future__ import annotations

import random
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


# Anchored at line starts, as rule files write them, and the cases the line-start search must refuse
# or get right: look-behinds, \A, alternatives, empty matches, back-references, look-aheads across lines.
SYNTHETIC = [
    r"^a", r"^\s*a", r"^a\s*b", r"^(?<=\n)a", r"^(?<!x)a", r"^a$", r"^$\n?x", r"^a|^b", r"^(a|\n)+", r"^\n",
    r"^\s+", r"^(?:a\n)+", r"^.*a", r"^(a)\1", r"^a(?=\n^b)", r"^\Ab", r"^\bab", r"^[^\n]{0,3}$", r"^ab|^a",
    r"^(?>a+)b", r"^\w+", r"^a(?!b)", r"^(?P<n>a)(?P=n)", r"^(a)?b", r"^a\Z", r"^(?=a)ab", r"^[^a]*a", r"^.",
]  # fmt: skip
PIECES = ["a", "b", "x", "\n", "\n", " ", "\t", "\u3000", "\r", "相关词条", "打印本页", "：", "-", "1", "23",
          "第", "页", "当前位置", "首页", ">", "索引号", "发布时间", "，", "。", "2024年01月12日", " 17:12",
          "无障碍", "ab"]  # fmt: skip


def test_anchored_patterns_found_after_line_breaks_match_where_finditer_does():
    """A pattern anchored at line starts is searched as its body after a line break (re skips to
    the breaks): the same spans as ``finditer``, for every shipped pattern and made-up ones, on the
    fixtures and on random texts of line breaks and report words."""
    from compliance.facts.patterns import _after_breaks, _spans

    shipped = [p for s in default_rulebook().patterns.values() for p in s.patterns]
    fast = [p for p in shipped + SYNTHETIC if _after_breaks(p) is not None]
    assert sum(_after_breaks(p) is not None for p in shipped) >= 10 and len(fast) >= 25
    assert all(_after_breaks(p) is None for p in (r"^(?<=\n)a", r"^(?<!x)a", r"^\Ab", r"^\s*"))
    generator = random.Random(13)
    texts = [path.read_text(encoding="utf-8") for path in sorted(FIXTURES.glob("*.txt"))]
    texts += ["", "\n", "a\na\na", "ab\nab", "a\n\nb", "相关词条\n联络我们\n", "\n相关词条"]
    texts += ["".join(generator.choice(PIECES) for _ in range(generator.randint(0, 40))) for _ in range(3000)]
    for pattern in fast:
        compiled = _compiled(pattern)
        for text in texts:
            assert list(_spans(pattern, text, "\n" + text)) == [m.span() for m in compiled.finditer(text)], pattern
