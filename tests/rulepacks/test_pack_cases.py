"""Each case and example of a rule pack as its own test: the example pack, and the packs named in
COMPLIANCE_RULE_PACKS (folders separated by os.pathsep) —

    COMPLIANCE_RULE_PACKS=../my-pack pytest tests/rulepacks/test_pack_cases.py

(`compliance rules test DIR` runs the same cases without pytest.)"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from compliance.authoring.cases import case_files, run_case, run_examples
from compliance.rulebook import rulebook_for

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "rule-pack"
PACKS = [EXAMPLE, *(Path(p).resolve() for p in os.environ.get("COMPLIANCE_RULE_PACKS", "").split(os.pathsep) if p)]


def _params():
    for pack in PACKS:
        for rule, (_, cases) in case_files(pack).items():
            yield pytest.param(pack, rule, None, id=f"{pack.name}:{rule}:examples")
            for case in cases.cases:
                yield pytest.param(pack, rule, case, id=f"{pack.name}:{rule}:{case.name}")


@pytest.mark.parametrize(("pack", "rule", "case"), list(_params()))
def test_pack_case(pack, rule, case):
    rulebook = rulebook_for(PACKS)
    outcomes = run_examples(rulebook, rule) if case is None else [run_case(rulebook, rule, case, pack)]
    assert all(o.ok for o in outcomes), [f"{o.name}: {o.problem}" for o in outcomes if not o.ok]
