"""The suppression list: people who asked not to be contacted, by keyed hash."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from leads.models import Suppression


def is_suppressed(session: Session, hashes: list[str]) -> bool:
    hashes = [h for h in hashes if h]
    if not hashes:
        return False
    return session.scalar(sa.select(Suppression.id).where(Suppression.value_hash.in_(hashes)).limit(1)) is not None


def suppress(session: Session, *, email_hash: str | None, phone_hash: str | None, reason: str) -> None:
    """Add a person's e-mail and phone hashes to the list (idempotent)."""
    for kind, value in (("email", email_hash), ("phone", phone_hash)):
        if value and not session.scalar(sa.select(Suppression.id).where(Suppression.value_hash == value)):
            session.add(Suppression(value_hash=value, kind=kind, reason=reason[:200]))
