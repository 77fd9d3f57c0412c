"""A draft's check recorded: the worker pool's results become versions in the database."""

from __future__ import annotations

from compliance.workspace.data import records
from compliance.workspace.data.checking import CheckResult
from compliance.workspace.data.db import Workspace


def record(
    workspace: Workspace,
    submission_id: int | None,
    args: tuple[str, str, str],
    result: CheckResult | None,
    error: str | None,
) -> tuple[str, str | None]:
    """A check's result stored as a new version — of ``submission_id``, else of the submission its
    issuer and year name (a check that never came back: its error) — the link to it, and why it
    could not be checked (None: it was)."""
    _root, sha, name = args
    checked = result or CheckResult(sha256=sha, error=error)
    with workspace.session() as session:
        version = records.record_version(session, name, sha, checked, submission_id=submission_id)
        return f"/submissions/{version.submission_id}#v{version.number}", version.error
