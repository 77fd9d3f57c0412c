"""Stage 5 (key points): addressed tasks → ``Evidence`` entries of the report, spans mapped to the original.

A reviewer sees, for each task counted as reported, the passage that counted and the terms found
in it; evidence is listed only while KP-TASK itself is selected."""

from __future__ import annotations

from compliance.engine.locate import Locator
from compliance.models.config import Config
from compliance.models.facts import Fact
from compliance.models.facts_keypoints import KeypointTaskFact
from compliance.models.findings import Evidence
from compliance.rulebook import Rulebook

RULE = "KP-TASK"
MAX_EXCERPT = 200


def evidence(facts: list[Fact], where: Locator, rulebook: Rulebook, config: Config) -> list[Evidence]:
    spec = rulebook.rules.get(RULE)
    if spec is None or not config.selects(spec.id, spec.name):
        return []
    found: list[Evidence] = []
    for fact in facts:
        if not isinstance(fact, KeypointTaskFact) or (fact.margin < 0 and fact.shared_margin < 0):  # KP-TASK's test
            continue
        start, end = where.original_span(fact.start, fact.end)
        found.append(Evidence(
            rule=RULE, checklist=fact.checklist, task_id=fact.task_id, task=fact.task, line=where.line(start),
            start=start, end=end, excerpt=where.text.original[start : min(end, start + MAX_EXCERPT)],
            hits=[h for h in fact.hits.split("、") if h],
        ))
    return sorted(found, key=lambda e: (e.start, e.checklist, e.task_id))
