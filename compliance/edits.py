"""Applying findings' edits to the original text (used by ``fix`` and by rule-case tests)."""

from __future__ import annotations

from compliance.i18n import N_
from compliance.models.findings import Edit

# Why an edit is skipped: compared as written, shown translated (compliance/fix: summary).
UNSAFE = N_("不安全（加 --unsafe 才应用）")
OVERLAP = N_("与之前应用的修改重叠")


def triage(edits: list[Edit], unsafe: bool = False) -> list[str | None]:
    """Per edit, in the given order: None when it applies, else why not. Unsafe edits apply only
    when asked; of overlapping edits the first by position wins, and of two that start together
    the longer, which contains the other (a residue deletion over a script conversion)."""
    reasons: list[str | None] = [None if edit.safe or unsafe else UNSAFE for edit in edits]
    position = 0
    for index in sorted((i for i, r in enumerate(reasons) if r is None), key=lambda i: (edits[i].start, -edits[i].end)):
        if edits[index].start < position:
            reasons[index] = OVERLAP
        else:
            position = edits[index].end
    return reasons


def apply_edits(original: str, edits: list[Edit], unsafe: bool = False) -> str:
    """Apply the edits ``triage`` lets through, in position order."""
    chosen = sorted(
        (e for e, reason in zip(edits, triage(edits, unsafe)) if reason is None), key=lambda e: (e.start, e.end)
    )
    result, position = [], 0
    for edit in chosen:
        result += [original[position : edit.start], edit.replacement]
        position = edit.end
    result.append(original[position:])
    return "".join(result)
