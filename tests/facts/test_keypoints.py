"""Key points as observations (compliance/facts/keypoints.py): each task's match signals against
their thresholds in hundredths, exact in sign, and the deadline and completion it observes."""

from __future__ import annotations

from conftest import FIXTURES, checklists

from compliance import facts as stage
from compliance.facts.keypoints import _hundredths
from compliance.facts.keypoints.lexicon import load_lexicon
from compliance.facts.keypoints.match import matchers
from compliance.models.config import Overrides
from compliance.normalize import normalize
from compliance.parse import parse
from compliance.rulebook import default_rulebook


def test_hundredths_keep_the_matchers_tolerance():
    assert _hundredths(0.0) == 0 and _hundredths(-1e-10) == 0  # reached, as match.py's 1e-9 allows
    assert _hundredths(-1e-8) == -1 and _hundredths(-0.004) == -1  # short of it, however little
    assert _hundredths(0.004) == 0 and _hundredths(1.2345) == 123
    assert _hundredths(-float("inf")) < -1_000  # a task without terms never reaches its need


def test_signals_agree_with_the_matcher_on_the_suzhou_fixture():
    text = normalize((FIXTURES / "report_2021_suzhou_kp.txt").read_text(encoding="utf-8"))
    (checklist,) = checklists("suzhou-2021")
    _, found, _ = stage.extract(parse(text.text), text, default_rulebook(), Overrides(), checklists=[checklist])
    tasks = {f.task_id: f for f in found if f.kind == "keypoint_task"}
    addressed = {
        m.task.id
        for m in matchers(checklist.tasks, load_lexicon())
        if m.task.id in tasks
        and m.best(
            stage.keypoint_facts._paragraphs(parse(text.text), default_rulebook().parts, load_lexicon())
        ).addressed
    }
    assert {i for i, f in tasks.items() if f.margin >= 0 or f.shared_margin >= 0} == addressed
    assert {i for i, f in tasks.items() if f.margin < 0 and f.shared_margin < 0} == {"3", "5", "7", "10"}
    b1 = tasks["B1"]  # 2021年底前, reached exactly: score = need
    assert (b1.score, b1.need, b1.margin, b1.deadline_in_year, b1.completed, b1.source) == (
        100,
        100,
        0,
        True,
        False,
        "body",
    )
    assert all(
        f.shared_need == 1800 and abs(f.margin - (f.score - f.need)) <= 1 for f in tasks.values()
    )  # rounded apart
