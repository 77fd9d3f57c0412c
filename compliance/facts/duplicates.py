"""Stage 4: each part's similarity to the closest part of another report → duplicate_part facts
(DUP-BOILERPLATE judges the similarity).

A part is fingerprinted by the character 5-grams of its prose (tables and headings left out,
digits folded to 0 so a copy with this year's numbers still matches), hashed with CRC-32 (the
same in every process, unlike ``hash``) and sampled: only hashes ≡ 0 mod ``SAMPLE`` are kept, so
a fingerprint is half the grams. It is a sorted array of unsigned 32-bit integers (4 bytes a hash,
where a Python set of ints takes about 50), so the fingerprints of thousands of reports fit in a
screening process's memory and can be joined with array operations (compliance/screen/index.py). Two parts
are compared by the Jaccard similarity of their fingerprints, after removing the hashes that much
of the set shares (``common``: the format's own wording, a template all used): each part with
enough prose is a fact naming the closest part of the other reports and the similarity, a whole
percentage (rounded down, so "at least 50" means a Jaccard similarity of at least 0.5). ``screen``
narrows the candidates with an index over the same hashes: only reports whose parts could reach
``THRESHOLD`` are compared again, which is the least similarity the rule may ask for."""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from compliance.models.facts import Fact, Unavailable
from compliance.models.facts_duplicates import DuplicatePartFact
from compliance.models.findings import DocumentInfo
from compliance.models.tree import DocumentTree, Section

if TYPE_CHECKING:  # numpy is imported where fingerprints are made: a lone check never needs it
    import numpy as np

KIND = "duplicate_part"
GRAM = 5
SAMPLE = 2
MIN_PRINTS = 25  # ≈ 60 characters of prose: shorter parts ("本年度未收取信息处理费。") are alike by nature
THRESHOLD = 0.5  # the least similarity screening looks for (DUP-BOILERPLATE: similarity ≥ 50)
_FOLD = re.compile(r"[0-9０-９]+")
_SKIP = re.compile(r"[\s，。、；：,.;:（）()“”\"]+")


def _none() -> np.ndarray:
    import numpy as np

    return np.empty(0, dtype=np.uint32)


@dataclass(frozen=True)
class PartPrint:
    """One part's fingerprint: its heading (as written) and span, and the sampled gram hashes
    (sorted, unique)."""

    title: str
    start: int
    end: int
    prints: np.ndarray


@dataclass
class OtherReport:
    """Another report to compare with: its file, title, issuer, year and part fingerprints."""

    path: str
    title: str | None
    issuer: str | None
    year: int | None
    parts: list[PartPrint]
    previous_year: bool = False  # given as this issuer's previous report (--previous)


@dataclass
class Comparison:
    """The reports a check compares this one with, and the hashes too common to count."""

    others: list[OtherReport]
    common: np.ndarray = field(default_factory=_none)  # sorted


def fingerprint(text: str) -> np.ndarray:
    import numpy as np

    squeezed = _SKIP.sub("", _FOLD.sub("0", text))
    hashes = (zlib.crc32(squeezed[i : i + GRAM].encode()) for i in range(len(squeezed) - GRAM + 1))
    return np.unique(np.fromiter((h for h in hashes if h % SAMPLE == 0), dtype=np.uint32))


def _prose(section: Section) -> str:
    return "\n".join(node.text for node in section.walk() if node.kind == "paragraph")


def part_prints(tree: DocumentTree) -> list[PartPrint]:
    """The fingerprint of each part (top-level section) with enough prose to compare."""
    found = []
    for part in tree.sections:
        prints = fingerprint(_prose(part))
        if prints.size >= MIN_PRINTS:
            found.append(
                PartPrint(part.heading.marker + part.heading.title, part.heading.start, part.heading.end, prints)
            )
    return found


def other_report(path: str, info: DocumentInfo, tree: DocumentTree, previous_year: bool = False) -> OtherReport:
    """A checked report as the others of a set (or next year's report) are compared with it."""
    return OtherReport(path, info.title, info.issuer, info.year, part_prints(tree), previous_year)


def similarity(one: np.ndarray, other: np.ndarray, common: np.ndarray) -> int:
    """Jaccard similarity of two fingerprints, the common hashes left out, as a whole percentage
    rounded down (0 when either has too few hashes left to compare)."""
    import numpy as np

    one, other = np.setdiff1d(one, common, assume_unique=True), np.setdiff1d(other, common, assume_unique=True)
    if one.size < MIN_PRINTS or other.size < MIN_PRINTS:
        return 0
    shared = np.intersect1d(one, other, assume_unique=True).size
    return shared * 100 // (one.size + other.size - shared)


def _relation(info: DocumentInfo, other: OtherReport) -> Literal["previous_year", "same_set"]:
    if other.previous_year:
        return "previous_year"
    earlier = info.year is not None and other.year is not None and other.year < info.year
    return "previous_year" if same_issuer(info.issuer, other.issuer) and earlier else "same_set"


def same_issuer(one: str | None, other: str | None) -> bool:
    """Whether two issuers' names name one issuer: "洪泽区人民政府" and "淮安市洪泽区人民政府" do."""
    mine, theirs = one or "", other or ""
    return bool(mine and theirs) and (mine.endswith(theirs) or theirs.endswith(mine))


# A name that begins with a place: "洪泽区人民政府" may be 淮安市's, "自然资源和规划局" may be anyone's.
_PLACE = re.compile(r"^\S{1,10}?(?:自治区|自治州|自治县|特别行政区|地区|省|市|州|盟|区|县|旗|镇|乡|街道)")


def shortened_name(short: str, longer: str) -> bool:
    """Whether ``short`` is ``longer`` without its higher level: it begins with a place and ends
    ``longer`` ("洪泽区人民政府" of "淮安市洪泽区人民政府"; not "自然资源和规划局" of any city's)."""
    return len(short) < len(longer) and longer.endswith(short) and bool(_PLACE.match(short))


def extract(
    tree: DocumentTree, info: DocumentInfo, comparison: Comparison | None
) -> tuple[list[Fact], list[Unavailable]]:
    if comparison is None:
        return [], [Unavailable(fact=KIND, reason="no-others")]
    facts: list[Fact] = []
    for part in part_prints(tree):
        best: tuple[int, OtherReport, PartPrint] | None = None
        for other in comparison.others:
            for theirs in other.parts:
                score = similarity(part.prints, theirs.prints, comparison.common)
                if best is None or score > best[0]:
                    best = (score, other, theirs)
        if best:  # the closest part of the others, however alike
            score, other, theirs = best
            facts.append(
                DuplicatePartFact(
                    part=part.title,
                    other_title=other.title or "",
                    other_file=Path(other.path).name,
                    other_path=other.path,
                    other_part=theirs.title,
                    similarity=score,
                    relation=_relation(info, other),
                    start=part.start,
                    end=part.end,
                )
            )
    return facts, []
