"""Key points: whether a task concerns the issuer of the report, by the units the checklist names."""

from __future__ import annotations

import re

from compliance.facts.keypoints.lexicon import KeypointLexicon

_PARENS = re.compile(r"[（(][^）)]*[）)]")


def concerns(units: list[str], issuer: str, issuer_kind: str, lexicon: KeypointLexicon) -> bool:
    """Whether a task with these units concerns a report by ``issuer``: a government answers for
    every task; a department for tasks naming every department or itself."""
    if issuer_kind != "department" or not units:
        return True
    if any(word in unit for unit in units for word in lexicon.all_departments):
        return True
    core = _core(issuer)
    return any(_overlap(_core(unit), core) >= 0.6 for unit in units)


def _core(name: str) -> str:
    """A unit's name without its place and its 职能处室 ("苏州市自然资源和规划局" → "自然资源和规划局")."""
    name = _PARENS.sub("", name)
    return re.sub(r"^.{0,6}?[省市县区](?=[^市县区]{2})", "", name, count=1)


def _overlap(unit: str, issuer: str) -> float:
    grams = {unit[i : i + 2] for i in range(len(unit) - 1)}
    return len(grams & {issuer[i : i + 2] for i in range(len(issuer) - 1)}) / len(grams) if grams else 0.0
