"""Stage 4: parts — which content items the draft has, where, in what order and wording.

Headings are mapped to content items by the lexicon in ``rules/lexicon/parts.yaml``; what each
regime requires comes from ``rules/regimes/``. Facts only; the rules judge."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Literal

from compliance.models.facts import (
    Fact,
    ItemPresentFact,
    PartContentFact,
    PartHeadingFact,
    PartOrderFact,
    RequiredItemFact,
    Unavailable,
)
from compliance.models.findings import DocumentInfo
from compliance.models.rulespec import PartLexicon, RegimeSpec
from compliance.models.tree import DocumentTree, Section

_SPACES = re.compile(r"[\s\u3000]+")
# The parts of the unified format that hold its tables (facts/tables.TABLE_PARTS).
_TABLE_ITEMS = {"active", "request", "review_litigation"}


@cache
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern, ...]:
    return tuple(re.compile(p) for p in patterns)


def _first_match(patterns: tuple[str, ...], text: str) -> re.Match | None:
    """The match of the first of ``patterns`` that matches ``text``. (Each is searched alone: one
    pattern that joins them has no common first character for re to skip ahead to, and costs more.)"""
    return next((m for p in _compiled(patterns) if (m := p.search(text))), None)


class _Classifier:
    """A part lexicon's heading patterns, compiled and joined once, and the headings it has
    classified (every extractor asks about the same few)."""

    def __init__(self, lexicon: PartLexicon) -> None:
        self.lexicon = lexicon
        self.order = [(item, tuple(lexicon.items[item].patterns)) for item in lexicon.classification_order]
        self.known: dict[str, str | None] = {}

    def __call__(self, title: str) -> str | None:
        if title not in self.known:
            if len(self.known) > _KNOWN_TITLES:
                self.known.clear()
            text = _SPACES.sub("", title)
            self.known[title] = next((item for item, patterns in self.order if _first_match(patterns, text)), None)
        return self.known[title]


_KNOWN_TITLES = 4096
_KEPT = 32  # lexicons whose compiled form is kept (one per rulebook in use)
_CLASSIFIERS: dict[int, _Classifier] = {}


def classify(title: str, lexicon: PartLexicon) -> str | None:
    """The content item a heading names, or None."""
    classifier = _CLASSIFIERS.get(id(lexicon))
    if classifier is None or classifier.lexicon is not lexicon:
        if len(_CLASSIFIERS) >= _KEPT:  # lexicons of rulebooks no longer used
            _CLASSIFIERS.clear()
        classifier = _CLASSIFIERS[id(lexicon)] = _Classifier(lexicon)
    return classifier(title)


def _content(section: Section) -> str:
    return "".join(
        [
            node.text if node.kind == "paragraph" else "".join([c.text for row in node.rows for c in row])
            for node in section.walk()
            if node.kind in ("paragraph", "table")
        ]
    )


def _present_items(tree: DocumentTree, lexicon: PartLexicon, regime: RegimeSpec) -> dict[str, ItemPresentFact]:
    """item → where it is and how it was found; the first occurrence wins."""
    found: dict[str, ItemPresentFact] = {}

    def note(item: str | None, section: Section, via: Literal["part", "sub_part"]) -> None:
        if item and item not in found:
            found[item] = ItemPresentFact(
                item=item, heading=section.heading.text, via=via, start=section.start, end=section.heading.end
            )

    for part in tree.sections:
        note(classify(part.heading.title, lexicon), part, "part")
    for part in tree.sections:
        nested = regime.nested_items and classify(part.heading.title, lexicon) is None
        for sub in part.sections() if nested else []:
            note(classify(sub.heading.title, lexicon), sub, "sub_part")
    paragraphs = [n for n in tree.walk() if n.kind == "paragraph"]
    for spec in regime.items:
        for paragraph in paragraphs if spec.item not in found and spec.stated_by else []:
            match = _first_match(tuple(spec.stated_by), paragraph.text)
            if match:
                found[spec.item] = ItemPresentFact(
                    item=spec.item,
                    heading="",
                    via="mention",
                    start=paragraph.doc_offset(match.start()),
                    end=paragraph.doc_offset(match.end()),
                )
                break
    for item, entry in lexicon.items.items():
        # Items with mentions are satisfied by what a passage states, not by a heading.
        if not entry.mentions:
            continue
        found.pop(item, None)
        mentions = tuple(entry.mentions)
        for node in paragraphs:
            match = _first_match(mentions, node.text)
            if match:
                found[item] = ItemPresentFact(
                    item=item,
                    heading="",
                    via="mention",
                    start=node.doc_offset(match.start()),
                    end=node.doc_offset(match.end()),
                )
                break
    return found


def _required(
    regime: RegimeSpec, info: DocumentInfo, lexicon: PartLexicon, present, tree, ending
) -> tuple[list[Fact], list[Unavailable]]:
    items = [i for i in regime.items if info.issuer_kind in i.issuer_kinds]
    end = tree.text_length
    facts: list[Fact] = []
    cut: list[str] = []
    for index, item in enumerate(items):
        # An absent item points where it belongs: before the next item the draft has.
        later = [present[i.item].start for i in items[index + 1 :] if i.item in present]
        where = min(later) if later else end
        home = (
            next((s for s in tree.sections if classify(s.heading.title, lexicon) == item.belongs_in), None)
            if item.belongs_in
            else None
        )
        where = home.end if home else where
        later_parts = [i for i in items[index + 1 :] if i.item in present and i.family == "part"]
        if ending.truncated and item.item not in present and (not later_parts or lexicon.items[item.item].mentions):
            cut.append(lexicon.items[item.item].label)  # it would stand in the text that is missing
            continue
        facts.append(
            RequiredItemFact(
                item=item.item,
                label=lexicon.items[item.item].label,
                family=item.family,
                basis_ref=item.basis,
                start=where,
                end=where,
            )
        )
    if not cut:
        return facts, []
    part = f"{ending.part.heading.marker}{ending.part.heading.title}" if ending.part else ""
    return facts, [Unavailable(fact="required_item", reason="truncated", values={"part": part, "parts": cut})]


def _order(tree: DocumentTree, lexicon: PartLexicon, regime: RegimeSpec) -> list[Fact]:
    """Every part of the format with its rank there and the furthest rank among the parts before it."""
    order = [i.item for i in regime.items if i.family == "part"]
    facts: list[Fact] = []
    furthest: tuple[int, Section] | None = None
    for part in tree.sections:
        item = classify(part.heading.title, lexicon)
        if item not in order:
            continue
        rank = order.index(item) + 1
        facts.append(
            PartOrderFact(
                item=item,
                label=lexicon.items[item].label,
                heading=part.heading.marker + part.heading.title,
                rank=rank,
                furthest_rank=furthest[0] if furthest else 0,
                furthest_heading=furthest[1].heading.marker + furthest[1].heading.title if furthest else "",
                order_gap=rank - furthest[0] if furthest else rank,
                start=part.start,
                end=part.heading.end,
            )
        )
        if not furthest or rank > furthest[0]:
            furthest = (rank, part)
    return facts


def edits(text: str, target: str) -> int:
    """How many characters to insert, delete or replace to turn ``text`` into ``target``
    (Levenshtein distance)."""
    if text == target:
        return 0
    row = list(range(len(target) + 1))
    for i, char in enumerate(text, 1):
        diagonal, row[0] = row[0], i
        for j, other in enumerate(target, 1):
            diagonal, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, diagonal + (char != other))
    return row[-1]


@lru_cache(maxsize=_KNOWN_TITLES)
def _edits_to_standard(title: str, standard: tuple[str, ...]) -> int:
    """The edits from a part's title (without spaces) to the nearest of its standard wordings."""
    return min((edits(title, _SPACES.sub("", s)) for s in standard), default=len(title))


def _parts(tree: DocumentTree, lexicon: PartLexicon, regime: RegimeSpec, ending) -> list[Fact]:
    format_items = {i.item for i in regime.items if i.family == "part"}
    facts: list[Fact] = []
    for part in tree.sections:
        cut_short = ending.truncated and part is ending.part  # its content may be in the missing text
        item = classify(part.heading.title, lexicon)
        entry = lexicon.items.get(item) if item else None
        # A part of the unified format is headed "一、"; "（七）…" is an item, not a part heading.
        if regime.ordered and item in format_items and entry is not None and part.heading.style == "cn":
            title = _SPACES.sub("", part.heading.title)
            facts.append(
                PartHeadingFact(
                    item=item,
                    label=entry.label,
                    heading=part.heading.text,
                    marker=part.heading.marker,
                    edits=_edits_to_standard(title, tuple(entry.standard)),
                    start=part.heading.start,
                    end=part.heading.end,
                )
            )
        content = _content(part).strip()
        if cut_short:
            continue
        phrase = content if content in lexicon.none_only else ""
        facts.append(
            PartContentFact(
                item=item or "",
                label=entry.label if entry else part.heading.title,
                heading=part.heading.marker + part.heading.title,
                content=content[:20],
                chars=len(content),
                none_phrase=phrase,
                substance=len(content) - len(phrase),
                content_required=entry.content_required if entry else True,
                table_part=regime.ordered and item in _TABLE_ITEMS,
                start=part.heading.start,
                end=part.heading.end,
            )
        )
    return facts


# So many parts headed in the format's words show a report that follows the unified format.
_FORMAT_PARTS = 3


def follows_format(tree: DocumentTree, lexicon: PartLexicon, regime: RegimeSpec, has_tables: bool) -> bool:
    """Whether a report whose year leaves the format optional adopted it anyway."""
    standard = {_SPACES.sub("", s) for entry in lexicon.items.values() for s in entry.standard}
    headed = sum(_SPACES.sub("", part.heading.title) in standard for part in tree.sections)
    return has_tables or headed >= _FORMAT_PARTS


def free_form(regime: RegimeSpec) -> RegimeSpec:
    """The regime as a report in free form meets it: the 条例's items, in any order and wording."""
    items = [item for item in regime.items if not item.format_only]
    return regime.model_copy(update={"ordered": False, "nested_items": True, "items": items})


def extract(
    tree: DocumentTree, info: DocumentInfo, regime: RegimeSpec, lexicon: PartLexicon, ending
) -> tuple[list[Fact], list[Unavailable]]:
    """Parts present, required, in order and worded; ``ending`` (facts.completeness) says whether
    the text was cut, so that what would stand after the cut is not checked, not called missing."""
    present = _present_items(tree, lexicon, regime)
    facts: list[Fact] = list(present.values())
    required, unavailable = _required(regime, info, lexicon, present, tree, ending)
    facts += required
    if regime.ordered:
        facts += _order(tree, lexicon, regime)
    facts += _parts(tree, lexicon, regime, ending)
    return facts, unavailable
