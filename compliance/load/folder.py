"""The reports under a folder: every file in a supported format, for ``check DIR`` and ``screen``.

The listing never follows a symlink out of the folder: a link whose target lies outside it (or
inside an excluded folder: screen's output folder) is listed as skipped, with the reason, and never
read. Folder symlinks are not descended into (a link that leaves the folder is a skipped entry; one
that stays inside leads to files listed under their own path). Hidden files and folders are left
out."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from compliance.i18n import _

SUFFIXES = frozenset({".txt", ".md", ".markdown", ".docx", ".html", ".htm", ".xhtml", ".pdf"})


@dataclass
class Listing:
    """The submissions under a folder (sorted) and the symlinks skipped because they leave it."""

    files: list[Path] = field(default_factory=list)
    skipped: dict[Path, str] = field(default_factory=dict)  # path → why it was not read


def inside(path: str, folder: str) -> bool:
    """Whether ``path`` is ``folder`` or lies under it (both resolved, absolute)."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _leaves(link: Path, root: str, excluded: str | None, listing: Listing) -> bool:
    """Whether a symlink leads out of the screened folder (or into the output folder); if so it is
    noted in ``listing.skipped`` with the reason."""
    target = os.path.realpath(link)
    if inside(target, root) and not (excluded and inside(target, excluded)):
        return False
    listing.skipped[link] = _("符号链接指向检查文件夹之外（{target}），未检查").format(target=target)
    return True


def reports_under(directory: Path, exclude: Path | None = None) -> Listing:
    """Every file in a supported format under ``directory`` (hidden files and folders skipped,
    ``exclude`` — the output folder — left out), sorted; symlinks leaving the folder as skipped."""
    root = os.path.realpath(directory)
    excluded = os.path.realpath(exclude) if exclude is not None else None
    listing = Listing()
    entries: list[Path] = []
    for folder, folders, names in os.walk(directory, followlinks=False):
        kept = []
        for name in sorted(folders):
            path = Path(folder, name)
            if name.startswith("."):
                continue
            if path.is_symlink():
                if _leaves(path, root, excluded, listing):
                    entries.append(path)
                continue  # a link that stays inside: its files are listed where they are
            if excluded and os.path.realpath(path) == excluded:
                continue
            kept.append(name)
        folders[:] = kept
        for name in names:
            path = Path(folder, name)
            if name.startswith(".") or path.suffix.lower() not in SUFFIXES:
                continue
            if path.is_symlink() and _leaves(path, root, excluded, listing):
                entries.append(path)
                continue
            try:
                if not stat.S_ISREG(os.stat(path).st_mode):  # a FIFO, a device, a dangling link
                    continue
            except OSError:
                continue
            entries.append(path)
    entries.sort()
    listing.files = [path for path in entries if path not in listing.skipped]
    listing.skipped = {path: listing.skipped[path] for path in entries if path in listing.skipped}
    return listing
