"""The workspace's users as ``compliance users`` lists and removes them (added by records.add_user)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from compliance.workspace.data.schema import User


def names(session: Session) -> list[str]:
    return list(session.scalars(select(User.name).order_by(User.name)))


def exists(session: Session, name: str) -> bool:
    return session.scalars(select(User.id).where(User.name == name)).first() is not None


def remove(session: Session, name: str) -> bool:
    """Whether there was a user of that name (now removed)."""
    user = session.scalars(select(User).where(User.name == name)).first()
    if user is not None:
        session.delete(user)
    return user is not None
