"""The workspace's tables (SQLAlchemy 2 declarative models; the migrations under ``migrations/``
create them).

An issuer has submissions, one a year; a submission has versions (each draft uploaded for it, its
check and its table cells) and the correction notices sent about it. Times are naive UTC (SQLite
keeps no time zone); a draft's bytes are in the draft store under its sha256, never under its
file name, which is only shown."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar, Literal

from sqlalchemy import JSON, ForeignKey, MetaData, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

CellState = Literal["value", "blank", "na", "invalid"]

# Constraint names are given so that migrations can name them on every database.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """Now, naive UTC: how every time is stored."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, str: String(200)}


class Issuer(Base):
    """An organ whose reports are submitted: its name as last reported, and the key it is found by
    (the fullest name seen, spaces removed; "?" and the file's sha256 for a draft naming none)."""

    __tablename__ = "issuer"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(unique=True)
    name: Mapped[str]
    submissions: Mapped[list[Submission]] = relationship(back_populates="issuer", order_by="Submission.year")


class Submission(Base):
    """An issuer's report of one year (None: the draft gives none), in all its versions."""

    __tablename__ = "submission"
    __table_args__ = (UniqueConstraint("issuer_id", "year", name="uq_submission_issuer_year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    issuer_id: Mapped[int] = mapped_column(ForeignKey("issuer.id", ondelete="CASCADE"), index=True)
    year: Mapped[int | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    issuer: Mapped[Issuer] = relationship(back_populates="submissions")
    versions: Mapped[list[Version]] = relationship(
        back_populates="submission", order_by="Version.number", cascade="all, delete-orphan"
    )
    notices: Mapped[list[Notice]] = relationship(
        back_populates="submission", order_by="Notice.issued_at", cascade="all, delete-orphan"
    )

    @property
    def latest(self) -> Version | None:
        return self.versions[-1] if self.versions else None


class Version(Base):
    """One draft uploaded for a submission (numbered 1, 2 … in upload order) and its check: the
    grade, the counts and the whole report as JSON, or the reason it could not be checked."""

    __tablename__ = "version"
    __table_args__ = (
        UniqueConstraint("submission_id", "number", name="uq_version_submission_number"),
        UniqueConstraint("submission_id", "sha256", name="uq_version_submission_sha256"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(500))  # as uploaded: shown, never a path
    format: Mapped[str | None] = mapped_column(String(10))
    uploaded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    issuer_name: Mapped[str | None]  # as this draft names it
    score: Mapped[int | None]
    grade: Mapped[str | None] = mapped_column(String(10))
    counts: Mapped[dict[str, Any] | None]
    report: Mapped[dict[str, Any] | None]  # Report.model_dump(mode="json")
    error: Mapped[str | None] = mapped_column(Text)
    submission: Mapped[Submission] = relationship(back_populates="versions")
    cells: Mapped[list[TableCell]] = relationship(back_populates="version", cascade="all, delete-orphan")

    @property
    def findings(self) -> list[dict[str, Any]]:
        return list(self.report["findings"]) if self.report else []


class Notice(Base):
    """A correction notice sent about a submission: 发文字号, date, the deadline for a corrected
    version, the organs, and the least severity a correction must clear."""

    __tablename__ = "notice"
    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"), index=True)
    number: Mapped[str]
    date: Mapped[dt.date]
    deadline: Mapped[dt.date]
    from_organ: Mapped[str]
    to_organ: Mapped[str]
    min_severity: Mapped[str] = mapped_column(String(10))
    issued_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    submission: Mapped[Submission] = relationship(back_populates="notices")


class TableCell(Base):
    """A cell of 表二/表三/表四 of a version: row and column by key and label; ``state`` value (a
    number in ``value``), blank (left empty), na (a mark for not applicable: "/", "—", "无") or
    invalid (text that is no count: negative, a fraction, words) — a blank is never 0."""

    __tablename__ = "table_cell"
    __table_args__ = (
        UniqueConstraint("version_id", "table", "row_key", "column_key", name="uq_table_cell_version_place"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("version.id", ondelete="CASCADE"), index=True)
    table: Mapped[str] = mapped_column(String(10))
    row_key: Mapped[str] = mapped_column(String(60))
    row_label: Mapped[str] = mapped_column(Text)
    column_key: Mapped[str] = mapped_column(String(60))
    column_label: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10))
    value: Mapped[Decimal | None] = mapped_column(Numeric(20, 4))
    text: Mapped[str] = mapped_column(Text)
    version: Mapped[Version] = relationship(back_populates="cells")


class User(Base):
    """A reviewer who may sign in: the name and the argon2 hash of the password."""

    __tablename__ = "user_account"  # "user" is reserved in PostgreSQL
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Setting(Base):
    """A value the workspace remembers (the notice form's last organs and 发文字号 …), by key."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


__all__ = ["Base", "CellState", "Issuer", "Notice", "Setting", "Submission", "TableCell", "User", "Version", "utcnow"]
