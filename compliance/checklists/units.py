"""Checklists: a 责任单位 cell → unit names, lead units first ("市司法局职能处室、市政府办公室政务公开办牵头，
各市、区政府（管委会）办公室（党政办）和市相关部门职能处室按职责分工负责" → lead [市司法局, 市政府办公室政务公开办],
others [各市、区政府（管委会）办公室（党政办）, 市相关部门]).

A name ends with a unit suffix (局, 委, 办公室, 部门, 县区…); a separator that would leave a
piece without one ("各市、区政府", "自然资源和规划局") is inside a name, not between two."""

from __future__ import annotations

import re

from compliance.facts.keypoints.lexicon import KeypointLexicon

_SEPARATORS = re.compile(r"([、，,；;]|和|及|以及|等)")
_PARENS = re.compile(r"[（(][^）)]*[）)]")
_MAX_NAME = 24


def is_unit(name: str, lexicon: KeypointLexicon) -> bool:
    bare = _PARENS.sub("", name).strip()
    return 2 <= len(bare) <= _MAX_NAME and bare.endswith(tuple(lexicon.unit_suffixes))


def _clean(text: str, lexicon: KeypointLexicon) -> str:
    for noise in sorted(lexicon.unit_noise, key=len, reverse=True):
        text = text.replace(noise, "、")
    return re.sub(r"\s+", "", text)


def split_units(text: str, lexicon: KeypointLexicon) -> list[str]:
    """The unit names of one cell (or one part of it), in order; [] when it names none."""
    pieces = _SEPARATORS.split(_clean(text, lexicon))
    names: list[str] = []
    pending = ""
    for index in range(0, len(pieces), 2):
        piece = pending + pieces[index]
        separator = pieces[index + 1] if index + 1 < len(pieces) else ""
        if not piece:
            pending = ""
            continue
        if is_unit(piece, lexicon) or not separator or separator in ("等", "，", ","):
            if is_unit(piece, lexicon):
                names.append(piece)
            pending = ""
        else:
            pending = piece + separator  # "各市" + "、" + "区政府…": one name
    if pending and is_unit(pending.rstrip("、，,和及等"), lexicon):
        names.append(pending.rstrip("、，,和及等"))
    unique: list[str] = []
    for name in names:
        if name not in unique:
            unique.append(name)
    return unique


def parse_units(text: str, lexicon: KeypointLexicon) -> tuple[list[str], list[str]]:
    """(all units, lead units) of a cell; units named before "牵头" lead."""
    text = text.strip()
    if "牵头" in text:
        lead_text, rest = text.split("牵头", 1)
        lead = split_units(lead_text, lexicon)
        others = [u for u in split_units(rest, lexicon) if u not in lead]
        return lead + others, lead
    return split_units(text, lexicon), []


def is_units_cell(cell: str, lexicon: KeypointLexicon) -> bool:
    """A cell of a flattened table that names units only (not a task that happens to be short)."""
    cell = re.sub(r"\s+", "", cell)
    if not cell or len(cell) > 120 or "。" in cell:
        return False
    units = split_units(cell.replace("牵头", "、"), lexicon)
    covered = sum(len(u) for u in units)
    return bool(units) and covered >= 0.7 * len(_clean(cell.replace("牵头", ""), lexicon).strip("、，,等"))
