"""The draft store: content-addressed, the same bytes stored once, no name ever a path."""

from __future__ import annotations

import hashlib

import pytest

from compliance.workspace.data.store import DraftStore


def test_drafts_are_stored_by_their_hash(tmp_path):
    store = DraftStore(tmp_path)
    sha = store.put(b"draft")
    assert sha == hashlib.sha256(b"draft").hexdigest()
    assert (tmp_path / sha[:2] / sha[2:4] / sha).read_bytes() == b"draft"
    assert store.get(sha) == b"draft"


def test_the_same_bytes_are_stored_once(tmp_path):
    store = DraftStore(tmp_path)
    assert store.put(b"draft") == store.put(b"draft")
    assert len([p for p in tmp_path.rglob("*") if p.is_file()]) == 1


@pytest.mark.parametrize("sha", ["../../etc/passwd", "ab" * 31, "AB" * 32, "g" * 64, ""])
def test_anything_but_a_sha256_is_refused(tmp_path, sha):
    with pytest.raises(ValueError):
        DraftStore(tmp_path).get(sha)
