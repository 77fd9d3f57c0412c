"""Stage 4: key points — for each applicable checklist, whether it asks for a part on its
implementation and whether the report has one; for each task that concerns the issuer, the
report's best passage with its match signals against their thresholds (the passage is the
evidence), whether the task's deadline is in the report year and whether the passage says the
work was done. The KP rules judge.

A checklist applies to reports of its year. No checklist given → both kinds unavailable, so
KP-PART and KP-TASK are listed as not checked, never passed silently."""

from __future__ import annotations

import math
import re
from pathlib import Path

from compliance.facts.keypoints.lexicon import KeypointLexicon, load_lexicon
from compliance.facts.keypoints.match import (
    SHARED_NEED,
    Match,
    Sentence,
    completed,
    matchers,
    paragraph_sentences,
    sentence,
)
from compliance.facts.keypoints.units import concerns
from compliance.models.checklist import Checklist
from compliance.models.facts import Fact, Unavailable, UnavailableValue
from compliance.models.facts_keypoints import KeypointsPartFact, KeypointTaskFact
from compliance.models.findings import DocumentInfo
from compliance.models.rulespec import PartLexicon
from compliance.models.tree import DocumentTree, Section

KINDS = ("keypoints_part", "keypoint_task")
_CUT = 120
_SPACES = re.compile(r"\s+")


def _mentions(lexicon: PartLexicon) -> list[re.Pattern]:
    return [re.compile(p) for p in lexicon.items["keypoints"].patterns]


def _keypoints_part(tree: DocumentTree, lexicon: PartLexicon) -> tuple[int, int, str] | None:
    """The report's part (at any depth) or opening sentence on the key points' implementation."""
    patterns = _mentions(lexicon)
    for node in tree.walk():
        if isinstance(node, Section):
            title = _SPACES.sub("", node.heading.title)
            if any(p.search(title) for p in patterns):
                return node.start, node.heading.end, node.heading.text
        elif node.kind == "paragraph":
            opening = re.split(r"[。：:；]", node.text, maxsplit=1)[0][:40]
            if any(p.search(opening) for p in patterns):
                return node.start, node.doc_offset(len(opening)), opening
    return None


def _anchor(tree: DocumentTree, lexicon: PartLexicon, part) -> tuple[int, int]:
    """Where an unreported task belongs (the heading there): the key-points part, else
    "其他需要报告的事项", else the end of the text."""
    if part:
        return part[0], part[1]
    other = lexicon.items["other"].patterns
    for section in tree.sections:
        if any(re.search(p, _SPACES.sub("", section.heading.title)) for p in other):
            return section.start, section.heading.end
    return tree.text_length, tree.text_length


def _paragraphs(tree: DocumentTree, parts: PartLexicon, lexicon: KeypointLexicon) -> list[list[Sentence]]:
    """Sentence lists, one per paragraph, of the parts that say what was done: not the problems
    and plans part, not tables, not plan sentences. A heading is the first sentence of its section."""
    problems = [re.compile(p) for p in parts.items["problems"].patterns]
    groups: list[list[Sentence]] = []

    def visit(section: Section) -> None:
        heading = [sentence(section.heading.text, section.heading.start, section.heading.end)]
        for child in section.children:
            if isinstance(child, Section):
                visit(child)
            elif child.kind == "paragraph":
                groups.append(heading + paragraph_sentences(child.text, child.doc_offset, lexicon))
                heading = []
        if heading:
            groups.append(heading)

    for part in tree.sections:
        if not any(p.search(_SPACES.sub("", part.heading.title)) for p in problems):
            visit(part)
    return groups


def _in_year(deadline: str | None, checklist: Checklist, year: int | None) -> bool:
    if not deadline:
        return False
    stated = re.match(r"((?:19|20)\d{2})", deadline)
    return (int(stated.group(1)) if stated else checklist.year) == (year or checklist.year)


def _hundredths(value: float) -> int:
    """A difference in hundredths, rounded down after match.py's tolerance of 1e-9: 0 or more
    exactly when the signal reaches its threshold (a task without terms never does)."""
    return math.floor(max(value, -1e6) * 100 + 1e-7)


def _task_fact(checklist: Checklist, task, match: Match, year: int | None, anchor: tuple[int, int], text: str, lexicon):
    start, end = (match.start, match.end) if match.addressed else anchor
    evidence = _SPACES.sub("", text[match.start : match.end]) if match.sentences else ""
    return KeypointTaskFact(
        checklist=checklist.name,
        title=checklist.title,
        task_id=task.id,
        source=task.source,
        task=task.short(),
        part=task.part,
        units="、".join(task.units),
        deadline=task.deadline or "",
        deadline_in_year=_in_year(task.deadline, checklist, year),
        completed=completed(match.sentences, lexicon),
        score=round(match.score * 100),
        need=round(min(match.need, 1e6) * 100),
        margin=_hundredths(match.score - match.need),
        shared=round(match.shared * 100),
        shared_need=round(SHARED_NEED * 100),
        shared_margin=_hundredths(match.shared - SHARED_NEED),
        hits="、".join(match.hits),
        evidence=evidence[:_CUT] + ("……" if len(evidence) > _CUT else ""),
        start=start,
        end=end,
    )


def extract(
    tree: DocumentTree,
    text: str,
    info: DocumentInfo,
    checklists: list[Checklist] | None,
    parts: PartLexicon,
    lexicon: KeypointLexicon | None = None,
    root: Path | None = None,
) -> tuple[list[Fact], list[Unavailable]]:
    """``lexicon``: the key-point words, else those of the rules folder ``root`` (read when needed)."""
    if not checklists:
        return [], [Unavailable(fact=kind, reason="no-keypoints") for kind in KINDS]
    applicable = [c for c in checklists if c.applies_to(info.year, info.issuer or "", info.title or "")]
    if not applicable:
        values: dict[str, UnavailableValue] = {"titles": "、".join(c.title for c in checklists), "year": info.year}
        return [], [Unavailable(fact=kind, reason="keypoints-not-applicable", values=values) for kind in KINDS]
    lexicon = lexicon or load_lexicon(root)
    part = _keypoints_part(tree, parts)
    anchor = _anchor(tree, parts, part)
    paragraphs = _paragraphs(tree, parts, lexicon)
    facts: list[Fact] = []
    for checklist in applicable:
        instruction = checklist.report_instruction
        facts.append(
            KeypointsPartFact(
                checklist=checklist.name,
                title=checklist.title,
                doc_number=checklist.doc_number or "",
                instruction=instruction.text if instruction else "",
                required=instruction is not None,
                present=part is not None,
                heading=part[2] if part else "",
                start=part[0] if part else anchor[0],
                end=part[1] if part else anchor[1],
            )
        )
        for matcher in matchers(checklist.tasks, lexicon):
            task = matcher.task
            if concerns(task.units, info.issuer or "", info.issuer_kind, lexicon):
                fact = _task_fact(checklist, task, matcher.best(paragraphs), info.year, anchor, text, lexicon)
                facts.append(fact)
    return facts, []
