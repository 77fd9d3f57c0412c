"""What ``compliance serve`` runs with: where the data lives, the database, the address, the limits."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path

LOOPBACK_NAMES = frozenset({"localhost"})


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable only from this machine (127.0.0.0/8, ::1, localhost)."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False


@dataclass(frozen=True)
class ServeSettings:
    data_dir: Path
    db_url: str | None = None  # None: SQLite in the data folder
    host: str = "127.0.0.1"
    port: int = 8000
    max_upload_mb: float = 200  # one upload request, all its files together
    max_files: int = 500  # drafts in one upload (files, or entries of its archives)
    workers: int = 2  # checks running at once
    check_seconds: float = 120  # one draft's check at most

    @property
    def max_upload_bytes(self) -> int:
        return int(self.max_upload_mb * 1024 * 1024)

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)
