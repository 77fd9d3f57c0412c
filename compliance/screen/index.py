"""Screening: which reports of a set may share a copied part (DUP-BOILERPLATE candidates).

An inverted index from fingerprint hash to the (report, part)s having it. Hashes present in many
reports (``common``) are the format's own wording or a template most used: they are dropped
before counting, which also keeps every posting list short, so the work grows with the set, not
with its square. A pair of parts is a candidate when the hashes they share could make their
Jaccard similarity reach the threshold; the check itself (compliance/facts/duplicates.py)
computes it exactly."""

from __future__ import annotations

from collections import Counter, defaultdict

from compliance.facts.duplicates import THRESHOLD, OtherReport

COMMON_MIN_REPORTS = 4
COMMON_SHARE = 0.05


def common_prints(reports: list[OtherReport]) -> frozenset[int]:
    """Hashes found in more than max(4, 5% of the set) reports."""
    counts: Counter[int] = Counter()
    for report in reports:
        counts.update(frozenset().union(*(part.prints for part in report.parts)))
    limit = max(COMMON_MIN_REPORTS, COMMON_SHARE * len(reports))
    return frozenset(h for h, n in counts.items() if n > limit)


def candidates(reports: list[OtherReport], common: frozenset[int]) -> list[set[int]]:
    """For each report (by index), the other reports it may share a copied part with."""
    postings: dict[int, list[tuple[int, int]]] = defaultdict(list)
    sizes: dict[tuple[int, int], int] = {}
    for index, report in enumerate(reports):
        for number, part in enumerate(report.parts):
            prints = part.prints - common
            sizes[index, number] = len(prints)
            for value in prints:
                postings[value].append((index, number))
    shared: Counter[tuple[tuple[int, int], tuple[int, int]]] = Counter()
    for holders in postings.values():
        for i, one in enumerate(holders):
            for other in holders[i + 1 :]:
                if one[0] != other[0]:
                    shared[one, other] += 1
    found: list[set[int]] = [set() for _ in reports]
    for (one, other), count in shared.items():
        # Jaccard ≥ t needs |A ∩ B| ≥ t · max(|A|, |B|).
        if count >= THRESHOLD * max(sizes[one], sizes[other]):
            found[one[0]].add(other[0])
            found[other[0]].add(one[0])
    return found
