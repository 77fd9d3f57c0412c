"""Both engines on the real published reports (tests/realworld): the same findings, to the letter.

Each document goes through the pipeline once; at stage 5 its facts are evaluated on durable-rules
and on the Python backend, and the two results compared."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from compliance import engine
from compliance.engine.backends import durable_available
from compliance.errors import ComplianceError
from compliance.load import load
from compliance.pipeline import check_source

_NAME = "realworld_evaluate"  # the module tests/realworld/test_realworld.py loads by the same name
if _NAME not in sys.modules:
    _spec = importlib.util.spec_from_file_location(_NAME, Path(__file__).parents[1] / "realworld" / "evaluate.py")
    sys.modules[_NAME] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules[_NAME])
LABELS = [label for label in sys.modules[_NAME].labels() if label.path]

pytestmark = pytest.mark.skipif(
    not durable_available(),
    reason="durable-rules is not installed here (Python 3.13+): no second backend to compare with",
)


@pytest.mark.parametrize("path", [label.path for label in LABELS], ids=[label.name for label in LABELS])
def test_both_engines_find_the_same(path, monkeypatch):
    evaluate, compared = engine.evaluate, []

    def on_both(facts, unavailable, rulebook, config, where):
        results = [
            evaluate(facts, unavailable, rulebook, config.model_copy(update={"engine": name}), where)
            for name in ("durable", "python")
        ]
        (durable_findings, durable_skipped), (python_findings, python_skipped) = results
        assert [f.model_dump() for f in python_findings] == [f.model_dump() for f in durable_findings]
        assert python_skipped == durable_skipped
        compared.append(len(facts))
        return results[0]

    monkeypatch.setattr(engine, "evaluate", on_both)
    try:
        check_source(load(path))
    except ComplianceError:  # refused (not a report): nothing reached the engine
        return
    assert compared
