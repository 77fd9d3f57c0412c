"""Stage 2: Traditional drafts become mainland Simplified; every offset maps back exactly."""

from __future__ import annotations

import itertools
import random
import re

import opencc
import pytest
import yaml
from conftest import seed_text

from compliance.normalize import normalize
from compliance.resources import rules_dir

TW2SP = opencc.OpenCC("tw2sp")
KEEP = yaml.safe_load((rules_dir() / "lexicon" / "script.yaml").read_text(encoding="utf-8"))["keep"]
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def _assert_offsets_sound(text):
    offsets = text.offsets
    assert len(offsets) == len(text.text) + 1
    assert offsets[0] == 0 and offsets[-1] == len(text.original)
    assert all(a <= b for a, b in itertools.pairwise(offsets))
    assert text.text.count("\n") == text.original.count("\n")
    for i, ch in enumerate(text.text):
        if ch == "\n":
            assert text.original[offsets[i]] == "\n"


@pytest.mark.parametrize("key", ["000", "003"])
def test_traditional_seeds_are_converted(key):
    original = seed_text(key)
    text = normalize(original)
    assert text.script == "traditional" and text.traditional_ratio > 0.15
    _assert_offsets_sound(text)
    assert text.changes
    for change in text.changes:
        start, end = text.to_original(change.start, change.end)
        assert original[start:end] == change.original
        assert text.text[change.start : change.end] == change.converted
        assert change.original != change.converted


def test_title_of_seed_000_reads_simplified():
    assert "苏州市2018年政府信息公开工作年度报告" in normalize(seed_text("000")).text


@pytest.mark.parametrize(
    ("key", "converted", "source"),
    [
        ("000", "门户网站", "入口網站"),
        ("000", "优化", "最佳化"),  # 3 characters become 2
        ("000", "数据库", "資料庫"),
        ("003", "门户网站", "入口網站"),
        ("003", "优化", "最佳化"),
        ("003", "互联网", "網際網路"),  # 4 become 3
        ("003", "加载系统", "載入系統"),  # same length, different characters
    ],
)
def test_taiwan_phrasing_maps_back_to_its_original_span(key, converted, source):
    original = seed_text(key)
    text = normalize(original)
    assert source in original
    found = [m.start() for m in re.finditer(converted, text.text)]
    assert found
    for at in found:
        start, end = text.to_original(at, at + len(converted))
        assert original[start:end] == source


@pytest.mark.parametrize("key", ["000", "003"])
def test_lines_of_mapped_offsets_are_the_lines_in_text(key):
    original = seed_text(key)
    text = normalize(original)
    rng = random.Random(11)
    for _ in range(500):
        i = rng.randrange(len(text.text) + 1)
        assert text.line_of(text.offsets[i]) == text.text.count("\n", 0, i) + 1


@pytest.mark.parametrize("key", ["000", "003"])
def test_random_spans_convert_back_to_their_normalised_text(key):
    """A span cut at non-Han characters (phrases never cross them) converts, on its own, to the
    normalised span: the offsets point at exactly the original text of what rules see."""
    original = seed_text(key)
    text = normalize(original)
    n = len(text.text)
    cuts = [i for i in range(n + 1) if i in (0, n) or not (HAN.match(text.text[i - 1]) and HAN.match(text.text[i]))]
    rng = random.Random(7)
    checked = 0
    for _ in range(600):
        a = rng.randrange(len(cuts) - 1)
        b = min(len(cuts) - 1, a + rng.randrange(1, 8))
        start, end = cuts[a], cuts[b]
        o_start, o_end = text.to_original(start, end)
        span = original[o_start:o_end]
        if any(word in span for word in KEEP):
            continue  # these words are converted per character on purpose (see script.yaml)
        assert TW2SP.convert(span) == text.text[start:end]
        checked += 1
    assert checked > 300


@pytest.mark.parametrize("key", ["000", "003"])
def test_characters_outside_changes_are_unchanged(key):
    original = seed_text(key)
    text = normalize(original)
    inside = set()
    for change in text.changes:
        inside.update(range(change.start, change.end))
    for i, ch in enumerate(text.text):
        if i not in inside:
            assert original[text.offsets[i]] == ch


def test_mainland_words_are_not_rewritten_as_taiwan_usage():
    text = normalize("蘇州市建立健全政務公開制度，規範性文件和辦事程序全部公開，整合政務資源。" * 3)
    assert text.script == "traditional"
    for word in ("建立健全", "规范性文件", "办事程序", "整合"):
        assert word in text.text


def test_phrases_of_different_lengths_in_one_line_align():
    # 最佳化 and 網際網路 each lose a character; 視窗→窗口 reorders (窗 matches one place off);
    # 簡報 stays 简报 (tw2sp would make it 演示文稿: rules/lexicon/script.yaml keeps it).
    original = "政府網站最佳化完成,發布工作簡報。網際網路同步更新,視窗辦事指南上線。\n第二行資料庫。"
    text = normalize(original)
    assert "发布工作简报" in text.text
    _assert_offsets_sound(text)
    pairs = (("优化", "最佳化"), ("互联网", "網際網路"), ("窗口", "視窗"), ("数据库", "資料庫"))
    for converted, source in pairs:
        at = text.text.index(converted)
        start, end = text.to_original(at, at + len(converted))
        assert original[start:end] == source
    for change in text.changes:
        start, end = text.to_original(change.start, change.end)
        assert original[start:end] == change.original


@pytest.mark.parametrize("key", ["001", "002", "004"])
def test_simplified_seeds_stay_as_they_are(key):
    original = seed_text(key)
    text = normalize(original)
    assert text.script == "simplified" and text.text == original
    assert text.offsets == tuple(range(len(original) + 1))
    assert text.changes == ()


def test_stray_traditional_characters_in_a_simplified_draft():
    paragraph = "2021年，我局认真落实《条例》规定，主动公开政府信息512条，全面推进决策公开。"
    original = "一、总体情况\n" + paragraph + "我市檔案工作稳步推进，" + paragraph
    text = normalize(original)
    assert text.script == "simplified" and text.text == original
    assert text.offsets == tuple(range(len(original) + 1))
    (change,) = text.changes
    at = original.index("檔")
    assert (change.start, change.end) == (at, at + 1)
    assert original[slice(*text.to_original(change.start, change.end))] == "檔" == change.original
    assert change.converted == "档"
    assert text.line_of(text.to_original(change.start, change.end)[0]) == 2


def test_runs_of_traditional_characters_are_one_change_each():
    sentence = "本年度依申请公开工作运行平稳，全部申请均在法定期限内答复，全年未收取信息处理费。"
    original = "一、总体情况\n" + sentence * 3 + "資訊網絡运行正常，" + sentence * 3 + "資訊網絡。"
    text = normalize(original)
    assert text.script == "simplified"
    assert [c.original for c in text.changes] == ["資訊網絡", "資訊網絡"]
    for change in text.changes:
        assert original[change.start : change.end] == change.original


def test_changes_are_listed_on_demand_like_a_tuple():
    text = normalize(seed_text("000"))
    listed = tuple(text.changes)  # read off one by one
    fresh = normalize(seed_text("000")).changes
    assert len(fresh) == len(listed) > 1000 and fresh
    assert fresh[0] == listed[0] and fresh[-1] == listed[-1] and fresh[-3] == listed[-3]
    assert fresh[5:9] == listed[5:9] and fresh[::-700] == listed[::-700] and fresh[:0] == ()
    assert list(fresh) == list(listed) and fresh == listed and fresh == text.changes
    with pytest.raises(IndexError):
        fresh[len(listed)]
    with pytest.raises(IndexError):
        fresh[-len(listed) - 1]
    assert normalize("一、总体情况").changes == ()
