"""Key points: which checklists a check uses — ``--keypoints NAME|FILE`` and configuration entries
selected by jurisdiction and year. Lives apart from checklist.py because a FILE may be the
key-point document itself, which needs the whole reading stack (load → normalise → parse)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from compliance.keypoints.checklist import Checklist, ChecklistError, load_checklist, shipped
from compliance.keypoints.extract import extract_file
from compliance.models.config import Config


def resolve(spec: str | Path) -> Checklist:
    """A checklist file (.yaml/.yml/.json), a key-point document in any format the loaders read
    (extracted on the fly), or the name of a checklist shipped under rules/keypoints/."""
    file = Path(spec)
    if file.is_file():
        if file.suffix.lower() in (".yaml", ".yml", ".json"):
            return load_checklist(file)
        return extract_file(file)
    known = shipped()
    if str(spec) in known:
        return load_checklist(known[str(spec)])
    names = ", ".join(known) or "none"
    raise ChecklistError(str(spec), f"no such checklist file or shipped checklist (shipped: {names})")


@lru_cache(maxsize=64)
def _cached(spec: str, stamp: float) -> Checklist:
    return resolve(spec)


def _resolve_cached(spec: str) -> Checklist:
    """Configured checklists are read once per process (per file version), not once per report."""
    file = Path(spec)
    return _cached(spec, file.stat().st_mtime if file.is_file() else 0.0)


def configured(config: Config) -> list[Checklist] | None:
    """The checklists the configuration's ``keypoints`` entries name, each limited to reports of
    its year and (when given) jurisdiction; None when there are none."""
    selected = []
    for entry in config.keypoints:
        checklist = _resolve_cached(entry.checklist).model_copy()
        if entry.year is not None and entry.year != checklist.year:
            raise ChecklistError(entry.checklist, f"configured for {entry.year} but the checklist is for {checklist.year}")
        places = [entry.jurisdiction] if isinstance(entry.jurisdiction, str) else list(entry.jurisdiction or [])
        checklist.only_for = places
        checklist.name = checklist.name or Path(entry.checklist).stem
        selected.append(checklist)
    return selected or None
