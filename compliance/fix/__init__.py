"""``compliance fix``: check a report, apply its findings' edits, write the result to a new file.

Safe edits (form only) always apply, unsafe ones (figures, years, wording) only when asked. A
.docx is rewritten run by run (``fix/docx.py``); every other output is the fixed text
(``fix/text.py``): a .txt/.md input in its own encoding, the text of a .docx/.html/.pdf as UTF-8."""

from __future__ import annotations

import difflib
import os
from pathlib import Path

from compliance.edits import UNSAFE, apply_edits, triage
from compliance.errors import ComplianceError
from compliance.fix.docx import rewrite_docx
from compliance.fix.text import encode_text
from compliance.i18n import _, ngettext
from compliance.load import load_bytes, read
from compliance.models.config import Config, Overrides
from compliance.models.findings import Edit, Report
from compliance.models.fix import FixResult, RuleEdit, SkippedEdit
from compliance.models.source import Source
from compliance.output import write_bytes
from compliance.pipeline import check_source
from compliance.pipeline import read as read_draft
from compliance.rulebook import Rulebook

__all__ = ["fix_bytes", "fix_file", "fixed_name", "planned_edits", "summary", "unified_diff"]

SCRIPT_RULE = "STYLE-SCRIPT"
MAX_ROUNDS = 10  # a fix that brings its own finding back must not loop for ever
_UNWRITABLE = (".html", ".htm", ".pdf", ".doc")


def _refuse_in_place(path: Path, output: Path) -> None:
    same = output.resolve() == path.resolve() or (output.exists() and path.exists() and os.path.samefile(path, output))
    if same:
        raise ComplianceError(f"{output}: " + _("是输入文件；fix 从不改写原文件，请另给 -o"))


def fixed_name(path: Path, output: Path | None, source: Source) -> Path:
    """The name whose suffix picks the writer: -o, else the input's own kind (an .html/.pdf: text)."""
    if output is not None:
        return output
    return path if source.format in ("txt", "md") else path.with_suffix(".docx" if source.format == "docx" else ".txt")


def _check_writable(target: Path, source: Source) -> None:
    suffix = target.suffix.lower()
    if suffix == ".docx" and source.format != "docx":
        raise ComplianceError(f"{target}: " + _("只有 .docx 报告能写成 .docx；请用 -o NAME.txt 写出修改后的文本"))
    if suffix in _UNWRITABLE:
        raise ComplianceError(
            f"{target}: " + _("fix 不能写出 {suffix} 文件；请用 -o NAME.txt 写出修改后的文本").format(suffix=suffix)
        )


def planned_edits(report: Report, source: Source) -> list[tuple[str, Edit]]:
    """(rule, edit) of every finding. STYLE-SCRIPT findings stand for every Traditional run (one
    finding for a wholly Traditional draft, the first 50 runs otherwise) but each carries the edit
    of its own run only: fix converts every run the normalised text changed."""
    edits = [(f.rule, f.edit) for f in report.findings if f.edit and f.rule != SCRIPT_RULE]
    script = [f.edit for f in report.findings if f.rule == SCRIPT_RULE and f.edit]
    if script:
        text = read_draft(source).text
        safe = all(edit.safe for edit in script)
        for change in text.changes:
            start, end = text.to_original(change.start, change.end)
            edits.append((SCRIPT_RULE, Edit(start=start, end=end, replacement=change.converted, safe=safe)))
    return edits


def _round(planned, unsafe: bool, data: bytes, source: Source, docx: bool) -> tuple[list[str | None], bytes, list[str]]:
    """Why each planned edit is skipped (None: applied), and the bytes with the applied ones."""
    reasons = triage([edit for _, edit in planned], unsafe)
    passing = [i for i, reason in enumerate(reasons) if reason is None]
    if not passing:
        return reasons, data, []
    if not docx:
        fixed = apply_edits(source.text, [planned[i][1] for i in passing], unsafe=True)
        return (reasons, *encode_text(fixed, source, data))
    written, docx_reasons = rewrite_docx(data, source, [planned[i][1] for i in passing])
    for i, reason in zip(passing, docx_reasons):
        reasons[i] = reason
    return reasons, written, []


def _located(source: Source, rule: str, edit: Edit) -> RuleEdit:
    line, text = source.text.count("\n", 0, edit.start) + 1, source.text[edit.start : edit.end]
    return RuleEdit(rule=rule, line=line, text=text, edit=edit)


def _skipped(source: Source, rule: str, edit: Edit, reason: str) -> SkippedEdit:
    return SkippedEdit(**dict(_located(source, rule, edit)), reason=reason)


def fix_bytes(
    data: bytes,
    source: Source,
    name: str,
    unsafe: bool = False,
    config: Config | None = None,
    overrides: Overrides | None = None,
    rulebook: Rulebook | None = None,
    report: Report | None = None,
) -> tuple[bytes, FixResult]:
    """Apply the edits of ``source`` (loaded from ``data``; ``report``: its check, if done) without
    writing anything: the fixed bytes — a .docx when ``name`` ends in .docx, else the text — and
    what was done (``output`` None). ``name`` is what the fixed bytes are loaded as between rounds.

    Of overlapping edits one round applies only the first, so rounds repeat on the fixed text
    until no edit applies: the others come back, as findings of what is still wrong."""
    docx = name.lower().endswith(".docx")
    path, original, applied, notes, rounds = source.path, source.text, [], [], 0
    report = report or check_source(source, config, overrides, rulebook)
    while True:
        planned = planned_edits(report, source)
        if rounds == MAX_ROUNDS:
            reasons: list[str | None] = [
                why or _("{rounds} 轮之后仍被提出").format(rounds=MAX_ROUNDS)
                for why in triage([edit for _rule, edit in planned], unsafe)
            ]
            break
        reasons, written, round_notes = _round(planned, unsafe, data, source, docx)
        if None not in reasons:
            break
        applied += [_located(source, rule, edit) for (rule, edit), reason in zip(planned, reasons) if reason is None]
        notes += [note for note in round_notes if note not in notes]
        data, source = written, load_bytes(written, name)
        report, rounds = check_source(source, config, overrides, rulebook), rounds + 1
    if not docx and source.format not in ("txt", "md"):  # no round ran: still the .docx/.html/.pdf
        data, notes = encode_text(source.text, source, data)
    return data, FixResult(
        path=path,
        output=None,
        original=original,
        fixed=source.text,
        rounds=rounds,
        applied=applied,
        skipped=[_skipped(source, rule, edit, reason) for (rule, edit), reason in zip(planned, reasons) if reason],
        remaining=len(report.findings),
        notes=notes,
    )


def fix_file(
    path: str | os.PathLike,
    output: str | os.PathLike | None = None,
    unsafe: bool = False,
    config: Config | None = None,
    overrides: Overrides | None = None,
    rulebook: Rulebook | None = None,
) -> FixResult:
    """Check ``path`` and apply its edits (``fix_bytes``); write the result to ``output`` (never
    ``path``) if given. Raises ``ComplianceError`` (one line naming the file) on anything it cannot do."""
    path, output = Path(path), Path(output) if output is not None else None
    if output is not None:
        _refuse_in_place(path, output)
    data = read(path)
    source = load_bytes(data, str(path))
    written = fixed_name(path, output, source)
    _check_writable(written, source)
    data, result = fix_bytes(data, source, str(written), unsafe, config, overrides, rulebook)
    if output is not None:
        write_bytes(output, data, [path])
    return result.model_copy(update={"path": str(path), "output": str(output) if output is not None else None})


def unified_diff(result: FixResult) -> str:
    """The text before and after, as a unified diff labelled with the input and output names."""
    after = result.output or _("{path}（修改后）").format(path=result.path)
    lines = difflib.unified_diff(
        result.original.splitlines(), result.fixed.splitlines(), result.path, after, lineterm=""
    )
    return "".join(line + "\n" for line in lines)


def summary(result: FixResult) -> str:
    """What was done, for stderr: counts, then each skipped edit other than the unsafe ones
    (`check` lists those), at its line in the fixed text."""
    safe = sum(1 for e in result.applied if e.edit.safe)
    where = result.output or _("{path}（未写出）").format(path=result.path)
    applied, rounds = len(result.applied), result.rounds
    lines = [
        _(
            "{where}：应用 {edits}（安全 {safe} 处，不安全 {unsafe} 处），共 {rounds}；"
            "跳过 {skipped} 处；剩余问题 {remaining} 个"
        ).format(
            where=where,
            edits=ngettext("{count} 处修改", "{count} 处修改", applied).format(count=applied),
            safe=safe,
            unsafe=applied - safe,
            rounds=ngettext("{count} 轮", "{count} 轮", rounds).format(count=rounds),
            skipped=len(result.skipped),
            remaining=result.remaining,
        )
    ]
    reasons = sorted({s.reason for s in result.skipped}, key=lambda r: (r != UNSAFE, r))
    lines += [
        "  " + _("跳过 {count} 处：{reason}").format(count=sum(1 for s in result.skipped if s.reason == r), reason=_(r))
        for r in reasons
    ]
    lines += [
        "  "
        + _("{rule} 第 {line} 行：“{text}” → “{replacement}”（{reason}）").format(
            rule=s.rule, line=s.line, text=s.text, replacement=s.edit.replacement, reason=_(s.reason)
        )
        for s in result.skipped
        if s.reason != UNSAFE
    ]
    lines += ["  " + _("注：{note}").format(note=note) for note in result.notes]
    return "\n".join(lines)
