"""Stage 4: the form of the writing → heading_ordinal, doc_number, contact and punctuation facts
(STYLE-ORDINAL, STYLE-DOCNO, STYLE-CONTACT, STYLE-PUNCT), with their lexicon
``rules/lexicon/style.yaml``.

The four are extracted together because punctuation must leave alone what the others judge (a
heading's "(一)", the brackets of "苏府办(2021)5号", an address) and must not swallow their
edits (compliance/facts/punctuation.py)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from compliance.facts.contacts import Contacts
from compliance.facts.docnumbers import DocNumbers
from compliance.facts.ordinals import Ordinals
from compliance.facts.punctuation import Punctuation
from compliance.models.facts import Fact
from compliance.models.facts_style import StyleLexicon
from compliance.models.text import NormalizedText
from compliance.models.tree import DocumentTree
from compliance.resources import read_model


class _Extractors:
    def __init__(self, lexicon: StyleLexicon):
        self.ordinals = Ordinals(lexicon.ordinals)
        self.numbers = DocNumbers(lexicon.document_numbers)
        self.contacts = Contacts(lexicon.contact)
        self.punctuation = Punctuation(lexicon.punctuation)


@cache
def _extractors(root: Path) -> _Extractors:
    """The lexicon of ``<rules>/lexicon/style.yaml``, validated and compiled once per rules folder."""
    return _Extractors(read_model(root / "lexicon" / "style.yaml", StyleLexicon))


def extract(tree: DocumentTree, text: NormalizedText, root: Path, residue: list[tuple[int, int]]) -> list[Fact]:
    """``residue``: spans of web-page residue, to be deleted whole, so not looked into."""
    run = _extractors(root)
    tables = [(node.start, node.end) for node in tree.walk() if node.kind == "table"]
    ordinals, headings = run.ordinals.extract(tree, text, tables)
    numbers, numbered = run.numbers.extract(text)
    contacts, addresses = run.contacts.extract(text)
    facts = ordinals + numbers + contacts
    edited = [(f.start, f.end) for f in facts if f.replacement != f.text]
    masked = tables + headings + numbered + addresses + residue
    return facts + run.punctuation.extract(text, masked, edited)
