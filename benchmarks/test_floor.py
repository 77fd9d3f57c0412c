"""A warm check beside the floor (``make bench``), for each real document of the corpus and the
seeds: the ratio of the one to the other, issue 13's target being 12x or less for seed 000.

The floor is what any checker of the text must at least do: read the file (decoded in the
encoding the loader found), convert it with OpenCC ``tw2sp`` (as normalisation does a Traditional
draft) and scan its lines and numbers with a regular expression. The check is
``pipeline.check_source`` on the loaded source, after a first check of it (the rulebook, the
parser and the rules engine built once per process). The two are timed side by side in one test,
in turns of a few runs of each, and the best run of each is taken (wall time: the machine is
shared, and the best run is the one least disturbed). A document the checker refuses as no report
(a 工作要点 among the seeds) is skipped. The figures are printed as a table and kept in each
benchmark's extra_info (floor_ms, check_ms, ratio_to_floor); pytest-benchmark's own statistics are
those of the check."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

import opencc
import pytest

from compliance.errors import NotAReport
from compliance.load import load
from compliance.pipeline import check_source

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DOCUMENTS = sorted((SHARED / "corpus").glob("*.txt")) + sorted((SHARED / "seeds").glob("*.txt"))
ROUNDS = 10
_RUNS = 3  # in a row, in each round
_NUMBER = re.compile(r"[0-9０-９]+(?:[.,][0-9０-９]+)*[%％]?")
_shown: list[str] = []


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("tw2sp")


def floor(path: Path, encoding: str) -> int:
    """Read, convert, scan: the count of numbers found (so nothing is optimised away)."""
    text = _converter().convert(path.read_bytes().decode(encoding))
    return sum(len(_NUMBER.findall(line)) for line in text.splitlines())


def _best_of_each(first: Callable[[], object], second: Callable[[], object], rounds: int) -> tuple[float, float]:
    """The best time of each, from ``rounds`` turns of a few runs of the one, then of the other (a
    run straight after the other's would find the caches full of the other's data: the floor would
    look slower than it is)."""
    best = [float("inf"), float("inf")]
    for _ in range(rounds):
        for index, run in enumerate((first, second)):
            for _ in range(_RUNS):
                started = time.perf_counter()
                run()
                best[index] = min(best[index], time.perf_counter() - started)
    return best[0], best[1]


@pytest.mark.skipif(not DOCUMENTS, reason=f"no corpus or seeds under {SHARED}")
@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda path: f"{path.parent.name}/{path.stem[:18]}")
def test_check_against_floor(benchmark, capsys, path: Path):
    source = load(path)
    try:
        check_source(source)  # warm: rulebook, grammar, engine built once per process
    except NotAReport as refusal:
        pytest.skip(f"not a report, nothing to check: {refusal.reason}")
    floor_s, check_s = _best_of_each(lambda: floor(path, source.encoding), lambda: check_source(source), ROUNDS)
    ratio = check_s / floor_s
    benchmark.extra_info.update(
        floor_ms=round(floor_s * 1000, 3), check_ms=round(check_s * 1000, 3), ratio_to_floor=round(ratio, 1)
    )
    benchmark.pedantic(check_source, args=(source,), rounds=5, iterations=1)
    with capsys.disabled():  # shown by make bench
        if not _shown:
            title = f"warm check beside the floor, best of {ROUNDS * _RUNS}"
            print(f"\n\n{title:46s} {'KB':>5s} {'floor':>9s} {'check':>9s} {'ratio':>7s}", end="")
        name = f"{path.parent.name}/{path.name}"
        _shown.append(name)
        print(
            f"\n{name[:46]:46s} {path.stat().st_size / 1024:5.1f} {floor_s * 1000:6.2f} ms "
            f"{check_s * 1000:6.2f} ms {ratio:6.1f}x",
            end="",
        )
