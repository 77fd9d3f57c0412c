"""The ``mention`` fact kind: where a report uses the terms of a set of ``rules/lexicon/mentions.yaml``
(or of a rule pack's ``lexicon/mentions.yaml``); extracted by compliance/facts/mentions.py.

An observation, not a verdict: one fact per term set and per part of the report that uses one of
its terms. A rule asks for a mention (``when: {fact: mention, where: {set: …}}``) or for its
absence (``absent: {fact: mention, where: {set: …, part: overview}}``)."""

from __future__ import annotations

from typing import Literal

from compliance.models.facts import Fact

PREAMBLE = "preamble"  # the text before the first part (the title's lines, an opening paragraph)


class MentionFact(Fact):
    """Terms of one set used in one part; the span is their first occurrence.

    ``part``: the part's content item as the structure facts name it (``overview``, ``active``,
    ``request``, ``review_litigation``, ``problems``, ``other`` … rules/lexicon/parts.yaml), ``""``
    for a part whose heading names no item, ``preamble`` before the first part."""

    kind: Literal["mention"] = "mention"
    set: str
    label: str  # the set's label ("政务新媒体")
    part: str
    heading: str  # the part's heading as written ("一、总体情况"), "" for the preamble
    term: str  # the term first used
    count: int  # how often the set's terms occur in the part
