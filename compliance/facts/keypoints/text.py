"""Key points: text as matching sees it — folded (full-width ASCII → half-width, lower case) and
without spaces, quotes and 、 — with the index of each kept character. The terms a checklist
holds are squeezed the same way (compliance/checklists/terms.py)."""

from __future__ import annotations

from functools import lru_cache

_SKIP_IN_COMPACT = set(" \t\n\r\u3000“”\"‘’'「」『』、·")


def fold(ch: str) -> str:
    """Full-width ASCII → half-width, lower case (ＩＰｖ６ → ipv6)."""
    code = ord(ch)
    if 0xFF01 <= code <= 0xFF5E:
        ch = chr(code - 0xFEE0)
    return ch.lower()


def compact(text: str) -> tuple[str, list[int]]:
    """``text`` without spaces, quotes and 、 (folded), and the index in ``text`` of each kept character."""
    kept: list[str] = []
    where: list[int] = []
    for index, ch in enumerate(text):
        if ch in _SKIP_IN_COMPACT:
            continue
        kept.append(fold(ch))
        where.append(index)
    return "".join(kept), where


@lru_cache(maxsize=8192)
def squeeze(text: str) -> str:
    """``text`` as matching sees it (see ``compact``); cached: terms are squeezed again and again."""
    return compact(text)[0]
