"""Test helpers: what Word does with a review copy — accept or reject every tracked change, drop the
comments — and what a comment is anchored on, read from the XML itself."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

from docx import Document
from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
COMMENT_MARKS = (f"{W}commentRangeStart", f"{W}commentRangeEnd")


def _unwrap(element) -> None:
    for child in list(element):
        element.addprevious(child)
    element.getparent().remove(element)


def _drop(element) -> None:
    element.getparent().remove(element)


def _without_comments(body) -> None:
    for mark in list(body.iter(*COMMENT_MARKS)):
        _drop(mark)
    for reference in list(body.iter(f"{W}commentReference")):
        _drop(reference.getparent())


def resolved(data: bytes, accept: bool) -> bytes:
    """The review copy with every change accepted (w:del gone, w:ins kept) or rejected (the
    reverse, w:delText back to w:t), and no comments left in the text."""
    document = Document(io.BytesIO(data))
    body = document.element.body
    gone, kept = (f"{W}del", f"{W}ins") if accept else (f"{W}ins", f"{W}del")
    for element in list(body.iter(gone)):
        _drop(element)
    for element in list(body.iter(kept)):
        for text in element.iter(f"{W}delText"):
            text.tag = f"{W}t"
        _unwrap(element)
    _without_comments(body)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def runs_of(data: bytes) -> list[list[tuple[str, str]]]:
    """Per paragraph (cells' included, in document order): its runs as (w:rPr XML, text), adjacent
    runs of the same properties joined and empty ones left out — a run split in two at a comment's
    edge reads as the one run it was."""
    body = Document(io.BytesIO(data)).element.body
    paragraphs = []
    for paragraph in body.iter(f"{W}p"):
        runs: list[tuple[str, str]] = []
        for run in paragraph.iter(f"{W}r"):
            properties = run.find(f"{W}rPr")
            key = etree.tostring(properties, encoding="unicode") if properties is not None else ""
            text = "".join(t.text or "" for t in run.iter(f"{W}t"))
            if not text:
                continue
            if runs and runs[-1][0] == key:
                runs[-1] = (key, runs[-1][1] + text)
            else:
                runs.append((key, text))
        paragraphs.append(runs)
    return paragraphs


def anchored(data: bytes) -> dict[int, str]:
    """Comment id → the draft's text between its w:commentRangeStart and w:commentRangeEnd: deleted
    text included, inserted text (a change within the range) not."""
    body = Document(io.BytesIO(data)).element.body
    open_ids: set[int] = set()
    texts: dict[int, str] = {}
    for element in body.iter(*COMMENT_MARKS, f"{W}t", f"{W}delText"):
        if element.tag == COMMENT_MARKS[0]:
            open_ids.add(int(element.get(f"{W}id")))
            texts.setdefault(int(element.get(f"{W}id")), "")
        elif element.tag == COMMENT_MARKS[1]:
            open_ids.discard(int(element.get(f"{W}id")))
        elif next(element.iterancestors(f"{W}ins"), None) is None:
            for comment in open_ids:
                texts[comment] += element.text or ""
    return texts


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def revisions(data: bytes) -> Iterator:
    body = Document(io.BytesIO(data)).element.body
    yield from body.iter(f"{W}ins", f"{W}del")


def part(path: Path | bytes, name: str):
    """A package part parsed, for comparing XML (``name``: e.g. word/styles.xml)."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(path) if isinstance(path, bytes) else path) as archive:
        return etree.fromstring(archive.read(name))
