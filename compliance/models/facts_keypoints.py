"""Fact kinds about key-point documents (工作要点) and the tasks a report addresses
(extracted by compliance/facts/keypoints/ from the checklists given with ``--keypoints``).

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
    """One task of an applicable key-point document, and the report's best passage for it.

    The two signals of compliance/facts/keypoints/match.py, in hundredths: ``score`` (weighted term hits)
    against ``need``, and ``shared`` (the idf weight of the task's own wording the passage repeats)
    against ``shared_need``; ``margin`` = score - need, ``shared_margin`` = shared - shared_need
    (exact in sign: 0 or more when the signal reaches its threshold). ``evidence``: the passage
    (cut), ``hits``: the task's terms it contains. ``deadline_in_year``: the task has a deadline
    in the report year; ``completed``: the passage says the work was done."""

    kind: Literal["keypoint_task"] = "keypoint_task"
    checklist: str
    title: str
    task_id: str
    source: Literal["attachment", "body"]  # a row of the attachment table (numbered), or the text
    task: str  # the task as messages quote it (first clause, cut)
    part: str
    units: str  # 、-joined; "" when the document names none
    deadline: str  # "" when none
    deadline_in_year: bool
    completed: bool
    score: int
    need: int
    margin: int
    shared: int
    shared_need: int
    shared_margin: int
    hits: str  # 、-joined
    evidence: str

    def as_evidence(self) -> dict[str, str | list[str]]:
        """What the report's ``evidence`` says of a task counted as reported (a rule's ``evidence:
        true``), besides the rule and the passage's span."""
        hits = [hit for hit in self.hits.split("、") if hit]
        return {"checklist": self.checklist, "task_id": self.task_id, "task": self.task, "hits": hits}
