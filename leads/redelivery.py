"""Re-delivery by an operator: a failed, rejected or dead dispatch is sent again as the SAME
dispatch — same idempotency key, so the school sees a recognisable resend (same Message-ID /
Idempotency-Key), never a second lead."""

from __future__ import annotations

import sqlalchemy as sa

from core.extensions import db
from core.models import utcnow
from leads.delivery_state import refresh_delivery
from leads.errors import ActionRefused
from leads.handoff import hand_off
from leads.models import Dispatch, DispatchStatus, Lead, LeadStatus

REDELIVERABLE = (DispatchStatus.FAILED, DispatchStatus.REJECTED, DispatchStatus.DEAD)


def redeliver_dispatch(dispatch_id: int) -> Dispatch:
    """Put the dispatch back in the outbox with a fresh set of tries, commit and enqueue it."""
    dispatch = db.session.scalar(sa.select(Dispatch).where(Dispatch.id == dispatch_id).with_for_update())
    if dispatch is None:
        raise ActionRefused("That dispatch does not exist.")
    if dispatch.status not in REDELIVERABLE:
        raise ActionRefused(f"Only a failed, rejected or dead dispatch can be sent again; this one is {dispatch.status}.")
    lead_status = db.session.scalar(sa.select(Lead.status).where(Lead.id == dispatch.lead_id))
    if lead_status != LeadStatus.ACTIVE and dispatch.kind != "withdrawal_notice":
        raise ActionRefused("The reader withdrew consent or the details were erased: this lead cannot be sent.")
    dispatch.status = DispatchStatus.PENDING
    dispatch.attempts = 0
    dispatch.next_attempt_at = utcnow()
    dispatch.lease_until = None
    dispatch.enqueued_at = None
    db.session.flush()
    if dispatch.delivery_id is not None:
        refresh_delivery(db.session, dispatch.delivery_id)
    db.session.commit()
    hand_off([dispatch.id])
    return dispatch
