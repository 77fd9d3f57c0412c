"""The text loader's encoding scoring (compliance.load.text.decode) against charset-normalizer, on
every text the tests read: tests/ and samples/, the seeds and corpus in ../shared, each also
re-encoded as GB18030, Big5 (where it can be) and UTF-16 without a BOM, and the byte strings the
tests build (short GBK texts, BOM-less UTF-16, binary data). Right means the text read is the
original (binary data: refused). Time: the fastest of 3 runs per case.

    python benchmarks/encoding_detection.py

charset-normalizer is no dependency of the project: it comes with pdfminer.six, or
`pip install charset-normalizer`. Its result decided that the loader does not use it (see the
docstring of compliance/load/text.py)."""

from __future__ import annotations

import codecs
import sys
import time
from collections.abc import Callable
from pathlib import Path

import charset_normalizer

from compliance.errors import InputError
from compliance.load.text import decode, looks_binary

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SIMPLIFIED = "淮安市人民政府2024年政府信息公开工作年度报告\n一、总体情况\n规章\t1\t0\t11\n"
TRADITIONAL = "淮安市人民政府2024年政府資訊公開工作年度報告\n一、總體情況\n全年收取費用0元。\n"
CHINESE = (
    "平潭综合实验区管委会二〇二三年政府信息公开工作年度报告。"
    "“放管服”改革深入推进，全年主动公开政府信息一千二百条；依申请公开办结率百分之百。"
)
BUILT = [
    *[(SIMPLIFIED, c) for c in ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "gbk", "gb18030")],
    (TRADITIONAL, "big5"),
    *[(t, "gbk") for t in ("规章 1 0 11", "行政许可", "政府信息公开", "第二十条第（五）项", CHINESE)],
    *[
        (t, c)
        for t in (CHINESE, CHINESE + "\n第二段：2023年收到申请12件。\n", "政府信息公开" * 3)
        for c in ("utf-16-le", "utf-16-be")
    ],
    ("<html><body><p>一、总体情况</p></body></html>", "utf-16"),
]
BINARY = [
    bytes(range(256)) * 10,
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),
    "报告".encode() + b"\x01\x02\x03\x04\x05\x06\x07\x08" * 10,
    b"\xfe\xfd\xfc" * 50,
    b"\xff\xfe" + "\ue000\ue001\uf8ff".encode("utf-16-le") * 30,
]


def cases() -> list[tuple[str, str, bytes, str | None]]:
    """(group, name, bytes, the text they hold or None for binary data)."""
    files = [
        *ROOT.glob("tests/**/*.txt"),
        *ROOT.glob("tests/**/*.md"),
        *ROOT.glob("samples/*.txt"),
        *SHARED.glob("seeds/*.txt"),
        *SHARED.glob("corpus/*.txt"),
        *SHARED.glob("corpus/*.md"),
    ]
    found: list[tuple[str, str, bytes, str | None]] = []
    for path in sorted(set(files)):
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
        found.append(("file as it is (UTF-8)", path.name, raw, text))
        for encoding in ("gb18030", "big5", "utf-16-le", "utf-16-be"):
            try:
                found.append((f"file re-encoded {encoding}", path.name, text.encode(encoding), text))
            except UnicodeEncodeError:
                continue
    found += [(f"built {encoding}", text[:12], text.encode(encoding), text) for text, encoding in BUILT]
    found.append(("built utf-16-be with BOM", "", codecs.BOM_UTF16_BE + SIMPLIFIED.encode("utf-16-be"), SIMPLIFIED))
    found += [("built binary", repr(data[:8]), data, None) for data in BINARY]
    return found


def scoring(data: bytes) -> str | None:
    try:
        return decode(data, "<bytes>")[0]
    except InputError:
        return None


def normalizer(data: bytes) -> str | None:
    """What the loader would do with charset-normalizer: a BOM decides, then strict UTF-8 (no NUL),
    then charset-normalizer's best guess."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name)
    if b"\x00" not in data:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    best = charset_normalizer.from_bytes(data).best()
    return None if best is None else str(best)


_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def measure(read: Callable[[bytes], str | None], all_cases) -> None:
    groups: dict[str, list[float]] = {}
    wrong = []
    for group, name, data, expected in all_cases:
        seconds = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            text = read(data)
            seconds = min(seconds, time.perf_counter() - start)
        if text is not None and (looks_binary(text) or not text.strip()):
            text = None  # the loader refuses it, whichever way it was decoded
        if text is not None:
            text = text.removeprefix("\ufeff")
        right = text == expected
        counts = groups.setdefault(group, [0, 0, 0.0, 0])
        counts[0] += right
        counts[1] += 1
        counts[2] += seconds
        counts[3] += len(data)
        if not right:
            wrong.append(f"    wrong: {group}: {name!r} read as {(text or '(refused)')[:16]!r}")
    right_all = sum(int(c[0]) for c in groups.values())
    total = sum(int(c[1]) for c in groups.values())
    ms = sum(c[2] for c in groups.values()) * 1000
    print(f"{read.__name__}: {right_all}/{total} right, {ms:.0f} ms in all")
    for group, (right, count, seconds, size) in sorted(groups.items()):
        print(f"  {group:28} {int(right):3}/{int(count):<3} {seconds * 1000:7.1f} ms {size / 1000:7.0f} kB")
    print(*wrong, sep="\n")


if __name__ == "__main__":
    every = cases()
    if not SHARED.exists():
        print(f"{SHARED} is not here: tests/ and samples/ only", file=sys.stderr)
    measure(scoring, every)
    measure(normalizer, every)
