"""Stage 2: Traditional drafts become mainland Simplified; every offset maps back exactly."""

from __future__ import annotations

import random

import pytest

from compliance.normalize import normalize
from conftest import seed_text


@pytest.mark.parametrize("key", ["000", "003"])
def test_traditional_seeds_are_converted(key):
    original = seed_text(key)
    text = normalize(original)
    assert text.script == "traditional" and text.traditional_ratio > 0.15
    assert text.text.count("\n") == original.count("\n")
    assert text.offsets[0] == 0 and text.offsets[-1] == len(original)
    assert all(a <= b for a, b in zip(text.offsets, text.offsets[1:]))
    for change in text.changes:
        start, end = text.to_original(change.start, change.end)
        assert original[start:end] == change.original
        assert text.text[change.start : change.end] == change.converted


def test_taiwan_phrasing_maps_back_to_its_original_span():
    original = seed_text("000")
    text = normalize(original)
    assert text.text.startswith("苏州市2018年政府信息公开工作年度报告")
    for converted, source in (("门户网站", "入口網站"), ("优化", "最佳化"), ("数据库", "資料庫")):
        at = text.text.index(converted)
        start, end = text.to_original(at, at + len(converted))
        assert original[start:end] == source


def test_mainland_words_are_not_rewritten_as_taiwan_usage():
    text = normalize("蘇州市建立健全政務公開制度，規範性文件和辦事程序全部公開，整合政務資源。" * 3)
    assert "建立健全" in text.text and "规范性文件" in text.text and "办事程序" in text.text and "整合" in text.text


def test_random_spans_keep_their_lines_and_characters():
    original = seed_text("003")
    text = normalize(original)
    rng = random.Random(7)
    for _ in range(500):
        start = rng.randrange(len(text.text))
        end = min(len(text.text), start + rng.randrange(1, 12))
        o_start, o_end = text.to_original(start, end)
        assert text.text.count("\n", 0, start) == original.count("\n", 0, o_start)
        # Outside rewritten phrases every character maps to itself or its Simplified form.
        for i in range(start, end):
            o = text.offsets[i]
            if not any(c.start <= i < c.end for c in text.changes):
                assert original[o] == text.text[i]


def test_same_length_phrase_maps_position_by_position():
    original = seed_text("003")
    text = normalize(original)
    at = text.text.index("加载系统")  # 載入系統 → 加载系统
    start, end = text.to_original(at, at + 4)
    assert original[start:end] == "載入系統"


@pytest.mark.parametrize("key", ["001", "002", "004"])
def test_simplified_seeds_stay_as_they_are(key):
    original = seed_text(key)
    text = normalize(original)
    assert text.script == "simplified" and text.text == original
    assert text.offsets == tuple(range(len(original) + 1))


def test_stray_traditional_characters_in_a_simplified_draft():
    original = "一、总体情况\n2021年，我局认真落实条例规定，规范檔案管理，主动公开政府信息512条，全面推进决策公开。"
    text = normalize(original)
    assert text.script == "simplified" and text.text == original
    (change,) = text.changes
    assert original[change.start : change.end] == "檔" and change.converted == "档"
