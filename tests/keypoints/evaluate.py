"""Precision and recall of key-point task matching on the labelled pairs (eval_pairs.yaml).

Run ``python tests/keypoints/evaluate.py`` for the table the README quotes (the matcher and an
exact-keyword baseline); tests/keypoints/test_evaluation.py holds the floors."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from compliance.facts.keypoints.lexicon import load_lexicon  # noqa: E402
from compliance.facts.keypoints.match import matchers, paragraph_sentences  # noqa: E402
from compliance.facts.keypoints.text import squeeze  # noqa: E402
from compliance.pipeline import checklist as resolve  # noqa: E402


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def add(self, predicted: bool, actual: bool, label: str) -> None:
        if predicted and actual:
            self.tp += 1
        elif predicted:
            self.fp += 1
            self.errors.append("false positive: " + label)
        elif actual:
            self.fn += 1
            self.errors.append("false negative: " + label)
        else:
            self.tn += 1


def pairs() -> list[dict]:
    return yaml.safe_load((HERE / "eval_pairs.yaml").read_text(encoding="utf-8"))["pairs"]


@cache
def _checklist(name: str):
    return resolve(name)


@cache
def _task_matchers(name: str):
    return {m.task.id: m for m in matchers(_checklist(name).tasks, load_lexicon())}


def evaluate() -> Score:
    """The matcher as the checker runs it: the passage is one paragraph of a report."""
    lexicon, score = load_lexicon(), Score()
    for pair in pairs():
        matcher = _task_matchers(pair["checklist"])[str(pair["task"])]
        sentences = paragraph_sentences(pair["passage"], lambda i: i, lexicon)
        match = matcher.best([sentences])
        label = f"{pair['checklist']}#{pair['task']} [{', '.join(match.hits)}] {pair['passage'][:40]}"
        score.add(match.addressed, pair["addressed"], label)
    return score


def baseline(least: int = 1) -> Score:
    """Exact keywords: the task's terms as written, found verbatim, at least ``least`` of them."""
    score = Score()
    for pair in pairs():
        task = next(t for t in _checklist(pair["checklist"]).tasks if t.id == str(pair["task"]))
        text = squeeze(pair["passage"])
        found = sum(1 for term in task.terms if squeeze(term.split("|")[0]) in text)
        score.add(found >= least, pair["addressed"], f"{pair['checklist']}#{pair['task']}")
    return score


if __name__ == "__main__":
    data = pairs()
    positives = sum(1 for p in data if p["addressed"])
    print(f"{len(data)} pairs: {positives} addressed, {len(data) - positives} not")
    for name, result in [("matcher", evaluate()), ("exact terms ≥1", baseline(1)), ("exact terms ≥2", baseline(2))]:
        print(
            f"{name:16} precision {result.precision:.3f}  recall {result.recall:.3f}  "
            f"(tp {result.tp}, fp {result.fp}, fn {result.fn}, tn {result.tn})"
        )
    for error in evaluate().errors:
        print("  " + error)
