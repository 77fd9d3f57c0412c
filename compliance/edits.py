"""Applying findings' edits to the original text (used by ``fix`` and by rule-case tests)."""

from __future__ import annotations

from compliance.models.findings import Edit


def apply_edits(original: str, edits: list[Edit], unsafe: bool = False) -> str:
    """Apply non-overlapping edits (unsafe ones only when asked), last first so offsets hold."""
    chosen = sorted((e for e in edits if e.safe or unsafe), key=lambda e: (e.start, e.end))
    result, position = [], 0
    for edit in chosen:
        if edit.start < position:
            continue  # overlaps an edit already applied: keep the first
        result += [original[position : edit.start], edit.replacement]
        position = edit.end
    result.append(original[position:])
    return "".join(result)
