"""What the workspace records and reads back, as functions of a Session: versions recorded from
their checks, notices issued, the status of each submission, the rows and the dashboard the pages
show, and the users who may sign in.

**Issuers.** A version is filed under the issuer and year its report names. Names vary by year:
one that begins with a place and ends exactly one known longer name is that issuer
(``facts.duplicates.shortened_name``: 洪泽区人民政府 in 2023, 淮安市洪泽区人民政府 in 2024), and
an issuer is keyed by the fullest name seen (spaces removed). A draft that names no issuer or no
year, or could not be checked, is filed under an issuer of its own, "未识别" (or the name it
gives), keyed by its sha256: it is still listed, and a corrected version can be added to it by
``submission_id``. The same bytes uploaded again for a submission are its existing version.

**Status** (``status``), computed, never stored:

- 待审查: no notice has been issued about the submission;
- 已整改: the latest version uploaded after the latest notice was checked and has no finding at or
  above the notice's least severity;
- 逾期未改: otherwise, when today is after the notice's deadline;
- 已通知整改: otherwise."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from compliance.facts.duplicates import shortened_name
from compliance.models.findings import Severity, reaches
from compliance.workspace.data.checking import CheckResult
from compliance.workspace.data.schema import Issuer, Notice, Setting, Submission, TableCell, User, Version, utcnow

PENDING, NOTIFIED, CORRECTED, OVERDUE = "待审查", "已通知整改", "已整改", "逾期未改"
STATUSES = (PENDING, NOTIFIED, CORRECTED, OVERDUE)
UNIDENTIFIED = "未识别"
UNCHECKED = "无法检查"  # the grade column of a version that could not be checked

_SPACES = re.compile(r"\s+")


# Issuers and versions


def _issuer(session: Session, name: str | None, year: int | None, sha256: str) -> Issuer:
    """The issuer a draft is filed under (see the module's docstring), created when new."""
    if not name or year is None:
        return _get_or_create(session, Issuer, {"key": "?" + sha256}, name=name or UNIDENTIFIED)
    key = _SPACES.sub("", name)
    known = session.scalars(select(Issuer).where(Issuer.key == key)).first()
    if known:
        return known
    named = session.scalars(select(Issuer).where(~Issuer.key.startswith("?"))).all()
    matches = [i for i in named if shortened_name(key, i.key) or shortened_name(i.key, key)]
    if len(matches) != 1:
        return _get_or_create(session, Issuer, {"key": key}, name=name)
    (issuer,) = matches
    if len(key) > len(issuer.key):  # the fullest name keys the issuer and is shown
        issuer.key, issuer.name = key, name
    return issuer


def _get_or_create(session: Session, model: Any, keys: dict[str, Any], **values: Any) -> Any:
    """The row of ``model`` with ``keys``, else a new one; a row another session created meanwhile
    (the unique constraint refuses ours) is found again."""
    query = select(model).filter_by(**keys)
    if found := session.scalars(query).first():
        return found
    try:
        with session.begin_nested():
            row = model(**keys, **values)
            session.add(row)
        return row
    except IntegrityError:
        return session.scalars(query).one()


def record_version(
    session: Session,
    filename: str,
    sha256: str,
    result: CheckResult,
    uploaded_at: dt.datetime | None = None,
    submission_id: int | None = None,
) -> Version:
    """Record a checked draft (its bytes already in the draft store under ``sha256``) as the next
    version of its submission — the one its issuer and year name, or ``submission_id`` — with its
    report and table cells; the same bytes already recorded for that submission are that version."""
    if submission_id is not None:
        submission = session.get_one(Submission, submission_id)
    else:
        document = result.report.document if result.report else None
        year = document.year if document else None
        issuer = _issuer(session, document.issuer if document else None, year, sha256)
        submission = _get_or_create(session, Submission, {"issuer_id": issuer.id, "year": year})
    try:
        return _add_version(session, submission, filename, sha256, result, uploaded_at)
    except IntegrityError:  # another server recorded a version of it meanwhile: numbered after it
        session.refresh(submission, ["versions"])
        return _add_version(session, submission, filename, sha256, result, uploaded_at)


def _add_version(
    session: Session,
    submission: Submission,
    filename: str,
    sha256: str,
    result: CheckResult,
    uploaded_at: dt.datetime | None,
) -> Version:
    if existing := next((v for v in submission.versions if v.sha256 == sha256), None):
        return existing
    report = result.report
    version = Version(
        number=len(submission.versions) + 1,
        sha256=sha256,
        filename=filename,
        format=result.format,
        uploaded_at=uploaded_at or utcnow(),
        issuer_name=report.document.issuer if report else None,
        score=report.summary.score if report else None,
        grade=report.summary.grade if report else None,
        counts=dict(report.summary.counts) if report else None,
        report=report.model_dump(mode="json") if report else None,
        error=result.error,
        cells=[TableCell(**cell.model_dump()) for cell in result.cells],
    )
    with session.begin_nested():
        submission.versions.append(version)
        session.flush()
    return version


# Notices


@dataclass
class NoticeDefaults:
    """What the notice form starts with: the values of the last notice issued (the deadline as
    days after the notice's date)."""

    number: str = ""
    from_organ: str = ""
    min_severity: Severity = "major"
    deadline_days: int = 15


_DEFAULTS = "notice."


def notice_defaults(session: Session) -> NoticeDefaults:
    """The notice form's remembered values (the shipped ones before any notice)."""
    stored = {
        s.key.removeprefix(_DEFAULTS): s.value
        for s in session.scalars(select(Setting).where(Setting.key.startswith(_DEFAULTS)))
    }
    defaults = NoticeDefaults()
    return NoticeDefaults(
        number=stored.get("number", defaults.number),
        from_organ=stored.get("from_organ", defaults.from_organ),
        min_severity=stored.get("min_severity", defaults.min_severity),  # type: ignore[arg-type]  # as stored
        deadline_days=int(stored.get("deadline_days", defaults.deadline_days)),
    )


def issue_notice(
    session: Session,
    submission_id: int,
    number: str,
    date: dt.date,
    deadline: dt.date,
    from_organ: str,
    to_organ: str,
    min_severity: Severity = "major",
    issued_at: dt.datetime | None = None,
) -> Notice:
    """Record a correction notice about the submission, and remember its values for the next."""
    submission = session.get_one(Submission, submission_id)
    notice = Notice(
        number=number,
        date=date,
        deadline=deadline,
        from_organ=from_organ,
        to_organ=to_organ,
        min_severity=min_severity,
        issued_at=issued_at or utcnow(),
    )
    submission.notices.append(notice)
    remembered = {
        "number": number,
        "from_organ": from_organ,
        "min_severity": min_severity,
        "deadline_days": str((deadline - date).days),
    }
    for key, value in remembered.items():
        session.merge(Setting(key=_DEFAULTS + key, value=value))
    session.flush()
    return notice


# Versions compared, and the status


@dataclass
class VersionChanges:
    """The previous version's findings the current one no longer has (``fixed``), those it still
    has (``remaining``, as the current version states them) and those it adds (``new``)."""

    fixed: list[dict[str, Any]] = field(default_factory=list)
    remaining: list[dict[str, Any]] = field(default_factory=list)
    new: list[dict[str, Any]] = field(default_factory=list)


_LINE_REFERENCE = re.compile(r"第\d+行|@\d+")


def _finding_key(finding: dict[str, Any]) -> tuple[str, str]:
    """A finding as it stays across versions: its rule and its excerpt (else its message), spaces
    and line references dropped — offsets and lines move when the text above changes."""
    said = finding.get("excerpt") or finding.get("message") or ""
    return finding["rule"], _SPACES.sub("", _LINE_REFERENCE.sub("", said))


def version_changes(previous: Version, current: Version) -> VersionChanges:
    """``current``'s findings against ``previous``'s: fixed, remaining and new."""
    left = Counter(_finding_key(f) for f in previous.findings)
    changes = VersionChanges()
    for finding in current.findings:
        key = _finding_key(finding)
        if left[key] > 0:
            left[key] -= 1
            changes.remaining.append(finding)
        else:
            changes.new.append(finding)
    for finding in previous.findings:
        key = _finding_key(finding)
        if left[key] > 0:
            left[key] -= 1
            changes.fixed.append(finding)
    return changes


def corrected(version: Version, min_severity: Severity) -> bool:
    """Whether a version was checked and has no finding at or above ``min_severity``."""
    return version.report is not None and not any(reaches(f["severity"], min_severity) for f in version.findings)


def status(submission: Submission, today: dt.date) -> str:
    """待审查, 已通知整改, 已整改 or 逾期未改 (the rule: the module's docstring)."""
    if not submission.notices:
        return PENDING
    notice = submission.notices[-1]
    after = [v for v in submission.versions if v.uploaded_at > notice.issued_at]
    if after and corrected(after[-1], notice.min_severity):  # type: ignore[arg-type]  # stored from Severity
        return CORRECTED
    return OVERDUE if today > notice.deadline else NOTIFIED


# The lists and the dashboard


@dataclass
class SubmissionRow:
    """A submission as the list shows it: its issuer, year, latest version and status."""

    submission_id: int
    issuer_id: int
    issuer: str
    year: int | None
    versions: int
    version_id: int | None
    filename: str
    uploaded_at: dt.datetime | None
    score: int | None
    grade: str
    counts: dict[str, int]
    rules: list[str]
    error: str | None
    status: str
    notice: str | None  # the latest notice's 发文字号
    deadline: dt.date | None


def submissions(session: Session) -> list[Submission]:
    """Every submission with its issuer, versions and notices, by issuer name and year."""
    query = (
        select(Submission)
        .join(Submission.issuer)
        .options(selectinload(Submission.issuer), selectinload(Submission.versions), selectinload(Submission.notices))
        .order_by(Issuer.name, Submission.year)
    )
    return list(session.scalars(query))


def _row(submission: Submission, today: dt.date) -> SubmissionRow:
    latest, notice = submission.latest, submission.notices[-1] if submission.notices else None
    return SubmissionRow(
        submission_id=submission.id,
        issuer_id=submission.issuer_id,
        issuer=submission.issuer.name,
        year=submission.year,
        versions=len(submission.versions),
        version_id=latest.id if latest else None,
        filename=latest.filename if latest else "",
        uploaded_at=latest.uploaded_at if latest else None,
        score=latest.score if latest else None,
        grade=(latest.grade or UNCHECKED) if latest else UNCHECKED,
        counts=dict(latest.counts or {}) if latest else {},
        rules=sorted({f["rule"] for f in latest.findings}) if latest else [],
        error=latest.error if latest else None,
        status=status(submission, today),
        notice=notice.number if notice else None,
        deadline=notice.deadline if notice else None,
    )


def submission_rows(
    session: Session,
    today: dt.date,
    status: str | None = None,
    grade: str | None = None,
    rule: str | None = None,
    issuer: int | None = None,
) -> list[SubmissionRow]:
    """The submissions' rows, those of one status, grade (of the latest version; 无法检查 for one
    that could not be checked), rule broken by the latest version or issuer id when asked."""
    rows = [_row(s, today) for s in submissions(session) if issuer is None or s.issuer_id == issuer]
    return [
        row
        for row in rows
        if (status is None or row.status == status)
        and (grade is None or row.grade == grade)
        and (rule is None or rule in row.rules)
    ]


@dataclass
class Dashboard:
    """The figures of the dashboard: submissions by status (every status, in order) and by grade,
    the rules the latest versions break most (rule, submissions), and the overdue rows."""

    total: int
    by_status: dict[str, int]
    by_grade: dict[str, int]
    top_rules: list[tuple[str, int]]
    overdue: list[SubmissionRow]


def dashboard(session: Session, today: dt.date, top: int = 10) -> Dashboard:
    """The dashboard as of ``today``."""
    rows = submission_rows(session, today)
    statuses = Counter(row.status for row in rows)
    rules = Counter(rule for row in rows for rule in row.rules)
    return Dashboard(
        total=len(rows),
        by_status={name: statuses[name] for name in STATUSES},
        by_grade=dict(sorted(Counter(row.grade for row in rows).items())),
        top_rules=sorted(rules.items(), key=lambda item: (-item[1], item[0]))[:top],
        overdue=[row for row in rows if row.status == OVERDUE],
    )


# Users

_HASHER = PasswordHasher()


def has_users(session: Session) -> bool:
    """Whether anyone may sign in (another address than 127.0.0.1 needs it)."""
    return session.scalars(select(User.id).limit(1)).first() is not None


def add_user(session: Session, name: str, password: str) -> User:
    """A new user with the argon2 hash of the password (ValueError: the name is taken, or empty)."""
    if not name.strip() or not password:
        raise ValueError("用户名和密码不能为空")
    if session.scalars(select(User).where(User.name == name)).first():
        raise ValueError(f"用户“{name}”已存在")
    user = User(name=name, password_hash=_HASHER.hash(password))
    session.add(user)
    session.flush()
    return user


def verify_user(session: Session, name: str, password: str) -> User | None:
    """The user when the password is theirs, else None."""
    user = session.scalars(select(User).where(User.name == name)).first()
    if user is None:
        _HASHER.hash(password)  # as slow as a wrong password: the time says nothing about the name
        return None
    try:
        _HASHER.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return user
