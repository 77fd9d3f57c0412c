"""Stage 5, for the rules that declare ``evidence: true``: the facts each lets pass, as the
report's ``evidence`` (KP-TASK: the passage that counts as reporting a task, and the task's terms
found in it), spans mapped to the original.

A fact passes when the rule's ``when`` does not select it, on a document in the rule's scope: the
compiled conditions, tested on that fact alone as the engines test them (such a rule has no
``absent``: the rulebook refuses one). Evidence is listed only while the rule is selected."""

from __future__ import annotations

from compliance.engine.backends.python import selects
from compliance.engine.compiler import compile_rule
from compliance.engine.locate import Locator
from compliance.models.config import Config
from compliance.models.facts import Fact
from compliance.models.findings import Evidence
from compliance.rulebook import Rulebook

MAX_EXCERPT = 200


def evidence(facts: list[Fact], rulebook: Rulebook, config: Config, where: Locator) -> list[Evidence]:
    document = next(fact for fact in facts if fact.kind == "document").model_dump()
    found: list[Evidence] = []
    for spec in rulebook.rules.values():
        if not spec.evidence or not config.selects(spec.id, spec.name):
            continue
        scope, when = compile_rule(spec)["all"]  # [{"doc": scope}, {"f": when}]: no absent
        if not selects(scope["doc"], document):
            continue
        for fact in facts:
            if fact.kind != spec.when.fact or selects(when["f"], fact.model_dump()):
                continue
            start, end = where.original_span(fact.start, fact.end)
            excerpt = where.text.original[start : min(end, start + MAX_EXCERPT)]
            fields = fact.as_evidence()  # type: ignore[attr-defined]  # the rulebook checks the kind has it
            found.append(
                Evidence(rule=spec.id, line=where.line(start), start=start, end=end, excerpt=excerpt, **fields)
            )
    return sorted(found, key=lambda e: (e.start, e.rule, e.checklist, e.task_id))
