"""Stage 1, .pdf: every PDF of shared/corpus, a LibreOffice rendering and the PDFs built in
tests/load/golden/pdfs.py load to exactly the text, blocks and cells of
tests/load/golden/pdfs.json, or are refused for the same reason, and count exactly as many
operations against the limits (regenerate with tests/load/golden/pdfs.py when a change is meant)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location("golden_pdfs", Path(__file__).parent / "golden" / "pdfs.py")
assert _SPEC and _SPEC.loader
golden = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(golden)

EXPECTED = json.loads(golden.GOLDEN.read_text(encoding="utf-8"))
HERE = golden.documents()


def _data(name: str) -> bytes:
    if name not in HERE:
        pytest.skip(f"{name} is not on this machine")
    return HERE[name]()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_pdf_loads_as_before(name):
    expected = {key: value for key, value in EXPECTED[name].items() if key != "operations"}
    assert golden.read(_data(name)) == expected


@pytest.mark.parametrize("name", sorted(name for name in EXPECTED if "operations" in EXPECTED[name]))
def test_pdf_counts_as_many_operations_as_before(name):
    data, counted = _data(name), EXPECTED[name]["operations"]
    total, page = counted["max-pdf-operations"], counted["max-pdf-page-operations"]
    assert "error" not in golden.read(data, **{"max-pdf-operations": total})
    assert golden.read(data, **{"max-pdf-operations": total - 1}) == {"error": counted["one less"]}
    assert "error" not in golden.read(data, **{"max-pdf-page-operations": page})
    assert golden.read(data, **{"max-pdf-page-operations": page - 1}) == {"error": counted["one less on a page"]}


def test_the_golden_set_covers_every_pdf_here():
    assert set(HERE) <= set(EXPECTED), sorted(set(HERE) - set(EXPECTED))
    assert sum(name.startswith("corpus/") for name in EXPECTED) >= 4
