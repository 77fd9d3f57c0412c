"""Stress: a screening of 1,000 submissions of which 5% are bad — empty, binary, corrupt, huge,
hostile — gives one row per file, a reason on each bad one, and ends within a time bound.

The good files are the fixtures with their year and issuer varied, so the copied-content pass has
work too (every one shares its parts with hundreds of others)."""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, summary_rows

FILES = 1000
BAD_SHARE = 20  # one file in 20 is bad
TIME_BOUND = 180.0  # seconds for the whole screening on two cores (measured: 20 s)

GOOD = ["report_2021.txt", "report_2019.txt", "report_2021_broken.txt", "report_2021_suzhou_kp.txt"]


def _docx_bomb() -> bytes:
    """A valid-looking .docx whose document.xml inflates to about 120 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", "<w:document>" + "<w:p/>" * 20_000_000 + "</w:document>")
    return buffer.getvalue()


def _bad_files(folder: Path, count: int, sample: str) -> dict[str, str]:
    """Write ``count`` bad files; return each one's name with what it is."""
    rng = random.Random(7)
    bomb = _docx_bomb()
    makers = {
        "empty": (".txt", lambda: b""),
        "binary": (".txt", lambda: bytes(rng.randrange(256) for _ in range(4096))),
        "corrupt docx": (".docx", lambda: b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(2048))),
        "docx bomb": (".docx", lambda: bomb),
        "line of 10^6 characters": (".txt", lambda: ("政府信息公开" * 170_000).encode("utf-8")),
        "HTML nested 5,000 deep": (
            ".html",
            lambda: ("<div>" * 5000 + sample[:2000] + "</div>" * 5000).encode(),  # noqa: PLW0108  (built when called, like the others)
        ),
        "control characters": (".txt", lambda: sample.replace("。", "\x0c\x01。").encode("utf-8")),
        "fake PDF": (".pdf", lambda: b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(2048))),
        "huge": (".txt", None),
    }
    kinds = list(makers)
    made = {}
    for number in range(count):
        kind = kinds[number % len(kinds)]
        suffix, content = makers[kind]
        path = folder / f"bad-{number:03d}{suffix}"
        if content is None:  # sparse: over any input limit without using the disk
            path.touch()
            os.truncate(path, 300 * 1024 * 1024)
        else:
            path.write_bytes(content())
        made[path.name] = kind
    return made


@pytest.mark.slow
def test_a_thousand_submissions_with_bad_ones_end_in_one_row_each(tmp_path):
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    texts = [(FIXTURES / name).read_text(encoding="utf-8") for name in GOOD]
    bad_count = FILES // BAD_SHARE
    for number in range(FILES - bad_count):
        text = texts[number % len(texts)].replace("2021", str(2020 + number % 4), 1)
        (submissions / f"{number:04d}.txt").write_text(text, encoding="utf-8")
    bad = _bad_files(submissions, bad_count, texts[0])
    output = tmp_path / "out"

    started = time.monotonic()
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "cli.py"),
            "screen",
            str(submissions),
            "-o",
            str(output),
            "-j",
            "2",
            "--no-html",
            "--timeout",
            "30",
        ],
        capture_output=True,
        text=True,
        timeout=TIME_BOUND * 2,
    )
    elapsed = time.monotonic() - started

    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == 2, result.stderr[-2000:]  # some files could not be read
    with (output / "summary.csv").open(encoding="utf-8-sig") as handle:
        rows = summary_rows(handle.read())
    assert sorted(row["file"] for row in rows) == sorted(path.name for path in submissions.iterdir())
    by_name = {row["file"]: row for row in rows}
    for name, kind in bad.items():
        row = by_name[name]
        # a bad file is unreadable (with its reason), or — when what could be read is text — graded
        assert row["error"] or row["grade"], (name, kind, row)
        assert "internal" not in row["error"].lower() and "object has no attribute" not in row["error"], (kind, row)
    unreadable = {bad[name] for name in bad if by_name[name]["error"]}
    assert {"empty", "binary", "corrupt docx", "docx bomb", "huge", "fake PDF"} <= unreadable
    graded = [row for name, row in by_name.items() if name not in bad]
    assert all(not row["error"] and row["score"] for row in graded)
    assert len(list((output / "reports").rglob("*.json"))) == len(graded) + sum(
        1 for name in bad if not by_name[name]["error"]
    )
    assert elapsed < TIME_BOUND, f"the screening took {elapsed:.0f} s"
