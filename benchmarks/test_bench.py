"""Timings per stage and end to end (``make bench``). Not run by ``make test``."""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance.load import load
from compliance.normalize import normalize
from compliance.parse import parse
from compliance.pipeline import check_source

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = {
    "seed-000": ROOT.parent / "shared" / "seeds" / "000_b4329e84c20cd7da.txt",
    "seed-001": ROOT.parent / "shared" / "seeds" / "001_639ca9d31b5b13cc.txt",
    "seed-003": ROOT.parent / "shared" / "seeds" / "003_1c1506c777597ef3.txt",
    "corpus-szf-2024-txt": ROOT.parent / "shared" / "corpus" / "huaian-szf-2024.txt",
    "corpus-szf-2024-pdf": ROOT.parent / "shared" / "corpus" / "huaian-szf-2024.pdf",
    "fixture-2021": ROOT / "tests" / "fixtures" / "report_2021.txt",
}


def _path(name: str) -> Path:
    path = DOCUMENTS[name]
    if not path.exists():
        pytest.skip(f"{path} not here")
    return path


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_load(benchmark, name):
    benchmark(load, _path(name))


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_normalize_and_parse(benchmark, name):
    text = load(_path(name)).text
    benchmark(lambda: parse(normalize(text).text))


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_check_in_process(benchmark, name):
    source = load(_path(name))
    check_source(source)  # warm: rulebook, grammar, engine host built once per process
    benchmark(check_source, source)
