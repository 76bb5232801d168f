"""Sending one dispatch: claim the row with a lease, send, mark the outcome.

The claim is one conditional UPDATE: a row is taken only when it is pending, or failed and
due, or sending with an expired lease (its worker died). Whoever does not win the claim does
nothing, so a task delivered twice, or enqueued by two relays, never sends twice. A message is
sent again only when a worker died between the send and the mark — and then it carries the
same Message-ID / Idempotency-Key, derived from the row's idempotency key.
"""

from __future__ import annotations

import logging
import random
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload, raiseload, selectinload

from core.extensions import db
from core.models import utcnow
from leads.delivery_state import SCHOOL_CHANNELS, mark_delivered, refresh_delivery
from leads.models import Delivery, Dispatch, DispatchKind, DispatchStatus, Lead, LeadStatus
from listings.models import Program

log = logging.getLogger(__name__)

DEFAULT_LEASE_SECONDS = 120
JITTER = 0.1  # ±10% on each retry delay, so a burst of failures does not retry in lockstep


class PermanentFailure(Exception):
    """The receiver refused the message for good (e.g. a webhook's 4xx): no retry."""


def lease_seconds() -> int:
    return int(current_app.config.get("DISPATCH_LEASE_SECONDS", DEFAULT_LEASE_SECONDS))


def max_attempts() -> int:
    """The first try plus one per delay of RETRY_SCHEDULE."""
    return len(current_app.config["RETRY_SCHEDULE"]) + 1


def next_attempt_at(attempt: int, now: datetime, rng: random.Random | None = None) -> datetime:
    """When to try again after failed attempt number `attempt` (1-based)."""
    schedule = current_app.config["RETRY_SCHEDULE"]
    delay = schedule[min(attempt, len(schedule)) - 1]
    factor = 1 + (rng or random).uniform(-JITTER, JITTER)
    return now + timedelta(seconds=delay * factor)


def claimable(now: datetime):
    """The rows a worker may take now (also what the relay looks for)."""
    return sa.or_(
        Dispatch.status == DispatchStatus.PENDING,
        sa.and_(Dispatch.status == DispatchStatus.FAILED, Dispatch.next_attempt_at <= now),
        sa.and_(Dispatch.status == DispatchStatus.SENDING, Dispatch.lease_until < now),
    )


def _take(dispatch_id: int) -> tuple[int, str] | None:
    """The claim's conditional UPDATE, in the caller's transaction: (attempt, kind) or None."""
    now = utcnow()
    row = db.session.execute(
        sa.update(Dispatch)
        .where(Dispatch.id == dispatch_id, claimable(now))
        .values(
            status=DispatchStatus.SENDING,
            lease_until=now + timedelta(seconds=lease_seconds()),
            attempts=Dispatch.attempts + 1,
            updated_at=now,
        )
        .returning(Dispatch.attempts, Dispatch.kind)
    ).first()
    return (row.attempts, row.kind) if row else None


def claim(dispatch_id: int) -> int | None:
    """Take the row for this worker; returns the attempt number, or None when not claimable."""
    taken = _take(dispatch_id)
    db.session.commit()
    return taken[0] if taken else None


def claim_for_sending(dispatch_id: int) -> tuple[int, Dispatch] | None:
    """Claim the row and load what its message shows, in one transaction; None when not
    claimable. The dispatch comes back detached, readable with no transaction open."""
    taken = _take(dispatch_id)
    if taken is None:
        db.session.rollback()
        return None
    dispatch = load_for_sending(dispatch_id, taken[1])
    db.session.expunge_all()  # so the commit does not expire what was just loaded
    db.session.commit()
    return taken[0], dispatch


def _message_options(kind: str) -> tuple:
    """What each kind of message shows, loaded with it; anything else fails loudly."""
    if kind == DispatchKind.READER_RECEIPT:
        return (
            joinedload(Dispatch.lead).options(
                selectinload(Lead.deliveries).options(
                    joinedload(Delivery.school), joinedload(Delivery.program), raiseload("*")
                ),
                raiseload("*"),
            ),
            raiseload("*"),
        )
    return (
        joinedload(Dispatch.lead).options(joinedload(Lead.consent), raiseload("*")),
        joinedload(Dispatch.delivery).options(
            joinedload(Delivery.school),
            joinedload(Delivery.program).options(joinedload(Program.campus), joinedload(Program.category), raiseload("*")),
            raiseload("*"),
        ),
        raiseload("*"),
    )


def load_for_sending(dispatch_id: int, kind: str | None = None) -> Dispatch:
    """The dispatch with everything its message shows, in one statement (two for a receipt)."""
    if kind is None:
        kind = db.session.scalar(sa.select(Dispatch.kind).where(Dispatch.id == dispatch_id))
    return (
        db.session.scalars(sa.select(Dispatch).where(Dispatch.id == dispatch_id).options(*_message_options(kind)))
        .unique()
        .one()
    )


def _finish(dispatch_id: int, attempt: int, **values):
    """Record an outcome, only if this worker still holds the row (same attempt); returns the
    row's (delivery_id, kind), or None when another worker has taken it over."""
    values.setdefault("updated_at", utcnow())
    return db.session.execute(
        sa.update(Dispatch)
        .where(Dispatch.id == dispatch_id, Dispatch.status == DispatchStatus.SENDING, Dispatch.attempts == attempt)
        .values(lease_until=None, **values)
        .returning(Dispatch.delivery_id, Dispatch.kind)
    ).first()


def _settle(dispatch_id: int, attempt: int, **values) -> None:
    finished = _finish(dispatch_id, attempt, **values)
    if finished and finished.delivery_id is not None:
        refresh_delivery(db.session, finished.delivery_id)
    db.session.commit()


def mark_sent(dispatch_id: int, attempt: int) -> None:
    """Sent: and a school channel's delivery is delivered — one conditional UPDATE, since a
    sent channel is all it takes (leads/delivery_state.py decides the other outcomes)."""
    now = utcnow()
    finished = _finish(dispatch_id, attempt, status=DispatchStatus.SENT, sent_at=now, last_error=None)
    if finished and finished.delivery_id is not None and finished.kind in SCHOOL_CHANNELS:
        mark_delivered(db.session, finished.delivery_id, now)
    db.session.commit()


def mark_cancelled(dispatch_id: int, attempt: int, reason: str) -> None:
    _settle(dispatch_id, attempt, status=DispatchStatus.CANCELLED, last_error=reason)


def mark_rejected(dispatch_id: int, attempt: int, error: str) -> None:
    _settle(dispatch_id, attempt, status=DispatchStatus.REJECTED, last_error=error[:2000])


def mark_failed(dispatch_id: int, attempt: int, error: str) -> str:
    """A failed try: retry later per RETRY_SCHEDULE, or dead after the last one."""
    now = utcnow()
    if attempt >= max_attempts():
        _settle(dispatch_id, attempt, status=DispatchStatus.DEAD, last_error=error[:2000])
        return DispatchStatus.DEAD
    _settle(
        dispatch_id,
        attempt,
        status=DispatchStatus.FAILED,
        next_attempt_at=next_attempt_at(attempt, now),
        last_error=error[:2000],
    )
    return DispatchStatus.FAILED


def _describe(error: Exception) -> str:
    # Class and message only: never the message body, which holds personal data.
    return f"{type(error).__name__}: {error}"[:2000]


def run_dispatch(dispatch_id: int) -> str:
    """Claim, send and record one dispatch; returns what happened (for logs and tests)."""
    from leads.senders import send

    claimed = claim_for_sending(dispatch_id)
    if claimed is None:
        return "not claimed"
    attempt, dispatch = claimed
    if dispatch.lead.status != LeadStatus.ACTIVE and dispatch.kind != DispatchKind.WITHDRAWAL_NOTICE:
        mark_cancelled(dispatch_id, attempt, "the reader withdrew consent before it was sent")
        return DispatchStatus.CANCELLED
    try:
        send(dispatch)
    except PermanentFailure as error:
        log.warning("dispatch %s rejected: %s", dispatch_id, error)
        mark_rejected(dispatch_id, attempt, _describe(error))
        return DispatchStatus.REJECTED
    except Exception as error:
        outcome = mark_failed(dispatch_id, attempt, _describe(error))
        log.warning("dispatch %s attempt %s failed (%s): %s", dispatch_id, attempt, outcome, type(error).__name__)
        return outcome
    mark_sent(dispatch_id, attempt)
    return DispatchStatus.SENT
