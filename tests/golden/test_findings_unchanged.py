"""Every seed, corpus, fixture and real-world document gets exactly the findings of
tests/golden/findings.json (regenerate with tests/golden/findings.py when a change is meant)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

_SPEC = importlib.util.spec_from_file_location("golden_findings", Path(__file__).with_name("findings.py"))
assert _SPEC and _SPEC.loader
golden = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(golden)

EXPECTED = json.loads(golden.GOLDEN.read_text(encoding="utf-8"))
HERE = golden.documents()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_findings_unchanged(name):
    if name not in HERE:
        pytest.skip(f"{name} is not on this machine")
    assert golden.said(*HERE[name]) == EXPECTED[name]


def test_the_golden_set_covers_every_document_here():
    assert set(HERE) <= set(EXPECTED), sorted(set(HERE) - set(EXPECTED))
    assert len(EXPECTED) >= 60
