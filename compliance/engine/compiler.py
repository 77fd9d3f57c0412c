"""Stage 5: rule specs → one durable-rules ruleset (plain JSON), refusing the unsafe forms.

engines.md lists what crashes or misleads durable-rules; the rule schema cannot express most of
it (no ``$mt`` regexes, no inequality joins), and what it can is refused here with the file and
rule named. Each rule becomes::

    {"all": [{"doc": <document fact in scope>}, {"f": <when>}, {"a$not": <absent: joined, fixed values>}],
     "run": RULE-ID}
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from compliance.errors import RuleFileError
from compliance.models.rulespec import ALL_ISSUER_KINDS, ALL_REGIMES, Comparison, RuleSpec

_OPERATORS = {"lt": "$lt", "lte": "$lte", "gt": "$gt", "gte": "$gte", "neq": "$neq"}


def _any_of(field: str, values: Sequence[str], everything: tuple[str, ...]) -> list[dict]:
    if set(values) >= set(everything):
        return []
    return [{"$or": [{field: v} for v in values]}] if len(values) > 1 else [{field: values[0]}]


def _test(field: str, value, spec: RuleSpec) -> list[dict]:
    if not isinstance(value, Comparison):
        return [{field: value}]
    tests = []
    for name, operator in _OPERATORS.items():
        bound = getattr(value, name)
        if bound is None:
            continue
        if isinstance(bound, float):  # exponent floats are rejected by the engine
            raise RuleFileError(spec.id, "compare with integers only", spec.id, f"when.where.{field}")
        tests.append({operator: {field: bound}})
    if value.exists is not None:
        tests.append({"$ex" if value.exists else "$nex": {field: 1}})
    return tests


def compile_rule(spec: RuleSpec) -> dict:
    doc: list[dict[str, Any]] = [{"kind": "document"}]
    doc += _any_of("regime", spec.scope.regimes, ALL_REGIMES)
    doc += _any_of("issuer_kind", spec.scope.issuer_kinds, ALL_ISSUER_KINDS)
    when: list[dict[str, Any]] = [{"kind": spec.when.fact}]
    for field, value in spec.when.where.items():
        when += _test(field, value, spec)
    if spec.when.any:  # one fact passing at least one set of tests: no join, so no crash (#381)
        when.append(
            {"$or": [{"$and": [t for f, v in tests.items() for t in _test(f, v, spec)]} for tests in spec.when.any]}
        )
    conditions: list[dict[str, Any]] = [{"doc": {"$and": doc}}, {"f": {"$and": when}}]
    if spec.absent:
        # Only equality joins: an inequality join can crash the engine (durable-rules #381).
        absent: list[dict[str, Any]] = [{"kind": spec.absent.fact}] + [
            {field: {"f": field}} for field in spec.absent.same
        ]
        absent += [{field: value} for field, value in spec.absent.where.items()]  # fixed values: equality tests
        conditions.append({"a$not": {"$and": absent}})
    return {"all": conditions, "run": spec.id}


# durable-rules 2.0.28 leaves a new state's action context uninitialised and frees it when the
# state is deleted: a document on which no rule fired crashes the process (glibc abort, seen
# under valgrind as an invalid free in deleteStateNode). A rule that fires once on every
# document makes the engine initialise, use and clear that context before delete_state.
SENTINEL = "__document__"


def compile_rules(specs: list[RuleSpec]) -> dict:
    rules = {spec.id: compile_rule(spec) for spec in specs}
    rules[SENTINEL] = {"all": [{"doc": {"kind": "document"}}], "run": SENTINEL}
    return rules


def condition_fields(ruleset: dict) -> frozenset[str]:
    """Every field name a compiled condition mentions (and, harmlessly, the aliases joins name):
    the engine needs a fact's other fields no more than it needs its text."""
    fields: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if not key.startswith("$"):
                    fields.add(key)
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk([rule["all"] for rule in ruleset.values()])
    return frozenset(fields)


def negated_kinds(specs: list[RuleSpec]) -> set[str]:
    """Kinds some rule negates: they must be asserted before the facts they are joined with,
    since ``$not`` is not re-evaluated when a matching fact arrives later."""
    return {spec.absent.fact for spec in specs if spec.absent}
