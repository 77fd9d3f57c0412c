"""Checklists: a task's text → the terms that show a report addressed it.

No word segmenter: a task is cut at punctuation and connector words, verbs and generic words are
stripped from the ends of each piece, and what is left (a noun phrase, usually) is a term. Quoted
phrases (“一企来”), short titles in 《》 and document numbers are kept whole. Terms are a
starting point an office may edit; matching tolerates their being long
(compliance/facts/keypoints/match.py)."""

from __future__ import annotations

import re
from functools import cache

from compliance.facts.keypoints.lexicon import KeypointLexicon
from compliance.facts.keypoints.text import squeeze

MAX_TERMS = 12
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}〔(?:19|20)\d{2}〕\d{1,4}号")
_DAMAGED_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}〔\d{5,}号?")  # "国办发〔201822号": extraction lost the 〕
_QUOTED = re.compile(r"[“\"「]([^”\"」]{2,12})[”\"」]")
_TITLE = re.compile(r"《([^》]{2,40})》")
_PUNCT = r"[，。、；：,;:（）()“”\"‘’《》〔〕<>\[\]【】!?！？\s/]+"
_CJK = re.compile(r"[\u4e00-\u9fff]")
_DATED = re.compile(r"(?:19|20)\d{2}\s*年|年底|月底|\d号")  # deadlines and damaged numbers are not topics


@cache
def _splitter(words: tuple[str, ...]) -> re.Pattern:
    # Single-character connectors split only where they are not the start of a common word.
    guards = {
        "及": "(?!时)",
        "和": "(?!谐)",
        "等": "(?!级)",
        "与": "(?!会)",
        "对": "(?!接|外|象|照|应|标)",
        "的": "(?!确)",
        "将": "(?!来)",
        "并": "(?!购)",
        "要": "(?!点|求|素)",
        "以": "(?!上|下|来|后|前)",
    }
    alternatives = [re.escape(w) + guards.get(w, "") for w in sorted(words, key=len, reverse=True)]
    return re.compile(f"{_PUNCT}|" + "|".join(alternatives))


def _strip(piece: str, lexicon: KeypointLexicon) -> str:
    leading = sorted(lexicon.leading, key=len, reverse=True)
    trailing = sorted(lexicon.trailing, key=len, reverse=True)
    changed = True
    while changed and piece:
        changed = False
        for word in leading:
            if piece.startswith(word) and len(piece) > len(word):
                piece, changed = piece[len(word) :], True
                break
        for word in trailing:
            if piece.endswith(word) and len(piece) > len(word):
                piece, changed = piece[: -len(word)], True
                break
    return piece


def _useful(term: str, lexicon: KeypointLexicon) -> bool:
    if term in lexicon.generic or term in lexicon.leading or term in lexicon.trailing or _DATED.search(term):
        return False
    if _CJK.search(term):
        return len(term) >= 2
    return (len(term) >= 3 and not term.isdigit()) or (term.isdigit() and len(term) >= 5)  # 12345, ipv6


def extract_terms(text: str, lexicon: KeypointLexicon) -> list[str]:
    """The terms of one task, in order of appearance, none contained in another."""
    found: list[str] = []
    whole = [m.group(0) for m in _DOC_NUMBER.finditer(text)]
    text = _DAMAGED_NUMBER.sub("，", _DOC_NUMBER.sub("，", text))
    whole += [m.group(1) for m in _QUOTED.finditer(text) if not _PUNCT_RE.search(m.group(1).replace("、", ""))]
    for match in _TITLE.finditer(text):
        if len(match.group(1)) <= 16:
            whole.append(match.group(1))
    found += whole
    # Protected words ("预公开") stand in as one private-use character while pieces are cut and stripped.
    protected = {chr(0xE000 + i): word for i, word in enumerate(lexicon.protected)}
    for mark, word in protected.items():
        text = text.replace(word, mark)
    for piece in _splitter(tuple(lexicon.splitters)).split(text):
        for part in _ASCII_RUN.split(piece or ""):  # "门户网站IPv6" → "门户网站", "IPv6"
            term = _strip(part, lexicon)
            for mark, word in protected.items():
                term = term.replace(mark, word)
            if term and _useful(term, lexicon):
                found.append(term)
    unique: list[str] = []
    for term in found:
        if term not in unique:
            unique.append(term)
    squeezed = {term: squeeze(term) for term in unique}
    # A term inside a longer one would count the same words twice.
    kept = [t for t in unique if not any(t != o and squeezed[t] in squeezed[o] for o in unique)]
    return kept[:MAX_TERMS]


_PUNCT_RE = re.compile(_PUNCT)
_ASCII_RUN = re.compile(r"([A-Za-z][A-Za-z0-9]*|[0-9]{3,})")
