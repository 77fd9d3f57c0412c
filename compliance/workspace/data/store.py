"""Drafts stored by their content: ``root/ab/cd/<sha256>``, written whole (compliance.output), the
same bytes stored once. An uploaded file's name is never part of a path."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from compliance.output import make_directory, write_bytes

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class DraftStore:
    """The drafts under ``root`` (created when the first is put)."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def path(self, sha: str) -> Path:
        """Where the draft of this sha256 (64 lowercase hex digits, else ValueError) lives."""
        if not _SHA256.match(sha):
            raise ValueError(f"not a sha256: {sha[:80]!r}")
        return self.root / sha[:2] / sha[2:4] / sha

    def put(self, data: bytes) -> str:
        """Store the bytes (unless they are there already); their sha256 in hex."""
        sha = hashlib.sha256(data).hexdigest()
        target = self.path(sha)
        if not target.exists():
            make_directory(target.parent)
            write_bytes(target, data)
        return sha

    def get(self, sha: str) -> bytes:
        """The draft's bytes (FileNotFoundError when none is stored under ``sha``)."""
        return self.path(sha).read_bytes()
