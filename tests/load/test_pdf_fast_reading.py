"""Stage 1, .pdf: the fast reading of content streams (compliance/load/pdfpage.py) gives exactly
what pdfminer's own interpreter gives — every object pdfplumber sees, with every key, and the
operations counted against the limits — or fails where it fails, for random content streams
built from the syntax's odd corners (numbers like "..5" or "1-2", names with # escapes, strings
with escapes and nested parentheses, hex strings with spaces or odd digits, stray brackets,
unknown operators, operands of the wrong kind, content cut between several streams at random).
A page the fast reading is not sure of is read by pdfminer's interpreter: those are counted,
and most pages must not need it."""

from __future__ import annotations

import importlib.util
import io
import logging
import random
from pathlib import Path

import pdfplumber
import pytest

from compliance.load import pdf as loader
from compliance.load import pdfpage
from compliance.models.config import Limits

_SPEC = importlib.util.spec_from_file_location("golden_pdfs", Path(__file__).parent / "golden" / "pdfs.py")
assert _SPEC and _SPEC.loader
golden = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(golden)

NUMBERS = [b"0", b"12", b"-3", b"+4", b"1.5", b"-.5", b".", b"-", b"+", b"5.", b"..5", b"1-2", b"3.4.5", b"007"]
NUMBERS += [b"1e5", b"72", b"700", b"0.5", b"-30", b"14", b"9" * 30, b"1" + b"0" * 400]
NAMES = [b"/F1", b"/F2", b"/F3", b"/F4", b"/X1", b"/", b"/F#31", b"/#41#42", b"/P", b"/DeviceRGB", b"/Bad\x80"]
STRINGS = [b"(Hello)", b"()", b"(a\\(b\\))", b"(nest (ed) x)", b"(\\101\\7x)", b"(\\\r\nx)", b"(\\\nx)", b"(tab\\t)"]
STRINGS += [b"(\\q)", b"(\xe4\xb8\xad)", b"( )", b"(a b)", b"(\\777)", b"(open"]
HEXES = [
    b"<48656c6c6f>",
    b"<>",
    b"<486>",
    b"<48 65>",
    b"<0001>",
    b"<00010002>",
    b"<4G>",
    b"<0010 0011\n0012>",
    b"<41>>",
]
BRACKETS = [b"[", b"]", b"<<", b">>", b">", b"<", b"{", b"}"]
OPERATORS = [b"Tj", b"TJ", b"'", b'"', b"Td", b"TD", b"Tm", b"T*", b"TL", b"Tc", b"Tw", b"Tz", b"Ts", b"Tr", b"Tf"]
OPERATORS += [b"BT", b"ET", b"q", b"Q", b"cm", b"re", b"m", b"l", b"c", b"v", b"y", b"h", b"S", b"s", b"f", b"F"]
OPERATORS += [b"f*", b"B", b"B*", b"b", b"b*", b"n", b"W", b"W*", b"w", b"J", b"j", b"M", b"d", b"ri", b"i", b"gs"]
OPERATORS += [b"g", b"G", b"rg", b"RG", b"k", b"K", b"cs", b"CS", b"sc", b"SC", b"scn", b"SCN", b"BDC", b"BMC"]
OPERATORS += [b"EMC", b"MP", b"DP", b"Do", b"sh", b"null", b"true", b"false", b"xyz", b"EI", b"BI", b"%comment\n"]
OPERATORS += [b"%c", b"\x00", b"\x80", b"T\xffj"]
SEPARATORS = [b" ", b" ", b" ", b"\n", b"\r\n", b"", b"\t", b"\x00", b"\r"]
SHOWN = [
    b"BT /F1 12 Tf 72 %d Td (Line %d) Tj ET",
    b"BT /F3 14 Tf 72 %d Td <000100020003> Tj ET %d pop",
    b"BT /F2 10 Tf 1 0 0 1 72 %d Tm [(A) -%d (B)] TJ ET",
    b"%d %d 100 20 re S",
    b"q 1 0 0 1 0 %d cm BT /F1 9 Tf 0 0 Td (moved %d) Tj ET Q",
    b"/X1 Do %d %d pop pop",
    b"BT /F4 14 Tf 300 %d Td <00010002> Tj ET %d pop",
    b"/P <</MCID %d>> BDC BT /F1 8 Tf 72 %d Td (tagged) Tj ET EMC",
]
RARE = {b"{", b"}", b"BI", b"(open", b"(\\777)", b"<41>>", b"<", b"/F#31"}  # what sends a page to pdfminer


def token(rng: random.Random, tame: bool) -> bytes:
    while True:
        kind = rng.random()
        if kind < 0.3:
            found = rng.choice(NUMBERS)
        elif kind < 0.4:
            found = rng.choice(NAMES)
        elif kind < 0.5:
            found = rng.choice(STRINGS)
        elif kind < 0.58:
            found = rng.choice(HEXES)
        elif kind < 0.64:
            found = rng.choice(BRACKETS)
        elif kind < 0.85:
            found = rng.choice(OPERATORS)
        else:
            found = rng.choice(SHOWN) % (rng.randint(0, 800), rng.randint(0, 800))
        if not (tame and found in RARE):
            return found


def page(rng: random.Random, tame: bool) -> list[bytes]:
    """A page's content, cut into one to three streams at random places."""
    data = b"".join(token(rng, tame) + rng.choice(SEPARATORS) for _ in range(rng.randint(1, 40)))
    cuts = sorted(rng.sample(range(len(data) + 1), min(rng.randint(0, 2), len(data) + 1)))
    return [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)])]


def plain(value):
    """The value with NaN as a string, so that equal readings compare equal (NaN != NaN)."""
    if isinstance(value, float) and value != value:
        return "NaN"
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(plain(item) for item in value)
    return value


def read(data: bytes, fast: bool):
    """("read", the pages' objects, the operations left) or ("failed", the error's type); None
    where the fast reading leaves a page to pdfminer's interpreter."""
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            budget, reading, pages = loader._Budget(Limits()), pdfpage.Reading(), []
            for each in loader._pages(pdf, Limits()):
                layout = pdfpage.lay_out(each, budget, reading, fast=fast)
                objects = pdfpage.objects(each, layout)
                pages.append({kind: [plain(dict(obj)) for obj in found] for kind, found in objects.items()})
            return ("read", pages, budget.operations)
    except pdfpage.Fallback:
        return None
    except Exception as error:  # noqa: BLE001 - both readings must fail alike
        return ("failed", type(error).__name__)


@pytest.mark.parametrize(("seed", "tame"), [(1, True), (2, True), (3, False)])
def test_fast_reading_reads_as_pdfminer_does(seed, tame, caplog):
    caplog.set_level(logging.CRITICAL)  # pdfminer warns about the odd operands, as it should
    loader._install()
    rng = random.Random(seed)
    form = golden.form(golden.text(72, 700, b"form text") + b"72 650 200 20 re S\n")
    compared = 0
    for _ in range(25):
        data = golden.built([page(rng, tame) for _ in range(rng.randint(1, 2))], [form])
        fast = read(data, fast=True)
        if fast is None:
            continue
        assert fast == read(data, fast=False)
        compared += 1
    assert compared >= (10 if tame else 3)
