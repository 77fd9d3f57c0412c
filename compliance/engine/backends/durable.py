"""The durable-rules backend: one host per process, one ruleset per rulebook, one sid per document.

Follows engines.md: actions are bound by name and only collect matches (exceptions inside
actions are swallowed by the engine, so ours cannot raise and errors are surfaced after);
the host starts no timer threads; a document's facts are asserted as one batch, negated kinds
first; its state is deleted afterwards so memory stays flat."""

from __future__ import annotations

import copy
import itertools
import json
import threading
from typing import Any, ClassVar

import durable_rules_engine
from durable.engine import Host

from compliance.engine.backends import EngineName, Match, prepare
from compliance.engine.compiler import SENTINEL
from compliance.errors import ComplianceError


class _CollectingHost(Host):
    def __init__(self) -> None:
        self.matches: list[Match] = []
        self.errors: list[str] = []
        super().__init__()

    def _run(self) -> None:  # no background dispatch threads: we drive actions ourselves
        return None

    def get_action(self, action_name: str):
        def collect(closure) -> None:
            try:
                self.matches.append((action_name, {k: dict(v) for k, v in closure._m.items()}))
            except Exception as error:  # noqa: BLE001  (surfaced after the batch: the engine would swallow it)
                self.errors.append(f"{action_name}: {error!r}")

        return collect


class RuleEngine:
    """A compiled ruleset registered once on this process's host."""

    name: EngineName = "durable"

    _host: _CollectingHost | None = None
    _registered: ClassVar[dict[str, RuleEngine]] = {}
    _lock = threading.Lock()

    def __init__(self, name: str, ruleset: dict, negated: set[str]):
        self.negated = negated
        self._sids = itertools.count(1)
        host = RuleEngine._host
        assert host is not None  # for_rulebook makes it first
        host.set_rulesets({name: copy.deepcopy(ruleset)})  # set_rulesets strips "run" keys
        self._ruleset = host.get_ruleset(name)

    @classmethod
    def for_rulebook(cls, digest: str, ruleset: dict, negated: set[str]) -> RuleEngine:
        """Registering a ruleset costs memory that is never freed: one per distinct rulebook."""
        with cls._lock:
            if cls._host is None:
                cls._host = _CollectingHost()
            name = f"compliance_{digest}"
            if name not in cls._registered:
                cls._registered[name] = cls(name, ruleset, negated)
            return cls._registered[name]

    def run(self, facts: list[dict]) -> list[Match]:
        """Assert one document's facts, fire the rules, return (rule id, {alias: fact}) pairs."""
        host = RuleEngine._host
        assert host is not None  # for_rulebook made it
        with RuleEngine._lock:
            sid = str(next(self._sids))
            batch = prepare(facts, self.negated, sid)
            host.matches, host.errors = [], []
            try:
                code, state = durable_rules_engine.assert_facts(
                    self._ruleset._handle, json.dumps(batch, ensure_ascii=False)
                )
                if code == 2:
                    raise ComplianceError("rules engine: a fact id was observed twice")
                failure: list[Any] = []

                def complete(error: Any, _state: Any) -> None:
                    if error:
                        failure.append(error)

                self._ruleset.do_actions(state, complete)
                if failure:
                    raise ComplianceError(f"rules engine: {failure[0]}")
            finally:
                self._ruleset.delete_state(sid)
            if host.errors:
                raise ComplianceError("rules engine action failed: " + "; ".join(host.errors))
            return [match for match in host.matches if match[0] != SENTINEL]
