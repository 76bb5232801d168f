"""Delivery health for the dashboard: how many dispatches wait, failed or gave up, and how
long the oldest one has been waiting — one aggregate statement over the status index
(sent dispatches, the vast majority, are never read)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from core.extensions import db
from core.models import utcnow
from leads.health import WAITING
from leads.models import Dispatch, DispatchStatus

# A dispatch still waiting this long after it was written is stuck: the relay sends due
# ones every ~30 s and a worker sends one in seconds, so it means a worker, the beat or a
# school's server is down (a failed one is being retried, but the school has no lead yet).
STUCK_AFTER = timedelta(minutes=15)
GAVE_UP = (DispatchStatus.DEAD, DispatchStatus.REJECTED)


@dataclass(frozen=True)
class DeliveryHealth:
    pending: int
    sending: int
    failed: int
    dead: int
    rejected: int
    stuck: int  # waiting for longer than STUCK_AFTER
    oldest_waiting_since: datetime | None
    measured_at: datetime

    @property
    def waiting(self) -> int:
        return self.pending + self.sending + self.failed

    @property
    def oldest_waiting_age(self) -> timedelta | None:
        if self.oldest_waiting_since is None:
            return None
        return max(self.measured_at - self.oldest_waiting_since, timedelta(0))

    @property
    def is_stuck(self) -> bool:
        return self.stuck > 0

    @property
    def needs_attention(self) -> bool:
        return self.is_stuck or self.dead > 0 or self.rejected > 0


def delivery_health(now: datetime | None = None) -> DeliveryHealth:
    """The outbox's state at `now` (default: this instant), in one statement."""
    now = now or utcnow()
    waiting = Dispatch.status.in_([status.value for status in WAITING])

    def count(condition):
        return sa.func.count().filter(condition)

    row = db.session.execute(
        sa.select(
            count(Dispatch.status == DispatchStatus.PENDING),
            count(Dispatch.status == DispatchStatus.SENDING),
            count(Dispatch.status == DispatchStatus.FAILED),
            count(Dispatch.status == DispatchStatus.DEAD),
            count(Dispatch.status == DispatchStatus.REJECTED),
            count(sa.and_(waiting, Dispatch.created_at < now - STUCK_AFTER)),
            # type_ keeps the column's type, so SQLite's text comes back an aware datetime
            sa.func.min(Dispatch.created_at, type_=Dispatch.created_at.type).filter(waiting),
        ).where(Dispatch.status.in_([status.value for status in (*WAITING, *GAVE_UP)]))
    ).one()
    pending, sending, failed, dead, rejected, stuck, oldest = row
    return DeliveryHealth(
        pending=pending,
        sending=sending,
        failed=failed,
        dead=dead,
        rejected=rejected,
        stuck=stuck,
        oldest_waiting_since=oldest,
        measured_at=now,
    )


def describe_age(age: timedelta | None) -> str:
    """A waiting time as an operator reads it: "45 s", "12 min", "3 h 5 min", "2 d 4 h"."""
    if age is None:
        return "—"
    seconds = int(age.total_seconds())
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"
