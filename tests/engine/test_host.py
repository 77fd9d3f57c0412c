"""Stage 5: the durable-rules backend survives what durable-rules gets wrong."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import FIXTURES, ROOT

from compliance.engine.backends import durable_available
from compliance.engine.compiler import SENTINEL, compile_rules
from compliance.rulebook import default_rulebook


@pytest.mark.skipif(not durable_available(), reason="durable-rules is not installed here (Python 3.13+)")
def test_documents_without_findings_do_not_crash_the_engine():
    """durable-rules frees an uninitialised action context when a state on which no rule fired
    is deleted. MALLOC_PERTURB_ makes glibc fill new memory with garbage, so without the
    sentinel rule this process dies on the first clean document."""
    code = (
        "import sys\nfrom compliance.pipeline import check\n"
        "for _ in range(20):\n    assert check(sys.argv[1]).findings == []\nprint('ok')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(FIXTURES / "report_2021.txt")],
        cwd=ROOT,
        env=dict(os.environ, MALLOC_PERTURB_="165"),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-500:]


def test_sentinel_rule_is_compiled_but_never_reported():
    compiled = compile_rules(list(default_rulebook().rules.values()))
    assert compiled[SENTINEL]["all"] == [{"doc": {"kind": "document"}}]
    from compliance.pipeline import check

    report = check(FIXTURES / "report_2021_broken.txt")
    assert report.findings and SENTINEL not in {f.rule for f in report.findings}
