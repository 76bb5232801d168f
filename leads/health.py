"""Delivery health for /healthz and the dashboard: how many dispatches wait, and for how long."""

from __future__ import annotations

import sqlalchemy as sa

from core.extensions import db
from core.models import utcnow
from leads.models import Dispatch, DispatchStatus

WAITING = (DispatchStatus.PENDING, DispatchStatus.FAILED, DispatchStatus.SENDING)


def oldest_pending_dispatch() -> dict:
    """Counts of waiting and dead dispatches and the age in seconds of the oldest waiting one."""
    row = db.session.execute(
        sa.select(
            sa.func.count().filter(Dispatch.status.in_(WAITING)),
            # type_ keeps the column's type so SQLite's text result comes back an aware datetime
            sa.func.min(Dispatch.created_at, type_=Dispatch.created_at.type).filter(Dispatch.status.in_(WAITING)),
            sa.func.count().filter(Dispatch.status == DispatchStatus.DEAD),
        )
    ).one()
    waiting, oldest, dead = row
    age = round((utcnow() - oldest).total_seconds(), 1) if oldest else 0.0
    return {"waiting": waiting, "dead": dead, "oldest_pending_age_seconds": age}
