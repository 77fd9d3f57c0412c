"""The Python backend answers what durable-rules answers: the same matches, as a multiset.

Small hand-made rulesets (each operator against bools, ints, floats, strings, null, lists and
missing fields; joins; ``$not`` before and after; ``$or``; the quirks python.py lists), then
random facts against the real compiled rulebook. Where durable-rules is not installed (Python
3.13+) the comparisons skip; the Python backend's own answers are pinned in test_python.py."""

from __future__ import annotations

import itertools
import json
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliance.engine import engine_for
from compliance.engine.backends import durable_available
from compliance.engine.backends.python import Interpreter
from compliance.engine.compiler import SENTINEL
from compliance.rulebook import default_rulebook

pytestmark = pytest.mark.skipif(
    not durable_available(),
    reason="durable-rules is not installed here (Python 3.13+): no second backend to compare with",
)

_DIGESTS = itertools.count()
MISSING = object()


def _ruleset(rules: dict) -> dict:
    return {**rules, SENTINEL: {"all": [{"doc": {"kind": "document"}}], "run": SENTINEL}}


def on_durable(rules: dict, facts: list[dict], negated=()) -> list:
    """A fresh ruleset on the durable host (each costs about a megabyte that is never freed)."""
    from compliance.engine.backends.durable import RuleEngine

    return RuleEngine.for_rulebook(f"test-{next(_DIGESTS)}", _ruleset(rules), set(negated)).run(_with_document(facts))


def on_python(rules: dict, facts: list[dict], negated=()) -> list:
    return Interpreter(_ruleset(rules), set(negated)).run(_with_document(facts))


def _with_document(facts: list[dict]) -> list[dict]:
    return facts if any(f["kind"] == "document" for f in facts) else [{"kind": "document", "n": -1}, *facts]


def canonical(matches: list) -> Counter:
    """Matches without the per-engine sid: (rule, {alias: fact}) as sorted JSON, counted."""

    def fact(f: dict) -> dict:
        return {k: (v.split(".")[1] if k == "id" else v) for k, v in f.items() if k != "sid"}

    return Counter(
        json.dumps([rule, {a: fact(f) for a, f in bound.items()}], sort_keys=True, ensure_ascii=False)
        for rule, bound in matches
    )


def assert_alike(rules: dict, facts: list[dict], negated=()) -> Counter:
    durable, python = canonical(on_durable(rules, facts, negated)), canonical(on_python(rules, facts, negated))
    assert python == durable, (
        f"durable only: {list((durable - python).elements())}\npython only: {list((python - durable).elements())}"
    )
    return python


# ------------------------------------------------------------------------------------------------
# Each operator against each kind of value

VALUES = [
    MISSING,
    None,
    True,
    False,
    0,
    1,
    2,
    -1,
    10,
    123456,
    1.5,
    0.0,
    "",
    "a",
    "b",
    "ab",
    "ab!",
    "abc",
    "1",
    "2",
    "10",
    "01",
    "-1",
    "9",
    "1.5",
    "true",
    "false",
    "True",
    "null",
    "中",
    "中文",
    "é",
    'a"b',
    "a\nb",
    "a\\b",
    [1],
    {"a": 1},
]
CONSTANTS = [
    True,
    False,
    0,
    1,
    2,
    10,
    -1,
    1.5,
    "a",
    "ab",
    "ab!",
    "1",
    "10",
    "",
    "true",
    "false",
    "中",
    'a"b',
    "a\nb",
    "9",
    "-1",
    None,
]
OPERATORS = ["eq", "$neq", "$lt", "$lte", "$gt", "$gte"]


def _undefined(value, constant) -> bool:
    """A string in a fact against a number in a rule: durable-rules reads an uninitialised length
    (its answer changes with the tests before it); the Python backend compares the whole strings."""
    return isinstance(value, str) and isinstance(constant, (int, float)) and not isinstance(constant, bool)


@pytest.mark.parametrize("operator", OPERATORS)
def test_each_operator_against_each_value(operator):
    rules = {}
    for j, constant in enumerate(CONSTANTS):
        test = {"v": constant} if operator == "eq" else {operator: {"v": constant}}
        rules[f"R{j}"] = {"all": [{"f": {"$and": [{"kind": "t"}, test]}}], "run": f"R{j}"}
    facts = [{"kind": "t", "n": k} | ({} if v is MISSING else {"v": v}) for k, v in enumerate(VALUES)]
    durable, python = on_durable(rules, facts), on_python(rules, facts)

    def table(matches):
        return {(rule, bound["f"]["n"]) for rule, bound in matches}

    compared = {(f"R{j}", k) for j, c in enumerate(CONSTANTS) for k, v in enumerate(VALUES) if not _undefined(v, c)}
    assert table(python) & compared == table(durable) & compared
    assert len(python) == len(table(python))  # once each


def test_exists_and_not_exists():
    rules = {
        "EX": {"all": [{"f": {"$and": [{"kind": "t"}, {"$ex": {"v": 1}}]}}], "run": "EX"},
        "NEX": {"all": [{"f": {"$and": [{"kind": "t"}, {"$nex": {"v": 1}}]}}], "run": "NEX"},
    }
    facts = [{"kind": "t", "n": k} | ({} if v is MISSING else {"v": v}) for k, v in enumerate(VALUES)]
    found = assert_alike(rules, facts)
    assert sum(found.values()) == len(VALUES)


# ------------------------------------------------------------------------------------------------
# Several aliases

T, U, D = {"kind": "t"}, {"kind": "u"}, {"kind": "d"}


def _join(kind: str, *fields: str, alias: str = "f", extra=()) -> dict:
    return {"$and": [{"kind": kind}, *({field: {alias: field}} for field in fields), *extra]}


CASES = {
    "a fact binds one alias of a match": (
        {"R": {"all": [{"x": T}, {"y": T}], "run": "R"}},
        [{"kind": "t", "n": 1}, {"kind": "t", "n": 2}, {"kind": "t", "n": 3}],
        (),
    ),
    "dist 0 lets it bind two": (
        {"R": {"all": [{"x": T}, {"y": T}], "run": "R", "dist": 0}},
        [{"kind": "t", "n": 1}, {"kind": "t", "n": 2}],
        (),
    ),
    "a $not is not satisfied by the fact already bound": (
        {"R": {"all": [{"x": T}, {"y$not": T}], "run": "R"}},
        [{"kind": "t", "n": 1}],
        (),
    ),
    "$not after, joined (the shape of the compiled rules)": (
        {
            "R": {
                "all": [{"doc": {"kind": "document"}}, {"f": _join("t", alias="doc")}, {"a$not": _join("u", "i")}],
                "run": "R",
            }
        },
        [
            {"kind": "t", "n": 1, "i": "x"},
            {"kind": "t", "n": 2, "i": "y"},
            {"kind": "t", "n": 3},
            {"kind": "u", "n": 4, "i": "x"},
            {"kind": "u", "n": 5},
        ],
        ("u",),
    ),
    "$not in the middle": (
        {"R": {"all": [{"f": T}, {"a$not": _join("u", "i")}, {"g": _join("v", "i")}], "run": "R"}},
        [
            {"kind": "t", "n": 1, "i": 1},
            {"kind": "t", "n": 2, "i": 2},
            {"kind": "u", "n": 3, "i": 2},
            {"kind": "v", "n": 4, "i": 1},
            {"kind": "v", "n": 5, "i": 2},
            {"kind": "v", "n": 6, "i": 1},
        ],
        ("u",),
    ),
    "$not before the alias it would join": (
        {
            "R": {
                "all": [{"d": D}, {"a$not": {"$and": [U, {"y": {"d": "y"}}]}}, {"f": _join("t", "y", alias="d")}],
                "run": "R",
            }
        },
        [
            {"kind": "d", "n": 0, "y": 2021},
            {"kind": "d", "n": 9, "y": 2020},
            {"kind": "u", "n": 1, "y": 2020},
            {"kind": "t", "n": 2, "y": 2021},
            {"kind": "t", "n": 3, "y": 2020},
        ],
        ("u",),
    ),
    "a rule that starts with $not never fires": (
        {"R": {"all": [{"a$not": U}, {"f": T}], "run": "R"}, "S": {"all": [{"a$not": U}], "run": "S"}},
        [{"kind": "t", "n": 1}],
        ("u",),
    ),
    "$not with fixed values and a join": (
        {
            "R": {
                "all": [{"f": T}, {"a$not": _join("u", "i", extra=[{"state": "done"}, {"$gt": {"count": 0}}])}],
                "run": "R",
            }
        },
        [
            {"kind": "u", "n": 1, "i": "a", "state": "done", "count": 1},
            {"kind": "u", "n": 2, "i": "b", "state": "open", "count": 1},
            {"kind": "u", "n": 3, "i": "c", "state": "done", "count": 0},
            {"kind": "u", "n": 4, "i": "d", "state": "done"},
            *({"kind": "t", "n": 10 + k, "i": i} for k, i in enumerate("abcde")),
        ],
        ("u",),
    ),
    "joins on a field missing on either side": (
        {
            "P": {"all": [{"f": T}, {"g": _join("u", "i")}], "run": "P"},
            "N": {"all": [{"f": T}, {"g$not": _join("u", "i")}], "run": "N"},
        },
        [{"kind": "u", "n": 1, "i": 1}, {"kind": "u", "n": 2}, {"kind": "t", "n": 3}, {"kind": "t", "n": 4, "i": 2}],
        ("u",),
    ),
    "two equality joins and one to an earlier alias": (
        {
            "R": {
                "all": [
                    {"d": D},
                    {"f": _join("t", "y", alias="d")},
                    {"g": {"$and": [U, {"i": {"f": "i"}}, {"j": {"f": "j"}}, {"y": {"d": "y"}}]}},
                ],
                "run": "R",
            }
        },
        [
            {"kind": "d", "n": 0, "y": 2021},
            {"kind": "t", "n": 1, "i": 1, "j": "a", "y": 2021},
            {"kind": "t", "n": 2, "i": 1, "y": 2021},
            {"kind": "u", "n": 3, "i": 1, "j": "a", "y": 2021},
            {"kind": "u", "n": 4, "i": 1, "j": "b", "y": 2021},
            {"kind": "u", "n": 5, "i": 2, "j": "a", "y": 2021},
            {"kind": "u", "n": 6, "i": 1, "j": "a", "y": 2020},
        ],
        (),
    ),
    "an $or whose branches both hold matches a first alias twice": (
        {
            "R": {
                "all": [{"f": {"$and": [T, {"$or": [{"x": 1}, {"y": 1}]}, {"$or": [{"z": 1}, {"w": 1}, {"v": 1}]}]}}],
                "run": "R",
            },
            "S": {"all": [{"f": {"$or": [T, {"$and": [U, {"x": 1}]}]}}], "run": "S"},
        },
        [
            {"kind": "t", "n": 1, "x": 1, "y": 1, "z": 1, "w": 1, "v": 0},
            {"kind": "t", "n": 2, "x": 1, "y": 0, "z": 0, "w": 0, "v": 1},
            {"kind": "u", "n": 3, "x": 1},
        ],
        (),
    ),
    "... and a later alias once": (
        {
            "R": {
                "all": [
                    {"f": {"$and": [T, {"$or": [{"x": 1}, {"y": 1}]}]}},
                    {"g": {"$and": [U, {"$or": [{"x": 1}, {"y": 1}]}]}},
                    {"h": U},
                ],
                "run": "R",
            },
            "N": {"all": [{"f": T}, {"g$not": {"$and": [U, {"$or": [{"x": 1}, {"y": 1}]}]}}], "run": "N"},
        },
        [
            {"kind": "t", "n": 1, "x": 1, "y": 1},
            {"kind": "u", "n": 2, "x": 1, "y": 1},
            {"kind": "u", "n": 3, "x": 0, "y": 1},
            {"kind": "u", "n": 4, "x": 0, "y": 0},
        ],
        ("u",),
    ),
    "$or of fixed tests inside $and (the 'any' of a when)": (
        {
            "R": {
                "all": [
                    {"doc": {"kind": "document"}},
                    {"f": {"$and": [T, {"$or": [{"$and": [{"a": 1}, {"$lt": {"b": 3}}]}, {"$and": [{"c": "x"}]}]}]}},
                ],
                "run": "R",
            }
        },
        [
            {"kind": "t", "n": 1, "a": 1, "b": 2},
            {"kind": "t", "n": 2, "a": 1, "b": 3},
            {"kind": "t", "n": 3, "c": "x"},
            {"kind": "t", "n": 4, "a": 1, "b": 2, "c": "x"},
            {"kind": "t", "n": 5},
        ],
        (),
    ),
    "an $or mixing a fixed test and a join reduces the join alone": (
        {"R": {"all": [{"f": T}, {"g": {"$and": [U, {"$or": [{"x": 1}, {"i": {"f": "i"}}]}]}}], "run": "R"}},
        [
            {"kind": "t", "n": 1, "i": 1},
            {"kind": "u", "n": 2, "x": 1, "i": 2},
            {"kind": "u", "n": 3, "x": 0, "i": 1},
            {"kind": "u", "n": 4, "x": 1, "i": 1},
            {"kind": "u", "n": 5, "x": 0, "i": 2},
        ],
        (),
    ),
    "joins after a nested $and are not reduced": (
        {
            "R": {
                "all": [{"f": T}, {"g": {"$and": [U, {"$and": [{"x": 1}, {"i": {"f": "i"}}]}, {"j": {"f": "j"}}]}}],
                "run": "R",
            }
        },
        [
            {"kind": "t", "n": 1, "i": 1, "j": 1},
            {"kind": "u", "n": 2, "i": 1, "j": 1, "x": 1},
            {"kind": "u", "n": 3, "i": 1, "j": 2, "x": 1},
            {"kind": "u", "n": 4, "i": 1, "j": 1, "x": 2},
            {"kind": "u", "n": 5, "i": 2, "j": 1, "x": 1},
        ],
        (),
    ),
    "scope on the document: $or of regimes, issuer kinds": (
        {
            "R": {
                "all": [
                    {
                        "doc": {
                            "$and": [
                                {"kind": "document"},
                                {"$or": [{"regime": "ogi2007"}, {"regime": "ogi2019"}]},
                                {"issuer_kind": "government"},
                            ]
                        }
                    },
                    {"f": T},
                ],
                "run": "R",
            }
        },
        [
            {"kind": "document", "n": 0, "regime": "ogi2019", "issuer_kind": "government"},
            {"kind": "t", "n": 1},
            {"kind": "t", "n": 2},
        ],
        (),
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_several_aliases(case):
    rules, facts, negated = CASES[case]
    assert_alike(rules, facts, negated)


JOINED = [1, "1", True, "true", False, "false", 0, 2, -1, "-1", "01", 1.0, 1.5, "1.500000", "a", "中", 'a"b', ""]


@pytest.mark.parametrize("negated", [False, True], ids=["join", "not-join"])
def test_join_values_of_every_type(negated):
    """Joins meet in the values' text: 1 joins "1", true joins "true", 1 does not join true or 1.0.
    (A null on one side only, a list or an object crashes durable-rules: not asked.)"""
    alias = "g$not" if negated else "g"
    rules = {"R": {"all": [{"f": T}, {alias: _join("u", "i")}], "run": "R"}}
    facts = [{"kind": "u", "n": 100 + k, "i": v} for k, v in enumerate(JOINED)]
    facts += [{"kind": "t", "n": k, "i": v} for k, v in enumerate([*JOINED, "zz", 7])]
    found = assert_alike(rules, facts, {"u"})
    assert found


# ------------------------------------------------------------------------------------------------
# Random documents against the real rulebook


def _walk(condition, tests: list):
    ((key, value),) = condition.items()
    if key in ("$and", "$or"):
        for child in value:
            _walk(child, tests)
    elif key in ("$ex", "$nex"):
        tests.append((next(iter(value)), None, None))
    elif key.startswith("$"):
        ((field, operand),) = value.items()
        tests.append(
            (field, operand, None) if not isinstance(operand, dict) else (field, None, next(iter(operand.items())))
        )
    else:
        tests.append((key, value, None) if not isinstance(value, dict) else (key, None, next(iter(value.items()))))


def _vocabulary(ruleset: dict):
    """kind → field → the constants rules test it with; and the fields that joins compare."""
    fields: dict[str, dict[str, set]] = {}
    joined: set[tuple[str, str]] = set()
    for rule in ruleset.values():
        kinds = {}
        for entry in rule["all"]:
            ((name, condition),) = entry.items()
            tests: list = []
            _walk(condition, tests)
            kind_values = [v for f, v, _ in tests if f == "kind" and isinstance(v, str)]
            kinds[name.removesuffix("$not")] = kind_values
            for kind in kind_values:
                table = fields.setdefault(kind, {})
                for field, constant, join in tests:
                    table.setdefault(field, set())
                    if constant is not None and not isinstance(constant, dict):
                        table[field].add(json.dumps(constant))
                    if join:
                        joined.add((kind, field))
                        for other in kinds.get(join[0], []):
                            fields.setdefault(other, {}).setdefault(join[1], set())
                            joined.add((other, join[1]))
    return fields, joined


RULESET = None


def _compiled():
    global RULESET
    if RULESET is None:
        from compliance.engine.compiler import compile_rules

        RULESET = compile_rules(list(default_rulebook().rules.values()))
    return RULESET


@st.composite
def documents(draw):
    fields, joined = _vocabulary(_compiled())
    kinds = sorted(k for k in fields if k != "document")

    def value(kind: str, field: str):
        """Mostly a value some rule tests the field with; else one of its type, or another."""
        constants = [json.loads(c) for c in sorted(fields[kind][field])]
        numeric = any(isinstance(c, (int, float)) and not isinstance(c, bool) for c in constants)
        if (kind, field) in joined:  # no null: a null joined with a value crashes durable-rules
            return draw(st.sampled_from([*constants, "a", "b", 1, 2]))
        if constants and draw(st.booleans()):
            return draw(st.sampled_from(constants))
        if numeric:
            near = {c + d for c in constants if not isinstance(c, (bool, str)) for d in (-1, 1, 5)}
            return draw(st.sampled_from([*sorted(near), 0, 2021, True, False, None]))
        return draw(st.sampled_from(["", "a", "x", True, False, 1, None]))

    def fact(kind: str) -> dict:
        out = {"kind": kind}
        for field in sorted(fields[kind]):
            if field != "kind" and draw(st.integers(0, 4)):
                out[field] = value(kind, field)
        return out

    document = fact("document")
    chosen = draw(st.lists(st.sampled_from(kinds), min_size=1, max_size=5, unique=True))  # a few kinds, often
    others = draw(st.lists(st.sampled_from(chosen), max_size=30))
    return [document, *(fact(kind) for kind in others)]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts=documents())
def test_random_facts_against_the_rulebook(facts):
    rulebook = default_rulebook()
    durable, python = engine_for(rulebook, "durable"), engine_for(rulebook, "python")
    assert canonical(python.run(facts)) == canonical(durable.run(facts))


def test_the_engine_sees_only_the_fields_conditions_test():
    """Facts reach the engine slimmed to what some condition tests; messages still get whole facts."""
    from compliance.engine import _compiled
    from compliance.rulebook import default_rulebook

    _, _, fields = _compiled(default_rulebook())
    assert {"kind", "regime", "issuer_kind", "difference", "item", "problem", "table"} <= fields
    assert not {"left", "right", "message", "text", "table_label"} & fields  # lists and words stay behind
