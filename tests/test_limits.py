"""Issue 14: never hang, never explode. Stages 2–5 take time linear in the length of a line and
of a file: a line of a million characters, or a file of many short lines, is checked in seconds
(the bounds are generous sanity bounds, not benchmarks)."""

from __future__ import annotations

import random
import time

import pytest
from conftest import source_of

from compliance.models.config import Overrides
from compliance.pipeline import check_source

TITLE = "某市人民政府2023年政府信息公开工作年度报告\n"
WORDS = [
    "本机关",
    "政府信息公开",
    "工作",
    "年度报告",
    "依申请公开",
    "，",
    "。",
    "2023年",
    "共计",
    "受理申请",
    "123件",
    "、",
    "（一）",
    "；",
    "占12.5%",
    "主动公开",
    "行政复议",
    "：",
    "“",
    "”",
    "《条例》",
    "其中",
    "予以公开",
    "3件",
    "较上年增长",
    "8.1%",
    "1,234",
    "万元",
    "（",
    "）",
    "0512-12345678",
    "第5条",
]


def prose(length: int, seed: int = 0) -> str:
    """CJK words, digits and punctuation, no tabs and no line breaks: ``length`` characters."""
    rnd = random.Random(seed)
    out, size = [], 0
    while size < length:
        word = rnd.choice(WORDS)
        out.append(word)
        size += len(word)
    return "".join(out)[:length]


def repeat(text: str, length: int) -> str:
    return (text * (length // len(text) + 1))[:length]


def timed_check(text: str) -> float:
    start = time.perf_counter()
    report = check_source(source_of(text), overrides=Overrides(force=True))
    elapsed = time.perf_counter() - start
    assert report.document is not None
    return elapsed


def test_a_line_of_a_million_characters():
    assert timed_check(TITLE + prose(1_000_000)) < 20


def test_a_file_of_many_short_lines():
    lines = "\n".join(prose(rnd_len, seed) for seed, rnd_len in enumerate([30, 45, 12, 60] * 7_500))
    assert len(lines) > 1_000_000
    assert timed_check(TITLE + lines) < 20


@pytest.mark.parametrize(
    "line",
    [
        repeat("受理申请12件，予以公开3件，", 200_000),  # figures, and no sentence ends
        repeat("政府信息公开12件", 200_000),  # figures, and no punctuation at all
        repeat("其中予以公开12件（含部分公开3件", 200_000),  # breakdowns opened and never closed
        repeat("（", 100_000) + repeat("）", 100_000),  # brackets nested deep
        repeat("政府資訊公開工作網路最佳化載入視窗", 200_000),  # Traditional, phrases, no punctuation
        repeat("2023年1月1日 首页 > 政务公开 > 联系电话：0512-12345678 ", 200_000),
        "2023" + " " * 200_000 + "年，受理申请12" + " " * 200_000 + "x",  # a number, spaces, no unit: was cubic
        "本机关" + " " * 200_000 + "受理申请12件。",  # a run of spaces in a line that lost its breaks
        "-" * 200_000 + "x",  # a separator line that is none
        "|" + " " * 200_000 + "x|",  # a pipe row that is no |---| line
        "一、总体情况\n" + "\n" * 200_000 + "字号：大 中 小",  # blank lines
    ],
    ids=[
        "figures-no-sentence-end",
        "figures-no-punctuation",
        "breakdowns",
        "brackets",
        "traditional",
        "residue",
        "number-spaces",
        "spaces",
        "dashes",
        "pipe-spaces",
        "blank-lines",
    ],
)
def test_pathological_lines_stay_linear(line):
    # Quadratic, each of these took minutes at this length; linear, they take a second or two.
    assert timed_check(TITLE + line) < 20
