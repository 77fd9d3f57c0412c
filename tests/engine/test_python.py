"""The Python backend on its own (it runs everywhere): durable-rules' answers, pinned, and what it refuses.

test_backends.py measures these against durable-rules where it is installed; here they hold on
every Python, 3.13+ included."""

from __future__ import annotations

import time

import pytest

from compliance.engine.backends.python import Interpreter, RulesetError
from compliance.engine.compiler import SENTINEL, compile_rules, negated_kinds
from compliance.errors import ComplianceError
from compliance.rulebook import default_rulebook

DOCUMENT = {"kind": "document", "n": 0}


def run(rules: dict, facts: list[dict], negated=()) -> list[tuple[str, dict[str, int]]]:
    matches = Interpreter(rules, set(negated)).run([DOCUMENT, *facts])
    found = [(rule, {alias: fact["n"] for alias, fact in bound.items()}) for rule, bound in matches]
    return sorted(found, key=lambda match: (match[0], sorted(match[1].items())))


def one(test: dict) -> dict:
    return {"R": {"all": [{"f": {"$and": [{"kind": "t"}, test]}}], "run": "R"}}


def fires(test: dict, value) -> bool:
    fact = {"kind": "t", "n": 1} | ({} if value is Ellipsis else {"v": value})
    return bool(run(one(test), [fact]))


@pytest.mark.parametrize(
    "test", [{"v": 1}, {"$neq": {"v": 1}}, {"$lt": {"v": 1}}, {"$gte": {"v": 1}}, {"$ex": {"v": 1}}]
)
def test_a_missing_field_passes_no_test(test):
    assert not fires(test, ...)
    assert fires({"$nex": {"v": 1}}, ...) and not fires({"$nex": {"v": 1}}, None)


def test_null():
    assert fires({"v": None}, None)
    assert not fires({"$neq": {"v": "x"}}, None)  # a fact's null is not even unequal to a value
    assert not fires({"$lt": {"v": 1}}, None)
    assert fires({"$neq": {"v": None}}, "x") and not fires({"v": None}, 0)


def test_numbers_and_bools_compare_as_numbers():
    assert fires({"v": 1}, True) and fires({"v": True}, 1) and fires({"v": 0}, False)
    assert fires({"$lt": {"v": 2}}, 1.5) and fires({"v": 1.5}, 1.5) and fires({"$gt": {"v": 0}}, True)


def test_strings_compare_as_durable_rules_does():
    assert fires({"$lt": {"v": "b"}}, "a") and fires({"$gt": {"v": "a"}}, "中")
    assert not fires({"$lt": {"v": "ab!"}}, "ab")  # the fact's closing quote is compared: '"' > '!'
    assert fires({"$gt": {"v": "ab!"}}, "ab")
    assert fires({"v": "1"}, 1) and not fires({"v": 1}, "1")  # %lld against the string; the string whole
    assert fires({"v": "true"}, True) and fires({"v": True}, "true") and not fires({"v": True}, "True")
    assert fires({"v": "1.500000"}, 1.5)
    assert not fires({"v": 'a"b'}, "a") and fires({"v": 'a"b'}, 'a"b')


def test_lists_and_objects_compare_with_nothing():
    for value in ([1], {"a": 1}):
        assert not fires({"v": 1}, value) and not fires({"$neq": {"v": 1}}, value) and fires({"$ex": {"v": 1}}, value)


def test_joins_meet_in_the_values_text():
    rules = {"R": {"all": [{"f": {"kind": "t"}}, {"g": {"$and": [{"kind": "u"}, {"i": {"f": "i"}}]}}], "run": "R"}}

    def joins(a, b) -> bool:
        return bool(run(rules, [{"kind": "t", "n": 1, "i": a}, {"kind": "u", "n": 2, "i": b}]))

    assert joins(1, "1") and joins("1", 1) and joins(True, "true") and joins(None, None) and joins(1.5, "1.500000")
    assert not joins(True, 1) and not joins(1, 1.0) and not joins(1, None) and not joins([1], [1])


def test_aliases_bind_distinct_facts():
    rules = {"R": {"all": [{"x": {"kind": "t"}}, {"y": {"kind": "t"}}], "run": "R"}}
    assert run(rules, [{"kind": "t", "n": 1}, {"kind": "t", "n": 2}]) == [
        ("R", {"x": 1, "y": 2}),
        ("R", {"x": 2, "y": 1}),
    ]
    rules["R"]["dist"] = 0
    assert len(run(rules, [{"kind": "t", "n": 1}, {"kind": "t", "n": 2}])) == 4


def test_not():
    rules = {"R": {"all": [{"f": {"kind": "t"}}, {"a$not": {"$and": [{"kind": "u"}, {"i": {"f": "i"}}]}}], "run": "R"}}
    facts = [
        {"kind": "u", "n": 1, "i": "x"},
        {"kind": "t", "n": 2, "i": "x"},
        {"kind": "t", "n": 3, "i": "y"},
        {"kind": "t", "n": 4},
    ]
    assert run(rules, facts, {"u"}) == [("R", {"f": 3}), ("R", {"f": 4})]
    # whatever the order: the Python backend judges a $not on all the facts
    assert run(rules, facts[::-1], set()) == run(rules, facts, {"u"})
    first = {"R": {"all": [{"a$not": {"kind": "u"}}, {"f": {"kind": "t"}}], "run": "R"}}
    assert run(first, [{"kind": "t", "n": 1}]) == []  # as in durable-rules: no frame starts at a $not


def test_or_counts_ways_on_the_first_alias_only():
    both = {"$and": [{"kind": "t"}, {"$or": [{"x": 1}, {"y": 1}]}]}
    fact = {"kind": "t", "n": 1, "x": 1, "y": 1}
    assert len(run({"R": {"all": [{"f": both}], "run": "R"}}, [fact])) == 2
    later = {"R": {"all": [{"d": {"kind": "document"}}, {"f": both}], "run": "R"}}
    assert len(run(later, [fact])) == 1


def test_inequality_joins():
    """durable-rules can crash on them (#381, the compiler refuses them); the interpreter reads them."""
    rules = {
        "R": {"all": [{"f": {"kind": "t"}}, {"g": {"$and": [{"kind": "u"}, {"$lt": {"i": {"f": "i"}}}]}}], "run": "R"}
    }
    facts = [{"kind": "t", "n": 1, "i": 5}, {"kind": "u", "n": 2, "i": 2}, {"kind": "u", "n": 3, "i": 9}]
    assert run(rules, facts) == [("R", {"f": 1, "g": 2})]


def test_matches_carry_the_facts_as_durable_rules_returns_them():
    ((rule, bound),) = Interpreter(one({"v": 1}), set()).run([DOCUMENT, {"kind": "t", "v": 1, "span": (3, 4)}])
    assert rule == "R" and bound["f"] == {"kind": "t", "v": 1, "span": [3, 4], "sid": "1", "id": "1.1"}


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        ({"all": [{"f": {"$and": [{"kind": "t"}, {"$mt": {"v": "a.*"}}]}}]}, "$mt is not supported"),
        ({"all": [{"f": {"kind": "t", "v": 1}}]}, "one key"),
        ({"all": [{"f": {"$and": [{"kind": "t"}, {"v": {"g": "v"}}]}}]}, "no earlier alias"),
        ({"all": [{"f": {"kind": "t"}}, {"g": {"$and": [{"kind": "u"}, {"v": {"h": "v"}}]}}]}, "no earlier alias"),
        ({"all": [{"f": {"v": 1}}]}, "tests the fact's kind"),
        ({"all": [{"f": {"kind": "t"}}], "count": 2}, "count is not supported"),
    ],
)
def test_what_it_refuses(rule, reason):
    with pytest.raises(RulesetError, match=reason.replace("$", r"\$")):
        Interpreter({"R": rule}, set())


def test_every_document_needs_its_document_fact():
    with pytest.raises(ComplianceError, match="document fact"):
        Interpreter(one({"v": 1}), set()).run([{"kind": "t", "v": 1}])


def test_the_sentinel_is_not_evaluated():
    rules = {SENTINEL: {"all": [{"doc": {"kind": "document"}}], "run": SENTINEL}}
    assert Interpreter(rules, set()).run([DOCUMENT]) == []


def test_a_large_document_is_quick():
    """Facts are found by kind and joined through a hash: 3 000 facts, 200 rules in well under a second."""
    rules = {}
    for k in range(200):
        rules[f"R{k}"] = {
            "all": [
                {"doc": {"$and": [{"kind": "document"}, {"$or": [{"regime": "a"}, {"regime": "b"}]}]}},
                {"f": {"$and": [{"kind": f"k{k % 20}"}, {"$gt": {"v": k}}]}},
                {"a$not": {"$and": [{"kind": "present"}, {"item": {"f": "item"}}]}},
            ],
            "run": f"R{k}",
        }
    facts = [{"kind": "document", "regime": "a"}]
    facts += [{"kind": f"k{i % 20}", "v": i % 300, "item": f"i{i % 50}"} for i in range(2_000)]
    facts += [{"kind": "present", "item": f"i{i}"} for i in range(0, 1_000, 2)]
    interpreter = Interpreter(rules, {"present"})
    started = time.perf_counter()
    matches = interpreter.run(facts)
    assert matches and time.perf_counter() - started < 1.5


def test_no_rule_matches_a_negated_kind_positively():
    """durable-rules judges a $not only on the facts asserted before (the host asserts negated
    kinds first); the interpreter on all of them. They agree while no kind is both negated and
    matched: a rule that did both would need durable-rules' order, which no batch can give."""
    specs = list(default_rulebook().rules.values())
    negated = negated_kinds(specs)
    for rule_id, rule in compile_rules(specs).items():
        for entry in rule["all"] if rule_id != SENTINEL else []:
            ((alias, _condition),) = entry.items()
            if not alias.endswith("$not"):
                kinds = Interpreter({rule_id: {"all": [entry]}}, set()).rules[0].aliases[0].kinds
                assert not kinds & negated, (
                    f"{rule_id}: {alias} matches {sorted(kinds & negated)}, which a rule negates"
                )
