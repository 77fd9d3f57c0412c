"""Stage 2 after issue 13 gives exactly what it gave before: the same text, offsets, changes and
ratio as the line-by-line, piece-by-piece alignment it replaced (``script_reference.py``), on
every document here, on Traditional renderings of them, and on random text."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import opencc
import pytest
from conftest import CORPUS, FIXTURES, ROOT, SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

from compliance.load import load
from compliance.normalize import normalize
from compliance.normalize.script import _HAN, _char, _converter, _only_in_place

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "tests" / "fuzz"))
import profiles  # noqa: F401  (loads the Hypothesis profile)
import script_reference
from strategies import report_like

DOCUMENTS = sorted(
    [*SEEDS.glob("*.txt"), *CORPUS.glob("*.txt"), *FIXTURES.glob("report_*.txt")]
    + [p for p in (ROOT / "tests" / "realworld" / "docs").iterdir() if p.suffix in (".txt", ".html", ".docx")]
)


def _both(text: str) -> None:
    old, new = script_reference.normalize(text), normalize(text)
    assert new.text == old.text
    assert new.offsets == old.offsets
    assert new.script == old.script
    assert new.traditional_ratio == old.traditional_ratio
    assert len(new.changes) == len(old.changes)
    assert list(new.changes) == list(old.changes)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: p.name)
def test_documents_normalise_as_before(path):
    text = load(path).text
    _both(text)
    _both(text.replace("\n", ""))  # a copy that lost its line breaks


@pytest.mark.parametrize("config", ["s2twp", "s2hk"])
@pytest.mark.parametrize("path", DOCUMENTS[::3], ids=lambda p: p.name)
def test_traditional_renderings_normalise_as_before(path, config):
    text = opencc.OpenCC(config).convert(load(path).text)
    _both(text)
    _both(text.replace("\n", ""))


# Traditional phrases that tw2sp substitutes (some with a length change, one with a Latin letter,
# one that reorders), words kept per character, and text around them.
PHRASES = [
    "入口網站",
    "最佳化",
    "資料庫",
    "網際網路",
    "視窗",
    "隨身碟",
    "載入",
    "軟體",
    "檔案",
    "建立",
    "簡報",
    "程序",
    "資訊",
    "政府資訊公開",
    "著作權",
    "乾隆",
    "文件文件",
    "網路網路網路",
    "記憶體",
    "滑鼠",
]
OTHER = ["，", "。", "\n", " ", "\t", "A", "USB", "2023", "（一）", "\u3000", "𠀀", "㐀", "\uf900", "\x00", ""]
pieces = st.one_of(
    st.sampled_from(PHRASES),
    st.sampled_from(OTHER),
    st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=8),
    st.text(st.sampled_from("資訊網路載入視窗最佳化入口站庫料檔案體軟"), min_size=1, max_size=12),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=6),
)
texts = st.lists(pieces, max_size=120).map("".join)


@settings(max_examples=300)
@given(texts)
def test_random_text_normalises_as_before(text):
    _both(text)


@settings(max_examples=100)
@given(report_like, st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from(PHRASES)), max_size=4))
def test_simplified_text_with_traditional_words_normalises_as_before(text, words):
    for place, word in words:  # a few pasted Traditional words: listed as changes, the text kept
        at = place % (len(text) + 1)
        text = text[:at] + word + text[at:]
    _both(text)


@settings(max_examples=50)
@given(st.lists(st.sampled_from(PHRASES), min_size=30, max_size=120).map("".join))
def test_long_han_runs_normalise_as_before(text):
    _both(text)  # runs over 200 characters are aligned in parts


@settings(max_examples=500)
@given(st.text(st.sampled_from("abcd"), min_size=1, max_size=12), st.data())
def test_only_in_place_means_aligned_one_to_one(a, data):
    b = "".join(data.draw(st.sampled_from("abcdxy")) if data.draw(st.booleans()) else ch for ch in a)
    if a != b and _only_in_place(a, b):
        offsets: list[int] = []
        for op, a1, a2, b1, b2 in script_reference._blocks(a, b):
            if op == "equal":
                offsets.extend(range(a1, a2))
            else:
                offsets.extend(a1 + min(i, max(a2 - a1 - 1, 0)) for i in range(b2 - b1))
        assert offsets == list(range(len(a)))


def test_character_conversion_changes_only_han_characters_into_han_characters():
    """The character table looks up Han characters only (the reference converted every one), and
    the alignment takes the Han runs of a text's character conversion where they stand in the
    text: both hold, since t2s changes no other code point (NUL aside: OpenCC stops there) and
    changes a Han character into one Han character."""
    han = re.compile(f"[{_HAN}]")
    every = [chr(c) for c in range(0x110000) if not (0xD800 <= c < 0xE000) and c not in (0, 10)]
    for at in range(0, len(every), 50_000):
        chunk = every[at : at + 50_000]
        converted = _converter("t2s").convert("\n".join(chunk)).split("\n")
        assert len(converted) == len(chunk)
        for ch, result in zip(chunk, converted):
            assert result == ch or (han.match(ch) and len(result) == 1 and han.match(result)), (ch, result)
    assert _char("資") == "资"
