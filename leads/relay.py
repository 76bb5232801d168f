"""The relay (run by beat): enqueue every dispatch that is due but not in the broker.

This is what makes the outbox reliable: a lead whose hand-off failed (broker down), a retry
whose time has come, and a row whose worker died (lease expired) are all picked up here.
Enqueueing twice is harmless — the claim in leads/dispatch.py lets only one worker send —
so the relay errs on the side of enqueueing.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from core.extensions import db
from core.models import utcnow
from leads.dispatch import claimable
from leads.handoff import enqueue
from leads.models import Dispatch, DispatchStatus

BATCH_SIZE = 500
# A fresh row is handed off by the web right after its commit; give that a moment before
# the relay assumes the hand-off failed.
HANDOFF_GRACE = timedelta(seconds=5)
# A message enqueued this long ago and still not claimed was lost (a broker restarted
# without persistence, or a killed worker's reserved message, which Redis would give back
# only after its visibility timeout): enqueue it again. Drills shorten it.
DEFAULT_REQUEUE_AFTER_SECONDS = 600


def not_in_broker(now):
    """Due rows that were not enqueued since they became due (or were enqueued long ago)."""
    requeue_after = timedelta(
        seconds=current_app.config.get("RELAY_REQUEUE_AFTER_SECONDS", DEFAULT_REQUEUE_AFTER_SECONDS)
    )
    stale = Dispatch.enqueued_at < now - requeue_after
    return sa.or_(
        sa.and_(
            Dispatch.status == DispatchStatus.PENDING,
            sa.or_(
                sa.and_(Dispatch.enqueued_at.is_(None), Dispatch.created_at <= now - HANDOFF_GRACE),
                stale,
            ),
        ),
        sa.and_(
            Dispatch.status == DispatchStatus.FAILED,
            sa.or_(Dispatch.enqueued_at.is_(None), Dispatch.enqueued_at < Dispatch.next_attempt_at, stale),
        ),
        sa.and_(
            Dispatch.status == DispatchStatus.SENDING,
            sa.or_(Dispatch.enqueued_at.is_(None), Dispatch.enqueued_at < Dispatch.lease_until, stale),
        ),
    )


def relay(batch_size: int = BATCH_SIZE) -> int:
    """Enqueue one batch of due dispatches, oldest first; returns how many were enqueued.

    On PostgreSQL the rows are locked FOR UPDATE SKIP LOCKED while they are published, so
    relays running side by side take different rows."""
    now = utcnow()
    ids = list(
        db.session.scalars(
            sa.select(Dispatch.id)
            .where(claimable(now), not_in_broker(now))
            .order_by(Dispatch.next_attempt_at, Dispatch.id)
            .limit(batch_size)
            .with_for_update(skip_locked=True)
        )
    )
    if not ids:
        db.session.rollback()
        return 0
    accepted = enqueue(ids)
    if accepted:
        db.session.execute(sa.update(Dispatch).where(Dispatch.id.in_(accepted)).values(enqueued_at=utcnow()))
    db.session.commit()
    return len(accepted)


def relay_all(batch_size: int = BATCH_SIZE, max_batches: int = 20) -> int:
    """Relay batch after batch until nothing is due (bounded, so one run cannot go on forever)."""
    total = 0
    for _ in range(max_batches):
        count = relay(batch_size)
        total += count
        if count < batch_size:
            break
    return total
