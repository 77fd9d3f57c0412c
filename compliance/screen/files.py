"""Screening: which files under a folder are submissions, and where each one's outputs go."""

from __future__ import annotations

from pathlib import Path

SUFFIXES = frozenset({".txt", ".md", ".markdown", ".docx", ".html", ".htm", ".xhtml", ".pdf"})


def submissions(directory: Path) -> list[Path]:
    """Every file in a supported format under ``directory`` (hidden files and folders skipped), sorted."""
    return sorted(
        path for path in directory.rglob("*")
        if path.is_file() and path.suffix.lower() in SUFFIXES
        and not any(part.startswith(".") for part in path.relative_to(directory).parts)
    )


def output_stem(path: Path, directory: Path) -> str:
    """A flat, unique name for a submission's outputs: its path under the folder with "/" → "__"
    (the suffix kept, so report.pdf and report.docx do not collide)."""
    return "__".join(path.relative_to(directory).parts)
