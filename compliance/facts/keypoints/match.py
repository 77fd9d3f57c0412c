"""Key points: does a report passage address a task? Two signals over sentence windows.

Method (README "Key points" has the measurement and the comparison with exact keywords):
- A passage is a window of one to three consecutive sentences of one paragraph (a sub-part's
  heading counts as its first sentence). Plans ("下一步，将…") are never evidence.
- Terms. A task is its terms (checklist ``terms``; "A|B" alternatives) widened by the synonym
  groups of ``rules/lexicon/keypoints.yaml`` ("互联网协议第6版" also matches "IPv6"). A term hits
  exactly (any alternative, spaces/quotes/、 ignored) or fuzzily: at least ``FUZZY`` of its
  character pairs occur in the window. A term weighs by its specific character pairs, capped at
  1. The signal holds when the window's weighted hits reach ``NEED`` (or half the task's total
  weight when that is less: a task with few terms).
- Shared wording. The character pairs of the task's own text, each weighted by how rare it is
  among the checklist's tasks (idf: log(1 + tasks / tasks having it)). The signal holds when the
  pairs the window shares with the task weigh ``SHARED_NEED`` or more: a paraphrase that keeps
  several of the task's specific words counts even when the extracted terms miss it.
- Character pairs inside a generic word (政务公开, 加强, 推进…) count for neither signal, so
  generic words never earn credit.
- The task is addressed when either signal holds; the best window is the evidence."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from compliance.facts.keypoints.lexicon import KeypointLexicon
from compliance.facts.keypoints.text import compact, squeeze
from compliance.models.checklist import Task

NEED = 1.5  # weighted term hits a window needs (see README: chosen on the evaluation set)
FUZZY = 0.6  # share of a term's specific character pairs that makes a fuzzy hit
SHARED_NEED = 18.0  # idf weight of shared character pairs (README: precision ≥ 0.9 on the evaluation set)
TRIM_SLACK = 4.0  # shared weight an end sentence of the evidence must add to stay (two common pairs)
WINDOW = 3  # sentences
_SENTENCE = re.compile(r"[^。；;！？!?]+[。；;！？!?]?")
_NOT_WORDING = re.compile(
    r"[0-9，。、；：,;:.（）()“”《》〔〕\[\]【】]"
)  # numbers and punctuation are no shared wording


@dataclass
class Sentence:
    text: str
    start: int  # offsets into the text matched (normalised report text)
    end: int
    squeezed: str
    pairs: frozenset[str]


@dataclass
class Match:
    score: float  # weighted term hits
    need: float
    hits: list[str]  # the terms hit, then the task's phrases the window repeats
    sentences: list[Sentence]
    shared: float = 0.0  # idf weight of the task's character pairs the window has

    @property
    def addressed(self) -> bool:
        return self.score >= self.need - 1e-9 or self.shared >= SHARED_NEED - 1e-9

    @property
    def strength(self) -> float:
        """How far the window is toward being evidence (≥ 1: it is), by the stronger signal."""
        return max(self.score / self.need if self.need else 0.0, self.shared / SHARED_NEED)

    @property
    def start(self) -> int:
        return self.sentences[0].start if self.sentences else 0

    @property
    def end(self) -> int:
        return self.sentences[-1].end if self.sentences else 0


def _pairs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def sentence(text: str, start: int, end: int) -> Sentence:
    squeezed = squeeze(text)
    return Sentence(text, start, end, squeezed, frozenset(_pairs(squeezed)))


def sentences_of(text: str, to_doc: Callable[[int], int]) -> list[Sentence]:
    """The sentences of one paragraph's ``text``; ``to_doc`` maps an index into it to a text offset."""
    found = []
    for match in _SENTENCE.finditer(text):
        stripped = match.group(0).strip()
        if not stripped:
            continue
        first = match.start() + match.group(0).index(stripped[0])
        found.append(sentence(stripped, to_doc(first), to_doc(first + len(stripped))))
    return found


def paragraph_sentences(text: str, to_doc: Callable[[int], int], lexicon: KeypointLexicon) -> list[Sentence]:
    """A paragraph's sentences that can be evidence: plans ("下一步，将…") say what was not done yet."""
    return [s for s in sentences_of(text, to_doc) if not any(p.search(s.text) for p in lexicon.plans)]


class Term:
    """One term of a task. ``shared``: how many tasks of the checklist have it (it then weighs
    1/shared); ``others``: character pairs of the other tasks' terms, which a fuzzy hit ignores, so
    "12345政务服务便民热线知识库" (task 3) is not fuzzily found where only task 2's
    "12345政务服务便民热线" is."""

    def __init__(self, term: str, lexicon: KeypointLexicon, shared: int = 1, others: frozenset[str] = frozenset()):
        self.label = term
        bases = [squeeze(t) for t in term.split("|") if squeeze(t)]
        alternatives = list(bases)
        for group in lexicon.synonyms:
            members = [squeeze(m) for m in group]
            for base in bases:
                for member in [m for m in members if m and m in base]:
                    alternatives += [base.replace(member, other) for other in members if other != member]
        self.alternatives = tuple(dict.fromkeys(a for a in alternatives if a))
        self.pairs = frozenset(_specific_pairs(bases[0], lexicon)) if bases else frozenset()
        self.weight = min(1.0, len(self.pairs) / 3) / max(shared, 1) if self.pairs else 0.0
        self.fuzzy_pairs = self.pairs - others

    def exact(self, squeezed: str) -> bool:
        return any(a in squeezed for a in self.alternatives)

    def coverage(self, found: frozenset[str]) -> float:
        """The fuzzy hit of a passage that has ``found`` of this term's fuzzy pairs (0 below ``FUZZY``)."""
        if len(self.fuzzy_pairs) < 3:  # a short term must appear as written (or as a synonym)
            return 0.0
        covered = len(found) / len(self.fuzzy_pairs)
        return covered if covered >= FUZZY else 0.0

    def hit(self, squeezed: str, pairs: frozenset[str]) -> float:
        """1 for an exact hit, the covered share for a fuzzy one, else 0."""
        if not self.weight:
            return 0.0
        return 1.0 if self.exact(squeezed) else self.coverage(self.fuzzy_pairs & pairs)


def _specific_pairs(term: str, lexicon: KeypointLexicon) -> set[str]:
    generic = [squeeze(g) for g in lexicon.generic]
    covered = [False] * len(term)
    for word in generic:
        for found in re.finditer(re.escape(word), term):
            for i in range(found.start(), found.end()):
                covered[i] = True
    return {term[i : i + 2] for i in range(len(term) - 1) if not (covered[i] and covered[i + 1])}


def wording(text: str, lexicon: KeypointLexicon) -> set[str]:
    """The specific character pairs of a task's text (no generic words, numbers or punctuation)."""
    return {p for p in _specific_pairs(squeeze(text), lexicon) if not _NOT_WORDING.search(p)}


class TaskMatcher:
    def __init__(self, task: Task, terms: list[Term], wording: dict[str, float] | None = None):
        self.task = task
        self.terms = [t for t in terms if t.weight]
        self.wording = wording or {}  # character pair → idf weight
        self.text_pairs = frozenset(_pairs(squeeze(task.text)))
        self.pairs = frozenset().union(
            *(t.pairs for t in self.terms), *(_pairs(a) for t in self.terms for a in t.alternatives), self.wording
        )

    @cached_property
    def need(self) -> float:
        total = sum(t.weight for t in self.terms)
        return min(NEED, max(total / 2, min(1.0, total))) if total else float("inf")

    def best(self, paragraphs: list[list[Sentence]]) -> Match:
        best = Match(0.0, self.need, [], [])
        for sentences in paragraphs:
            if all(self.pairs.isdisjoint(s.pairs) for s in sentences):
                continue  # no character pair of any term or of the task's wording: nothing to find here
            seen = [self._observe(s) for s in sentences]
            for first in range(len(sentences)):
                for last in range(first, min(first + WINDOW, len(sentences))):
                    match = self._match(sentences[first : last + 1], seen[first : last + 1])
                    if match.strength > best.strength + 1e-9:
                        best = match
        return self._trim(best)

    def _match(self, window: list[Sentence], seen) -> Match:
        values = self._values(seen)
        score = sum(v * t.weight for v, t in zip(values, self.terms))
        have = frozenset().union(*(s.pairs for s in window))
        shared = sum(weight for pair, weight in self.wording.items() if pair in have)
        labels = [t.label for v, t in zip(values, self.terms) if v]
        return Match(score, self.need, labels, window, shared)

    def _observe(self, sentence: Sentence) -> list[tuple[bool, frozenset[str]]]:
        """Per term: an exact hit in this sentence, and the term's fuzzy pairs the sentence has."""
        if self.pairs.isdisjoint(sentence.pairs):
            return [(False, frozenset())] * len(self.terms)
        return [(t.exact(sentence.squeezed), t.fuzzy_pairs & sentence.pairs) for t in self.terms]

    def _values(self, seen: list[list[tuple[bool, frozenset[str]]]]) -> list[float]:
        # A term's pairs may be spread over the window's sentences (it rarely straddles a 。).
        values = []
        for index, term in enumerate(self.terms):
            if any(s[index][0] for s in seen):
                values.append(1.0)
            else:
                values.append(term.coverage(frozenset().union(*(s[index][1] for s in seen))))
        return values

    def _trim(self, best: Match) -> Match:
        """Drop sentences at either end of the evidence that add nothing to it; name the task's
        phrases (three characters or more) the evidence repeats."""
        window = best.sentences

        def keeps(candidate: list[Sentence]) -> bool:
            # A sentence that shares only a common pair or two ("信息") with the task is not evidence.
            match = self._match(candidate, [self._observe(s) for s in candidate])
            return match.score >= best.score - 1e-9 and match.shared >= best.shared - TRIM_SLACK

        while len(window) > 1:
            if keeps(window[1:]):
                window = window[1:]
            elif keeps(window[:-1]):
                window = window[:-1]
            else:
                break
        phrases = [p for p in self._phrases(window) if not any(p in h or h in p for h in best.hits)]
        return Match(best.score, best.need, best.hits + phrases, window, best.shared)

    def _phrases(self, window: list[Sentence]) -> list[str]:
        """Runs of three characters or more the window repeats from the task's text, each with
        a specific character pair in it."""
        found: list[str] = []

        def keep(run: str) -> None:
            for piece in _NOT_WORDING.split(run):
                if len(piece) >= 3 and piece not in found and any(p in self.wording for p in _pairs(piece)):
                    found.append(piece)

        for sentence in window:
            text, run = sentence.squeezed, ""
            for i in range(len(text) - 1):
                if text[i : i + 2] in self.text_pairs:
                    run = run + text[i + 1] if run else text[i : i + 2]
                else:
                    keep(run)
                    run = ""
            keep(run)
        return found


_BUILT: dict[int, tuple[list[Task], KeypointLexicon, list[TaskMatcher]]] = {}


def matchers(tasks: list[Task], lexicon: KeypointLexicon) -> list[TaskMatcher]:
    """One matcher per task of a checklist; a term's weight and fuzzy pairs depend on the others.
    Built once per checklist and lexicon object (a batch checks many reports against one)."""
    built = _BUILT.get(id(tasks))
    if built and built[0] is tasks and built[1] is lexicon:
        return built[2]
    if len(_BUILT) > 32:
        _BUILT.clear()
    found = _build(tasks, lexicon)
    _BUILT[id(tasks)] = (tasks, lexicon, found)
    return found


def _build(tasks: list[Task], lexicon: KeypointLexicon) -> list[TaskMatcher]:
    owners: dict[str, set[int]] = {}
    squeezed = [[squeeze(a) for term in task.terms for a in term.split("|")] for task in tasks]
    for index, terms in enumerate(squeezed):
        for term in terms:
            for pair in _pairs(term):
                owners.setdefault(pair, set()).add(index)
    wordings = [wording(task.text, lexicon) for task in tasks]
    having: dict[str, int] = {}
    for pairs in wordings:
        for pair in pairs:
            having[pair] = having.get(pair, 0) + 1
    found = []
    for index, task in enumerate(tasks):
        others = frozenset(p for p, who in owners.items() if who - {index})
        weighed: list[Term] = []
        for term in task.terms:
            mine = squeeze(term.split("|")[0])
            shared = 1 + sum(1 for j, theirs in enumerate(squeezed) if j != index and any(mine in o for o in theirs))
            weighed.append(Term(term, lexicon, shared, others))
        idf = {pair: math.log(1 + len(tasks) / having[pair]) for pair in wordings[index]}
        found.append(TaskMatcher(task, weighed, idf))
    return found


def completed(sentences: list[Sentence], lexicon: KeypointLexicon) -> bool:
    """Whether a window says its task was done: a sentence with a completion word and no word
    saying it is not (yet) done."""
    for sentence in sentences:
        text = sentence.squeezed
        if any(w in text for w in lexicon.completed) and not any(w in text for w in lexicon.not_completed):
            return True
    return False


__all__ = [
    "Match",
    "Sentence",
    "TaskMatcher",
    "compact",
    "completed",
    "matchers",
    "paragraph_sentences",
    "sentence",
    "sentences_of",
]
