"""Fact kinds about key-point documents (工作要点) and the tasks a report addresses
(extracted by compliance/facts/keypoints.py from the checklists given with ``--keypoints``).

Texts are cut for messages; spans are into the normalised report text. A task the report does
not address points where its account belongs: the report's key-points part, else the part
"其他需要报告的事项", else the end of the text."""

from __future__ import annotations

from typing import Literal

from compliance.models.facts import Fact


class KeypointsPartFact(Fact):
    """One applicable key-point document and whether the report has a part on its implementation.
    ``required``: the document orders its implementation be reported (``instruction`` quotes it)."""

    kind: Literal["keypoints_part"] = "keypoints_part"
    checklist: str
    title: str  # 苏州市2021年政务公开工作要点
    doc_number: str  # "" when unknown
    instruction: str
    required: bool
    present: bool
    heading: str  # the part's heading, "" when absent


class KeypointTaskFact(Fact):
    """One task of an applicable key-point document, as the report addresses it (or not).

    ``evidence``: the best passage (cut), ``hits``: the task's terms it contains, ``score``/
    ``need``: weighted hits ×100 (see compliance/keypoints/match.py). ``deadline_open``: the task
    has a deadline inside the report year, is addressed, and the passage does not say it was done."""

    kind: Literal["keypoint_task"] = "keypoint_task"
    checklist: str
    title: str
    task_id: str
    task_ref: str  # how messages name it: 第3项任务 (attachment row) / 正文所列任务
    task: str  # the task as messages quote it (first clause, cut)
    part: str
    units: str  # 、-joined; "未列明" when the document names none
    deadline: str  # "" when none
    addressed: bool
    completed: bool
    deadline_open: bool
    score: int
    need: int
    hits: str  # 、-joined
    evidence: str
