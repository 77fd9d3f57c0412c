"""Checklists: a 工作要点 document, read as a report is (``pipeline.read``: stages 1–3) → ``Checklist``
(issuer, year, 文号, reporting instruction, tasks).

The attachment table, when there is one, is
the document's own task list (attachment.py); the body's parts (一、（一） or 一是/二是) give each
task its parent part, and a task stated in both is linked, not duplicated. Body sentences with a
deadline ("2021年底前…") that no attachment row covers become tasks of their own (ids B1, B2…);
a document without an attachment has its body items as tasks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from compliance.checklists.attachment import Row, read_rows
from compliance.checklists.files import ChecklistError
from compliance.checklists.terms import extract_terms
from compliance.checklists.units import parse_units
from compliance.facts.keypoints.lexicon import KeypointLexicon, load_lexicon
from compliance.facts.keypoints.text import squeeze
from compliance.models.checklist import BodyLink, Checklist, ReportInstruction, Task
from compliance.models.tree import DocumentTree, Section

_ISSUER = re.compile(r"^\s*(.{2,20}?(?:人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室))\s*(?:文件)?\s*$")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,8}〔(?:19|20)\d{2}〕\d{1,4}号")
_DAMAGED_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,8})〔((?:19|20)\d{2})(\d{1,4})号?(?!\d)")
_NOTICE = re.compile(r"关于印发\s*(.+?要点)\s*的通知")
_SENTENCE = re.compile(r"[^。；;]+[。；;]?")
_LEAD = re.compile(r"由?([^，。；,]{2,40}?)牵头")
# Share of a row's character pairs found in a body item for the two to be one task (seeds: 0.97–1.0
# verbatim, ≤0.5 unrelated).
_LINK = 0.6


@dataclass
class BodyItem:
    part: str
    text: str
    line: int
    start: int
    sentences: list[tuple[str, int]]  # (sentence, line)


def _lines(text: str):
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    import bisect

    return lambda offset: bisect.bisect_right(starts, offset)


def _sentences(paragraphs, line_of) -> list[tuple[str, int]]:
    found = []
    for paragraph in paragraphs:
        for match in _SENTENCE.finditer(paragraph.text):
            if match.group(0).strip():
                found.append((match.group(0).strip(), line_of(paragraph.doc_offset(match.start()))))
    return found


def _split_markers(part: str, paragraphs, line_of, lexicon: KeypointLexicon) -> list[BodyItem]:
    """A paragraph that runs "一是…二是…" gives one item per ordinal (its intro none); the other
    paragraphs of a part together are one item."""
    items: list[BodyItem] = []
    plain = []
    for paragraph in paragraphs:
        marks = list(lexicon.item_marker.finditer(paragraph.text))
        if not marks:
            plain.append(paragraph)
            continue
        for index, mark in enumerate(marks):
            end = marks[index + 1].start(1) if index + 1 < len(marks) else len(paragraph.text)
            body = paragraph.text[mark.start(1) : end].strip()
            title = re.split(r"[。；]", body, maxsplit=1)[0]
            start = paragraph.doc_offset(mark.start(1))
            sentences = [
                (s.group(0).strip(), line_of(paragraph.doc_offset(mark.start(1) + s.start())))
                for s in _SENTENCE.finditer(body)
                if s.group(0).strip()
            ]
            items.append(BodyItem(f"{part}／{title}", body, line_of(start), start, sentences))
    if plain:
        text = "".join(p.text for p in plain)
        items.append(BodyItem(part, text, plain[0].line, plain[0].start, _sentences(plain, line_of)))
    return items


def _body_items(tree: DocumentTree, stop: int, line_of, lexicon: KeypointLexicon) -> list[BodyItem]:
    items: list[BodyItem] = []

    def paragraphs(section: Section):
        return [c for c in section.children if c.kind == "paragraph" and c.start < stop]

    for part in tree.sections:
        if part.start >= stop:
            break
        title = part.heading.marker + part.heading.title
        subs = [s for s in part.sections() if s.start < stop]
        if not subs:
            items += _split_markers(title, paragraphs(part), line_of, lexicon)
        for sub in subs:
            items += _split_markers(
                f"{title}／{sub.heading.marker}{sub.heading.title}", paragraphs(sub), line_of, lexicon
            )
    return items


def _grams(text: str) -> set[str]:
    text = squeeze(text)
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _containment(inner: str, outer: str) -> float:
    grams = _grams(inner)
    return len(grams & _grams(outer)) / len(grams) if grams else 0.0


def _deadline(text: str, lexicon: KeypointLexicon) -> str | None:
    match = lexicon.deadline.search(text)
    return re.sub(r"\s+|^于", "", match.group(0)) if match else None


def _ends_with_title(text: str, lexicon: KeypointLexicon) -> bool:
    found = lexicon.title.search(text)
    return found is not None and not re.sub(r"[\s（(]*(?:试行|修订)?[）)]?\s*$", "", text[found.end() :])


def _metadata(
    tree: DocumentTree, path: str, lexicon: KeypointLexicon
) -> tuple[str, int, str | None, str | None, str | None]:
    texts = [n.text if n.kind == "paragraph" else n.heading.text for n in tree.walk() if n.kind != "table"]
    if tree.title:
        texts.insert(0, tree.title.text)
    notice = next((m.group(1) for t in texts if (m := _NOTICE.search(t))), None)
    # A title line ends with 要点 ("…要点落实情况" is a report's heading, not a key-point document).
    standalone = next((t.strip() for t in texts if len(t.strip()) <= 40 and _ends_with_title(t, lexicon)), None)
    title = re.sub(r"\s+", "", notice or standalone or "")
    found = lexicon.title.search(title) if title else None
    if not found:
        raise ChecklistError(path, "not a key-point document (no title like “2021年政务公开工作要点”)")
    year = int(found.group(0)[:4])  # the pattern starts with the year
    issuer = next((m.group(1) for t in texts if (m := _ISSUER.match(t))), None)
    joined = "\n".join(texts)
    number = _DOC_NUMBER.search(joined)
    damaged = _DAMAGED_NUMBER.search(joined)
    doc_number = number.group(0) if number else (f"{damaged[1]}〔{damaged[2]}〕{damaged[3]}号" if damaged else None)
    jurisdiction = title[: found.start()] or (re.match(r".+?[省市县区]", issuer or "") or [None])[0]
    return title, year, issuer, doc_number, jurisdiction or None


def _instruction(items: list[BodyItem], tree: DocumentTree, line_of, lexicon) -> ReportInstruction | None:
    sentences = [s for item in items for s in item.sentences]
    sentences += _sentences([n for n in tree.walk() if n.kind == "paragraph"], line_of)
    for sentence, line in sentences:
        if any(p.search(sentence) for p in lexicon.instructions):
            return ReportInstruction(text=sentence, line=line)
    return None


def _row_tasks(rows: list[Row], items: list[BodyItem], lexicon: KeypointLexicon) -> list[Task]:
    tasks: list[Task] = []
    categories: list[str] = []
    for row in rows:
        if row.categories:
            # One category cell is a new second-level heading unless it repeats a first-level one.
            known_top = [c for c in row.categories if categories and c == categories[0]]
            categories = row.categories if len(row.categories) > 1 or known_top else categories[:1] + row.categories
        units: list[str] = []
        lead: list[str] = []
        for cells in row.unit_cells:
            for index, cell in enumerate(cells):
                found, leading = parse_units(cell, lexicon)
                if len(cells) > 1 and index < len(cells) - 1:
                    leading = found  # flattened: every unit cell before the last is 牵头单位
                units += [u for u in found if u not in units]
                lead += [u for u in leading if u not in lead]
        text = "；".join(t.strip() for t in row.texts)
        best = max(items, key=lambda item: _containment(text, item.text), default=None)
        body = None
        if best and _containment(text, best.text) >= _LINK:
            line = max(best.sentences, key=lambda s: _containment(s[0], text), default=("", best.line))[1]
            body = BodyLink(part=best.part, line=line)
        tasks.append(
            Task(
                id=str(row.number),
                text=text,
                part="／".join(categories) or (body.part if body else ""),
                units=units,
                lead=lead,
                deadline=_deadline(row.deadline or text, lexicon),
                terms=extract_terms(text, lexicon) or [squeeze(text)[:12]],
                line=row.line,
                body=body,
            )
        )
    return tasks


def _body_tasks(items: list[BodyItem], covered: list[Task], only_deadlines: bool, lexicon) -> list[Task]:
    tasks: list[Task] = []
    for item in items:
        lead = [u for m in _LEAD.finditer(item.text) for u in parse_units(m.group(1), lexicon)[0]]
        units = lead = list(dict.fromkeys(lead))
        if not only_deadlines:
            terms = extract_terms(item.text, lexicon)
            if terms:
                tasks.append(
                    Task(
                        id=str(len(tasks) + 1),
                        text=item.text,
                        part=item.part,
                        units=units,
                        lead=lead,
                        deadline=_deadline(item.text, lexicon),
                        terms=terms,
                        source="body",
                        line=item.line,
                    )
                )
            continue
        for sentence, line in item.sentences:
            deadline = _deadline(sentence, lexicon)
            if not deadline or any(_containment(sentence, t.text) >= 0.6 for t in covered):
                continue
            terms = extract_terms(sentence, lexicon)
            if terms:
                tasks.append(
                    Task(
                        id=f"B{len(tasks) + 1}",
                        text=sentence.rstrip("。；;"),
                        part=item.part,
                        units=units,
                        lead=lead,
                        deadline=deadline,
                        terms=terms,
                        source="body",
                        line=line,
                    )
                )
    return tasks


def extract(tree: DocumentTree, text: str, path: str, lexicon: KeypointLexicon | None = None) -> Checklist:
    """The checklist of one parsed key-point document."""
    lexicon = lexicon or load_lexicon()
    line_of = _lines(text)
    title, year, issuer, doc_number, jurisdiction = _metadata(tree, path, lexicon)
    rows, attachment = read_rows(tree, lexicon)
    items = _body_items(tree, attachment if attachment is not None else len(text) + 1, line_of, lexicon)
    tasks = _row_tasks(rows, items, lexicon)
    tasks += _body_tasks(items, tasks, only_deadlines=bool(rows), lexicon=lexicon)
    if not tasks:
        raise ChecklistError(
            path, "not a key-point document (no tasks found: no attachment table and no numbered parts)"
        )
    return Checklist(
        title=title,
        issuer=issuer,
        jurisdiction=jurisdiction,
        year=year,
        doc_number=doc_number,
        report_instruction=_instruction(items, tree, line_of, lexicon),
        tasks=tasks,
        name=Path(path).stem,
    )
