"""The Python backend: the compiled ruleset JSON interpreted in plain Python, as durable-rules reads it.

A rule is ``{"all": [{alias: condition}, ...], "run": ID}``; a condition is ``$and``/``$or`` of
tests on one fact: equality ``{field: value}``, ``$lt/$lte/$gt/$gte/$neq``, ``$ex/$nex``, and
joins ``{field: {alias: field}}`` to an earlier alias (any operator). A match binds every
positive alias to a fact, in order; an ``alias$not`` holds when no fact satisfies it given the
earlier bindings. Where durable-rules 2.0.28 answers something other than the logic of the
condition, this answers what it answers (measured with tests/engine, read in its
``src/rules/events.c``):

- A fact binds at most one alias of a match (``"dist": 0`` on a rule lifts that), and a
  ``$not`` is not satisfied by a fact already bound.
- A test on a field the fact lacks is false, whatever the operator (``$nex`` aside); a ``$not``
  whose join finds the field missing on either side is therefore satisfied.
- Values compare as durable-rules' ``reduceProperties`` does: bools, ints and floats as numbers
  (``true == 1``); a string against anything else as C strings — the fact's escaped JSON text
  and its closing quote, ``true ``/``false `` for bools, ``%lld``/``%f`` for numbers — so ``"ab"
  < "ab!"`` is false and ``1 == "1"`` holds while ``"1" == 1`` does not; a fact's ``null`` is
  only equal to ``null`` (and not unequal to anything), any value is unequal to a ``null``;
  lists and objects compare with nothing.
- Joins meet in a hash of the values' text before they are compared (``1`` joins ``"1"`` and
  ``true`` joins ``"true"``, ``true`` does not join ``1``), for the equality joins durable-rules
  hashes: those of the condition's leading ``$and`` before its first nested group.
- Constant tests and join tests are separate networks: the constant tests (a join only asks
  that the fact have the field) pass along some path, then the joins are reduced as
  ``reduceExpressionSequence`` does, which stops at the first nested group's end.
- The first alias is matched once per way its constant tests pass (an ``$or`` whose two
  branches hold gives two matches); a rule that starts with ``$not`` never fires.

Where durable-rules crashes or fails (a join on lists, or on a field missing where it does not
look first), this answers "no match". Unlike durable-rules, a ``$not`` is judged on all of the
document's facts, whatever their order: the host asserts the negated kinds first for that."""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from compliance.engine.backends import EngineName, Match, prepare
from compliance.engine.compiler import SENTINEL
from compliance.errors import ComplianceError

_COMPARISONS = {"$lt": "lt", "$lte": "lte", "$gt": "gt", "$gte": "gte", "$neq": "neq"}
_UNSUPPORTED = ("$mt", "$imt", "$iall", "$iany", "$add", "$sub", "$mul", "$div", "$all", "$any", "$s")
_MISSING = object()
_LONG = 1 << 30  # the length durable-rules reads for a number in a rule: not initialised, large in practice


class RulesetError(ComplianceError):
    """A compiled rule the interpreter does not read."""

    def __init__(self, rule: str, reason: str):
        super().__init__(f"rules engine (python): rule {rule}: {reason}")


# ----------------------------------------------------------------------------------------------
# Values, compared as durable-rules compares them


def _escaped(text: str) -> bytes:
    return json.dumps(text, ensure_ascii=False)[1:-1].encode("utf-8")


def _json_length(value: Any) -> int:
    return len(json.dumps(value))


def _operand(value: Any, in_fact: bool) -> tuple[str, Any, bytes, int]:
    """(type, number, C string, length) of a value as reduceProperties sees it: a string in a fact
    is followed by its closing quote, one in a rule by NUL; a number's length is its JSON text's in a
    fact and unread (large) in a rule."""
    if value is None:
        return "nil", None, b"", 0
    if isinstance(value, bool):
        return ("bool", int(value), b"true \0", 4) if value else ("bool", 0, b"false \0", 5)
    if isinstance(value, int):
        return "int", value, str(value).encode() + b"\0", _json_length(value) if in_fact else _LONG
    if isinstance(value, float):
        return "double", value, (b"%f" % value) + b"\0", _json_length(value) if in_fact else _LONG
    if isinstance(value, str):
        text = _escaped(value)
        return "str", None, text + (b'"' if in_fact else b"\0"), len(text)
    return "other", None, b"", 0


def _compare(left: tuple, right: tuple) -> int | None:
    """-1, 0 or 1 as reduceProperties orders ``left`` (a fact's value) and ``right``; None where it
    compares nothing (a fact's null against a value, lists, objects). Nulls are handled by ``_holds``."""
    ltype, lnumber, lbytes, llength = left
    rtype, rnumber, rbytes, rlength = right
    if "other" in (ltype, rtype):
        return None
    if ltype != "str" and rtype != "str":
        if ltype == "double" or rtype == "double":
            lnumber, rnumber = float(lnumber), float(rnumber)
        return (lnumber > rnumber) - (lnumber < rnumber)
    # strncmp(left, right, max(lengths)): both end in NUL or a quote, so they differ within both
    length = max(llength, rlength)
    lcut, rcut = lbytes[:length], rbytes[:length]
    return (lcut > rcut) - (lcut < rcut)


_TESTS: dict[str, Callable[[int], bool]] = {
    "eq": lambda c: c == 0,
    "neq": lambda c: c != 0,
    "lt": lambda c: c < 0,
    "lte": lambda c: c <= 0,
    "gt": lambda c: c > 0,
    "gte": lambda c: c >= 0,
}


def _holds(op: str, left: Any, right: Any, right_in_fact: bool) -> bool:
    """Whether ``left`` (a fact's value) ``op`` ``right`` holds for durable-rules."""
    if left is None or right is None:
        if left is None:  # null only equals null; against anything else nothing holds
            return right is None and op == "eq" and not isinstance(right, (list, dict))
        if isinstance(left, (list, dict)):
            return False
        return op == "neq"
    if type(left) is type(right) and type(left) in (int, str) and (op == "eq" or op == "neq"):
        return (left == right) == (op == "eq")  # the usual case, fast
    order = _compare(_operand(left, True), _operand(right, right_in_fact))
    return order is not None and _TESTS[op](order)


def _hash_text(value: Any) -> Any:
    """What durable-rules hashes a joined value by: its text (null, lists and objects alike)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:f}"
    if isinstance(value, str):
        return value
    return _MISSING if value is _MISSING else None


# ----------------------------------------------------------------------------------------------
# Conditions


class _Test:
    """One test on a field: a constant (``alias`` None) or a join to an earlier alias's field."""

    def __init__(self, op: str, field: str, value: Any, alias: str | None = None):
        self.op, self.field, self.value, self.alias = op, field, value, alias

    def passes(self, fact: dict) -> bool:  # the constant network: a join only needs the field
        value = fact.get(self.field, _MISSING)
        if value is _MISSING:
            return False
        return self.alias is not None or _holds(self.op, value, self.value, False)

    def joins(self, fact: dict, frame: dict[str, dict]) -> bool:
        assert self.alias is not None  # a join test
        value, other = fact.get(self.field, _MISSING), frame[self.alias].get(self.value, _MISSING)
        return value is not _MISSING and other is not _MISSING and _holds(self.op, value, other, True)


class _Presence:
    def __init__(self, field: str, exists: bool):
        self.field, self.exists = field, exists

    def passes(self, fact: dict) -> bool:
        return (self.field in fact) == self.exists


class _Group:
    def __init__(self, op: str, children: list):
        self.op, self.children = op, children


def _parse(rule: str, condition: Any) -> Any:
    if not isinstance(condition, dict) or len(condition) != 1:
        raise RulesetError(
            rule, f"a condition is an object with one key, not {json.dumps(condition, ensure_ascii=False)}"
        )
    ((key, value),) = condition.items()
    if key in ("$and", "$or"):
        if not isinstance(value, list) or not value:
            raise RulesetError(rule, f"{key} takes a list of conditions")
        return _Group(key[1:], [_parse(rule, child) for child in value])
    if key in ("$ex", "$nex"):
        ((field, _),) = _single(rule, key, value)
        return _Presence(field, key == "$ex")
    if key in _COMPARISONS:
        ((field, operand),) = _single(rule, key, value)
        return _test(rule, _COMPARISONS[key], field, operand)
    if key.startswith("$") or key in _UNSUPPORTED:
        raise RulesetError(rule, f"{key} is not supported by the python engine")
    return _test(rule, "eq", key, value)


def _single(rule: str, key: str, value: Any):
    if not isinstance(value, dict) or len(value) != 1:
        raise RulesetError(rule, f"{key} takes one field")
    return value.items()


def _test(rule: str, op: str, field: str, operand: Any) -> _Test:
    if isinstance(operand, dict):
        if len(operand) != 1 or any(not isinstance(v, str) or k.startswith("$") for k, v in operand.items()):
            raise RulesetError(
                rule, f"{field}: a join is {{alias: field}}, not {json.dumps(operand, ensure_ascii=False)}"
            )
        ((alias, other),) = operand.items()
        return _Test(op, field, other, alias)
    if isinstance(operand, list):
        raise RulesetError(rule, f"{field}: lists are not compared")
    return _Test(op, field, operand)


def _ways(node: Any, fact: dict) -> int:
    """In how many ways the constant tests let ``fact`` through (``$or`` branches add up)."""
    if isinstance(node, _Group):
        if node.op == "and":
            total = 1
            for child in node.children:
                total *= _ways(child, fact)
                if not total:
                    return 0
            return total
        return sum(_ways(child, fact) for child in node.children)
    return int(node.passes(fact))


def selects(condition: dict, fact: dict) -> bool:
    """Whether one fact passes a condition of tests on it alone (no joins), as both backends read it."""
    return _ways(_parse("", condition), fact) > 0


_END = object()


def _sequence(node: Any, out: list) -> list:
    """The join tests in durable-rules' expression sequence: AND/OR ... END around each group."""
    if isinstance(node, _Group):
        out.append(node.op)
        for child in node.children:
            _sequence(child, out)
        out.append(_END)
    elif isinstance(node, _Test) and node.alias is not None:
        out.append(node)
    return out


def _reduce(sequence: list, start: int, op: str, fact: dict, frame: dict) -> bool:
    """reduceExpressionSequence: a group's tests in turn, short-circuited; a nested group's value
    ends the group (the engine resumes at the nested group's END)."""
    value, index = True, start
    while index < len(sequence):
        item = sequence[index]
        if item is _END:
            return value
        if isinstance(item, str):
            return _reduce(sequence, index + 1, item, fact, frame)  # ends this group, short-circuit or not
        value = item.joins(fact, frame)
        index += 1
        if (op == "and" and not value) or (op == "or" and value):
            return value
    return value


def _kinds(node: Any) -> frozenset[str] | None:
    """The kinds a fact must have (string equality on ``kind``), or None when not known."""
    if isinstance(node, _Test):
        if node.field == "kind" and node.op == "eq" and node.alias is None and isinstance(node.value, str):
            return frozenset([node.value])
        return None
    if isinstance(node, _Group):
        found = [_kinds(child) for child in node.children]
        if node.op == "and":
            known = [kinds for kinds in found if kinds is not None]
            return min(known, key=len) if known else None
        present = [kinds for kinds in found if kinds is not None]
        return None if len(present) < len(found) else frozenset[str]().union(*present)
    return None


class _Alias:
    def __init__(self, rule: str, name: str, condition: Any, earlier: list[str], first: bool):
        self.negated = name.endswith("$not")
        self.name = name[: -len("$not")] if self.negated else name
        self.node = _parse(rule, condition)
        self.key = json.dumps(condition, sort_keys=True, ensure_ascii=False)
        kinds = _kinds(self.node)
        if kinds is None:  # durable-rules would also match its own state fact, and run away
            raise RulesetError(rule, f"{self.name}: every alias tests the fact's kind")
        self.kinds = kinds
        self.sequence = _sequence(self.node, [])
        for test in self.sequence:
            if isinstance(test, _Test) and (first or test.alias not in earlier):
                raise RulesetError(rule, f"{self.name}.{test.field} joins {test.alias}, which is no earlier alias")
        # The equality joins durable-rules hashes (getFrameHash): the whole sequence when it is one
        # test, else those of the leading $and before its first nested group.
        if len(self.sequence) == 1:
            self.hashed = [t for t in self.sequence if t.op == "eq"]
        elif self.sequence and self.sequence[0] == "and":
            self.hashed = []
            for item in itertools.takewhile(lambda i: i is not _END and i != "or", self.sequence[1:]):
                if isinstance(item, _Test) and item.op == "eq":
                    self.hashed.append(item)
        else:
            self.hashed = []

    def fact_key(self, fact: dict) -> tuple:
        return tuple(_hash_text(fact[t.field]) for t in self.hashed)

    def frame_key(self, frame: dict) -> tuple | None:
        key = tuple(_hash_text(frame[t.alias].get(t.value, _MISSING)) for t in self.hashed)
        return None if _MISSING in key else key

    def joins(self, fact: dict, frame: dict) -> bool:
        return not self.sequence or _reduce(self.sequence, 0, "none", fact, frame)


class _Rule:
    def __init__(self, rule_id: str, rule: Any):
        if not isinstance(rule, dict) or not isinstance(rule.get("all"), list) or not rule["all"]:
            raise RulesetError(rule_id, 'a rule is {"all": [{alias: condition}, ...]}')
        unknown = set(rule) - {"all", "run", "dist", "pri"}
        if unknown:
            raise RulesetError(rule_id, f"{', '.join(sorted(unknown))} is not supported by the python engine")
        self.id = rule.get("run", rule_id)
        self.distinct = bool(rule.get("dist", 1))
        self.aliases: list[_Alias] = []
        earlier: list[str] = []
        for position, entry in enumerate(rule["all"]):
            if not isinstance(entry, dict) or len(entry) != 1:
                raise RulesetError(rule_id, "each entry of 'all' is {alias: condition}")
            ((name, condition),) = entry.items()
            alias = _Alias(rule_id, name, condition, earlier, position == 0)
            if not alias.negated:
                earlier.append(alias.name)
            self.aliases.append(alias)

    def matches(self, document: _Document) -> list[Match]:
        first, *rest = self.aliases
        if first.negated:  # durable-rules starts frames only at a positive first alias
            return []
        frames: list[dict[str, dict]] = [
            {first.name: fact} for fact, ways in document.passing(first) for _ in range(ways)
        ]
        for alias in rest:
            if not frames:
                return []
            buckets = document.buckets(alias)
            kept: list[dict[str, dict]] = []
            for frame in frames:
                key = alias.frame_key(frame)
                candidates = () if key is None else buckets.get(key, ())
                bound = [id(fact) for fact in frame.values()] if self.distinct else []
                found = (fact for fact in candidates if id(fact) not in bound and alias.joins(fact, frame))
                if alias.negated:
                    if next(found, None) is None:
                        kept.append(frame)
                else:
                    kept.extend({**frame, alias.name: fact} for fact in found)
            frames = kept
        return [(self.id, {name: dict(fact) for name, fact in frame.items()}) for frame in frames]


class _Document:
    """One document's facts, indexed by kind; what passes each condition's constant tests, once."""

    def __init__(self, facts: list[dict]):
        self.facts = facts
        self.by_kind: dict[str, list[dict]] = {}
        self.odd: list[dict] = []  # a kind that is no string (compared as durable-rules would)
        for fact in facts:
            kind = fact.get("kind", _MISSING)
            if isinstance(kind, str):
                self.by_kind.setdefault(kind, []).append(fact)
            elif kind is not _MISSING:
                self.odd.append(fact)
        self._passing: dict[str, list[tuple[dict, int]]] = {}
        self._buckets: dict[str, dict[tuple, list[dict]]] = {}

    def _candidates(self, alias: _Alias) -> Iterable[dict]:
        return itertools.chain.from_iterable([*(self.by_kind.get(k, ()) for k in sorted(alias.kinds)), self.odd])

    def passing(self, alias: _Alias) -> list[tuple[dict, int]]:
        found = self._passing.get(alias.key)
        if found is None:
            found = self._passing[alias.key] = [
                (fact, ways) for fact in self._candidates(alias) if (ways := _ways(alias.node, fact))
            ]
        return found

    def buckets(self, alias: _Alias) -> dict[tuple, list[dict]]:
        found = self._buckets.get(alias.key)
        if found is None:
            found = self._buckets[alias.key] = {}
            for fact, _ in self.passing(alias):
                found.setdefault(alias.fact_key(fact), []).append(fact)
        return found


class Interpreter:
    """A compiled ruleset read once per rulebook; matches one document at a time."""

    name: EngineName = "python"
    _registered: ClassVar[dict[str, Interpreter]] = {}
    _lock = threading.Lock()

    def __init__(self, ruleset: dict, negated: set[str]):
        self.negated = set(negated)
        # The sentinel rule works around a durable-rules crash (compiler.py): nothing to do here.
        self.rules = [_Rule(rule_id, rule) for rule_id, rule in ruleset.items() if rule_id != SENTINEL]
        self._sids = itertools.count(1)

    @classmethod
    def for_rulebook(cls, digest: str, ruleset: dict, negated: set[str]) -> Interpreter:
        with cls._lock:
            if digest not in cls._registered:
                cls._registered[digest] = cls(ruleset, negated)
            return cls._registered[digest]

    def run(self, facts: list[dict]) -> list[Match]:
        """One document's facts → (rule id, {alias: fact}) for every match, as durable-rules gives them."""
        with self._lock:
            sid = str(next(self._sids))
        batch = prepare(facts, self.negated, sid)
        # The facts as durable-rules keeps and returns them (JSON). (It also asserts a state fact
        # per sid, which only a condition without a kind test could match: durable-rules then runs
        # away, taking gigabytes, so no such rule exists to agree with.)
        document = _Document(json.loads(json.dumps(batch, ensure_ascii=False)))
        matches: list[Match] = []
        for rule in self.rules:
            matches.extend(rule.matches(document))
        return matches
