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
from leads.delivery_state import refresh_delivery
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


def claim(dispatch_id: int) -> int | None:
    """Take the row for this worker; returns the attempt number, or None when not claimable."""
    now = utcnow()
    attempt = db.session.scalar(
        sa.update(Dispatch)
        .where(Dispatch.id == dispatch_id, claimable(now))
        .values(
            status=DispatchStatus.SENDING,
            lease_until=now + timedelta(seconds=lease_seconds()),
            attempts=Dispatch.attempts + 1,
            updated_at=now,
        )
        .returning(Dispatch.attempts)
    )
    db.session.commit()
    return attempt


def load_for_sending(dispatch_id: int) -> Dispatch:
    """The dispatch with everything a message shows, in one go."""
    return db.session.scalars(
        sa.select(Dispatch)
        .where(Dispatch.id == dispatch_id)
        .options(
            joinedload(Dispatch.lead).options(
                joinedload(Lead.consent),
                selectinload(Lead.deliveries).options(
                    joinedload(Delivery.school), joinedload(Delivery.program), raiseload("*")
                ),
                joinedload(Lead.program).raiseload("*"),
                raiseload("*"),
            ),
            joinedload(Dispatch.delivery).options(
                joinedload(Delivery.school),
                joinedload(Delivery.program).options(
                    joinedload(Program.campus), joinedload(Program.category), raiseload("*")
                ),
                raiseload("*"),
            ),
            raiseload("*"),
        )
    ).unique().one()


def _finish(dispatch_id: int, attempt: int, **values) -> bool:
    """Record an outcome, only if this worker still holds the row (same attempt)."""
    values.setdefault("updated_at", utcnow())
    result = db.session.execute(
        sa.update(Dispatch)
        .where(Dispatch.id == dispatch_id, Dispatch.status == DispatchStatus.SENDING, Dispatch.attempts == attempt)
        .values(lease_until=None, **values)
    )
    return result.rowcount == 1


def _settle(dispatch_id: int, attempt: int, **values) -> None:
    delivery_id = db.session.scalar(sa.select(Dispatch.delivery_id).where(Dispatch.id == dispatch_id))
    if _finish(dispatch_id, attempt, **values) and delivery_id is not None:
        refresh_delivery(db.session, delivery_id)
    db.session.commit()


def mark_sent(dispatch_id: int, attempt: int) -> None:
    _settle(dispatch_id, attempt, status=DispatchStatus.SENT, sent_at=utcnow(), last_error=None)


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

    attempt = claim(dispatch_id)
    if attempt is None:
        return "not claimed"
    dispatch = load_for_sending(dispatch_id)
    if dispatch.lead.status != LeadStatus.ACTIVE and dispatch.kind != DispatchKind.WITHDRAWAL_NOTICE:
        mark_cancelled(dispatch_id, attempt, "the reader withdrew consent before it was sent")
        return DispatchStatus.CANCELLED
    # End the transaction before the network: on SQLite it holds the write lock. close()
    # detaches without expiring, so what was loaded stays readable while sending.
    db.session.close()
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
