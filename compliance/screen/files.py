"""Screening: which files under a folder are submissions, where each one's outputs go, and which
output folders are refused.

The listing is compliance/load/folder.py's; the output folder, when it lies inside the screened
folder, is not listed: a rerun never screens its own outputs."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from compliance.errors import ComplianceError
from compliance.load.folder import inside

# What screen appends to a submission's name: reports/<name>.json|.html, notices/<name>.md|.docx.
OUTPUT_SUFFIXES = (".json", ".html", ".md", ".docx")
# What screen writes at the top of the output folder.
OUTPUT_ROOTS = ("summary.csv", "summary.html", "reports", "notices")
NAME_MAX = 255  # bytes per path component (ext4, XFS, Btrfs, APFS, NTFS in UTF-16 units)
_LONGEST_SUFFIX = max(len(s) for s in OUTPUT_SUFFIXES)


class ScreenError(ComplianceError):
    """The screening cannot start (an output folder that would overwrite or screen the inputs)."""


def check_output(directory: Path, outdir: Path) -> None:
    """Refuse an output folder whose outputs would land on or beside the submissions: the
    screened folder itself, or one where summary.csv, summary.html, reports/ or notices/ is (or
    leads into, or holds) the screened folder. An output folder inside the screened folder is
    fine: it is left out of the listing."""
    root, out = os.path.realpath(directory), os.path.realpath(outdir)
    same = root == out
    if not same and os.path.isdir(outdir):
        try:
            same = os.path.samefile(directory, outdir)
        except OSError:
            pass
    if same:
        raise ScreenError(f"-o {outdir}: 是被检查的文件夹本身，输出会写在报送文件旁边；请另选输出文件夹")
    for name in OUTPUT_ROOTS:
        target = os.path.realpath(os.path.join(outdir, name))
        if inside(root, target) or (inside(target, root) and not inside(target, out)):
            raise ScreenError(f"-o {outdir}: {name} 会写进被检查的文件夹 {directory}；请另选输出文件夹")


def _short(name: str) -> str:
    """``name`` cut to fit NAME_MAX bytes once an output suffix is added: its start, a hash of the
    whole name, its suffix (report.pdf and report.docx stay apart)."""
    if len(name.encode("utf-8")) + _LONGEST_SUFFIX <= NAME_MAX:
        return name
    suffix = os.path.splitext(name)[1]
    mark = "~" + hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    room = NAME_MAX - _LONGEST_SUFFIX - len(mark.encode()) - len(suffix.encode("utf-8", "surrogateescape"))
    head = name[: len(name) - len(suffix)].encode("utf-8", "surrogateescape")[:room].decode("utf-8", "ignore")
    return head + mark + suffix


def output_names(paths: Iterable[Path], directory: Path) -> list[str]:
    """For each submission, the name of its outputs under reports/ and notices/: its path under
    the folder, folders kept as folders ("sub/x.txt" → reports/sub/x.txt.json), a name too long
    for the file system cut and hashed, and any clash — two names equal but for case, a cut name
    meeting another, a report named like a folder ("a.txt.json/") — resolved with "~2", "~3"…
    so no two submissions ever share an output."""
    stems = []
    for path in paths:
        *folders, name = path.relative_to(directory).parts
        stems.append(PurePosixPath(*folders, _short(name)))
    taken_folders = {str(parent).casefold() for stem in stems for parent in stem.parents if str(parent) != "."}
    used: set[str] = set()
    names = []
    for stem in stems:
        candidate, number = stem, 1
        while _clashes(str(candidate), used, taken_folders):
            number += 1
            base, suffix = os.path.splitext(stem.name)
            candidate = stem.with_name(_short(f"{base}~{number}{suffix}"))
        used.add(str(candidate).casefold())
        names.append(str(candidate))
    return names


def _clashes(name: str, used: set[str], folders: set[str]) -> bool:
    folded = name.casefold()
    return folded in used or any(folded + suffix in folders for suffix in OUTPUT_SUFFIXES)


def remove_leftovers(outdir: Path, names: Iterable[str]) -> None:
    """Remove the temporary files a worker killed mid-write left beside the outputs of ``names``
    (compliance/output.py writes ``.<the target's name, cut to 60>.<random>.part`` in the target's
    folder, renamed into place when whole). Called once no worker runs: none is being written."""
    expected: dict[str, set[str]] = {}
    for name in names:
        relative = PurePosixPath(name)
        for folder, suffixes in (("reports", (".json", ".html")), ("notices", (".md", ".docx"))):
            place = os.path.join(outdir, folder, *relative.parent.parts)
            expected.setdefault(place, set()).update(f"{relative.name}{suffix}"[:60] for suffix in suffixes)
    for place, heads in expected.items():
        try:
            entries = os.listdir(place)
        except OSError:
            continue
        for entry in entries:
            if entry.startswith(".") and entry.endswith(".part") and entry[1:-5].rpartition(".")[0] in heads:
                try:
                    os.unlink(os.path.join(place, entry))
                except OSError:
                    pass


class Inputs:
    """The submissions, as ``compliance.output.guard`` compares an output with them, indexed so
    that each write is guarded against the few that could be it rather than all of them (guard
    stats every input it is given: hundreds of writes × thousands of inputs would cost more than
    the checking). ``against(target)`` gives the inputs ``guard`` would find equal to ``target``,
    found as guard finds them: the same file (device and inode) when the target exists, else
    the same resolved path."""

    def __init__(self, paths: Iterable[Path]):
        self.paths = list(paths)
        self._identity: dict[tuple[int, int], list[Path]] = {}
        self._resolved: dict[str, list[Path]] = {}
        for path in self.paths:
            self._resolved.setdefault(os.path.realpath(path), []).append(path)
            try:
                status = os.stat(path)
            except OSError:
                continue
            self._identity.setdefault((status.st_dev, status.st_ino), []).append(path)

    def against(self, target: Path | str) -> list[Path]:
        found = list(self._resolved.get(os.path.realpath(target), ()))
        try:
            status = os.stat(target)
        except OSError:
            return found
        return found + self._identity.get((status.st_dev, status.st_ino), [])
