"""``compliance annotate``: the review copy of a draft — the draft itself with every finding as a
Word comment (批注) on the characters it is about and every edit ``fix`` would make as a tracked
change (修订) the drafter accepts or rejects one by one.

The changes are the difference between the draft's text and what ``fix`` makes of it (all its
rounds: a later round's edits overlap the first's, seed 000's script conversion inside the
punctuation fixes), so accepting them all gives the text ``fix`` writes. A .docx keeps its runs'
formatting, styles, tables, headers and footers; any other draft becomes a plain .docx of its
text (``plain.py``)."""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime
from pathlib import Path

from docx import Document

from compliance.annotate.changes import Change, Writer, differences, rules_of, unshown
from compliance.annotate.comments import add_comments, anchor
from compliance.annotate.plain import plain_docx
from compliance.annotate.runs import Runs, W
from compliance.errors import ComplianceError
from compliance.fix import fix_bytes, fixed_name, planned_edits
from compliance.fix.docx import trace
from compliance.i18n import _, ngettext
from compliance.load import load_bytes, read
from compliance.models.annotate import AnnotateResult, ReviewCopy, TrackedChange
from compliance.models.config import Config, Overrides
from compliance.models.findings import Edit, Report
from compliance.models.fix import SkippedEdit
from compliance.models.source import Source
from compliance.output import guard, write_bytes
from compliance.pipeline import check_source
from compliance.rulebook import Rulebook

__all__ = ["AUTHOR", "annotate_file", "review_copy", "reviewer", "summary"]

AUTHOR = "合规检查"


def reviewer(author: str | None = None, initials: str | None = None) -> tuple[str, str]:
    """Who signs the comments and changes, and their initials: by default the checker, and the
    first character of the name ("市政务公开办" → "市")."""
    author = author or AUTHOR
    return author, initials or author[0]


def _next_id(document) -> int:
    """A w:id above every one in the document (its comments' ranges included)."""
    ids = [int(value) for e in document.element.iter() if (value := e.get(f"{W}id", "")).isdigit()]
    return max(ids, default=0) + 1


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _skipped(change: Change, rules: list[str], reason: str, text: str) -> SkippedEdit:
    edit = Edit(start=change.start, end=change.end, replacement=change.text, safe=True)
    return SkippedEdit(
        rule=",".join(rules),
        line=_line(text, change.start),
        text=text[change.start : change.end],
        edit=edit,
        reason=reason,
    )


def review_copy(
    data: bytes,
    source: Source,
    report: Report,
    *,
    author: str,
    initials: str,
    unsafe: bool = False,
    config: Config | None = None,
    overrides: Overrides | None = None,
    rulebook: Rulebook | None = None,
    when: datetime | None = None,
) -> ReviewCopy:
    """The review copy of the draft ``data`` (loaded as ``source``, checked as ``report``)."""
    when = (when or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    # What fix makes of the draft: a .docx fixed in its runs, any other draft as text.
    name = str(fixed_name(Path(source.path), None, source))
    fixed = fix_bytes(data, source, name, unsafe, config, overrides, rulebook, report)[1]
    document = Document(io.BytesIO(data if source.format == "docx" else plain_docx(source)))
    runs = Runs(trace(document.element.body, source))
    text, edits = source.text, planned_edits(report, source)
    changes, skipped = [], list(fixed.skipped)
    for change in differences(text, fixed.fixed):
        reason = unshown(change, runs, text)
        if reason is None:
            changes.append(change)
        else:
            skipped.append(_skipped(change, rules_of(change, edits), reason, text))
    commented = [(f, span) for f in report.findings if (span := anchor(f, runs, text)) is not None]
    runs.split(offset for _f, span in commented for offset in span)
    runs.split(offset for change in changes for offset in (change.start, change.end))
    add_comments(document, runs, commented, author, initials, when)
    writer = Writer(runs, author, when, _next_id(document))
    for change in changes:
        writer.write(change)
    out = io.BytesIO()
    document.save(out)
    return ReviewCopy(
        data=out.getvalue(),
        comments=len(commented),
        changes=[
            TrackedChange(
                rules=rules_of(c, edits), line=_line(text, c.start), deleted=text[c.start : c.end], inserted=c.text
            )
            for c in changes
        ],
        skipped=skipped,
    )


def annotate_file(
    path: str | os.PathLike,
    output: str | os.PathLike,
    *,
    author: str = AUTHOR,
    initials: str = AUTHOR[0],
    unsafe: bool = False,
    config: Config | None = None,
    overrides: Overrides | None = None,
    rulebook: Rulebook | None = None,
) -> AnnotateResult:
    """Check ``path`` and write its review copy to ``output`` (a new .docx, never ``path``).
    Raises ``ComplianceError`` (one line naming the file) on anything it cannot do."""
    path, output = Path(path), Path(output)
    guard(output, [path])
    if output.suffix.lower() != ".docx":
        raise ComplianceError(f"{output}: " + _("审阅稿是 Word 文档；请用 -o NAME.docx"))
    data = read(path)
    source = load_bytes(data, str(path))
    report = check_source(source, config, overrides, rulebook)
    copy = review_copy(
        data,
        source,
        report,
        author=author,
        initials=initials,
        unsafe=unsafe,
        config=config,
        overrides=overrides,
        rulebook=rulebook,
    )
    write_bytes(output, copy.data, [path])
    return AnnotateResult(
        path=str(path),
        output=str(output),
        findings=len(report.findings),
        comments=copy.comments,
        changes=len(copy.changes),
        skipped=copy.skipped,
    )


def summary(result: AnnotateResult) -> str:
    """What the review copy holds, for stderr: counts, then the edits it leaves out, by reason."""
    lines = [
        _("{output}：{comments}（{findings} 个问题），{changes}；跳过 {skipped} 处修改").format(
            output=result.output,
            comments=ngettext("{count} 条批注", "{count} 条批注", result.comments).format(count=result.comments),
            findings=result.findings,
            changes=ngettext("{count} 处修订", "{count} 处修订", result.changes).format(count=result.changes),
            skipped=len(result.skipped),
        )
    ]
    reasons = sorted({s.reason for s in result.skipped})
    lines += [
        "  " + _("跳过 {count} 处：{reason}").format(count=sum(1 for s in result.skipped if s.reason == r), reason=_(r))
        for r in reasons
    ]
    return "\n".join(lines)
