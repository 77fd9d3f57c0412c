"""Stage 5's engines: one interface, two backends that give the same matches.

``durable`` is durable-rules 2.0.28 (a C extension; it does not import on Python 3.13+).
``python`` interprets the same compiled ruleset JSON in plain Python, durable-rules' semantics
included (``python.py`` says which). ``auto`` is durable-rules where it imports, else Python.

A backend takes one document's facts and returns its matches: ``(rule id, {alias: fact})`` for
every positive alias, the sentinel rule's match left out. Both see the facts in the same order
with the same ids (``prepare``), so the findings sort the same way."""

from __future__ import annotations

import importlib
from functools import lru_cache
from typing import Any, Literal, Protocol

from compliance.errors import ComplianceError

Match = tuple[str, dict[str, dict[str, Any]]]
EngineName = Literal["durable", "python"]
ENGINES: tuple[EngineName, ...] = ("durable", "python")
CHOICES = ("auto", *ENGINES)


class EngineUnavailable(ComplianceError):
    """The engine asked for cannot run here."""


class Backend(Protocol):
    name: EngineName

    def run(self, facts: list[dict]) -> list[Match]:
        """Match one document's facts (model dumps, each with its ``kind``)."""
        ...


@lru_cache(maxsize=1)
def durable_available() -> bool:
    """Whether durable-rules imports here (it is not installed on Python 3.13+, where it fails)."""
    try:
        importlib.import_module("durable_rules_engine")
        importlib.import_module("durable.engine")
    except Exception:  # noqa: BLE001 — ImportError, or a symbol the interpreter no longer has
        return False
    return True


# ``auto`` resolves to this when set (tests run every rule case on both backends through it).
forced: EngineName | None = None


def resolve(name: str = "auto") -> EngineName:
    """The backend ``name`` means here; a clear error when it cannot run."""
    if name == "auto":
        name = forced or ("durable" if durable_available() else "python")
    if name not in ENGINES:
        raise EngineUnavailable(f"unknown rules engine {name!r} (choose from {', '.join(CHOICES)})")
    if name == "durable" and not durable_available():
        raise EngineUnavailable(
            "the durable rules engine is not installed here (durable-rules does not run on Python 3.13+); "
            "use the python engine (--engine python, or leave the engine out)"
        )
    return name


def available() -> list[EngineName]:
    """The backends that run here."""
    return [name for name in ENGINES if name != "durable" or durable_available()]


def backend(name: str, digest: str, ruleset: dict, negated: set[str]) -> Backend:
    """The backend ``name`` for a compiled ruleset (one per rulebook digest and process)."""
    name = resolve(name)
    if name == "durable":
        from compliance.engine.backends.durable import RuleEngine

        return RuleEngine.for_rulebook(digest, ruleset, negated)
    from compliance.engine.backends.python import Interpreter

    return Interpreter.for_rulebook(digest, ruleset, negated)


def prepare(facts: list[dict], negated: set[str], sid: str) -> list[dict]:
    """One document's facts as both backends see them: the kinds some rule negates first (durable-rules
    does not re-evaluate a ``$not`` when a matching fact arrives later), then the document fact, then
    the rest in the extractor's order; each with the document's ``sid`` and an ``id`` "SID.N"."""
    if not any(f["kind"] == "document" for f in facts):
        raise ComplianceError("rules engine: every document needs its document fact")
    ordered = sorted(facts, key=lambda f: (f["kind"] not in negated, f["kind"] != "document"))
    return [dict(fact, sid=sid, id=f"{sid}.{i}") for i, fact in enumerate(ordered)]
