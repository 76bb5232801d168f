"""Delivery state: the one place that turns the outcome of a delivery's messages into the
business fact. A delivery is delivered once any of its school channels (e-mail, webhook) is
sent; it is dead when none was sent and every one failed for good; otherwise it waits."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.models import utcnow
from leads.billing import give_back
from leads.models import Delivery, DeliveryStatus, Dispatch, DispatchKind, DispatchStatus

SCHOOL_CHANNELS = (DispatchKind.SCHOOL_EMAIL, DispatchKind.SCHOOL_WEBHOOK)
FINAL_FAILURES = (DispatchStatus.DEAD, DispatchStatus.REJECTED)
# Only these may still change with their messages; duplicates, suppressed, cancelled and
# returned deliveries are decisions, not outcomes.
OPEN_STATUSES = (DeliveryStatus.PENDING, DeliveryStatus.DEAD, DeliveryStatus.DELIVERED)


def refresh_delivery(session: Session, delivery_id: int) -> str:
    """Recompute a delivery's status from its school channels; returns the new status."""
    delivery = session.scalar(sa.select(Delivery).where(Delivery.id == delivery_id).with_for_update())
    if delivery is None or delivery.status not in OPEN_STATUSES:
        return delivery.status if delivery else ""
    statuses = list(
        session.scalars(
            sa.select(Dispatch.status).where(Dispatch.delivery_id == delivery_id, Dispatch.kind.in_(SCHOOL_CHANNELS))
        )
    )
    if DispatchStatus.SENT in statuses:
        if delivery.status != DeliveryStatus.DELIVERED:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = delivery.delivered_at or utcnow()
    elif statuses and all(status in FINAL_FAILURES for status in statuses):
        if delivery.status != DeliveryStatus.DEAD:
            delivery.status = DeliveryStatus.DEAD
            give_back(session, delivery)  # the school never got it: it does not pay for it
    else:
        delivery.status = DeliveryStatus.PENDING
    return delivery.status


def mark_delivered(session: Session, delivery_id: int, at) -> None:
    """A school channel was sent: the delivery is delivered (unless it was decided otherwise,
    e.g. cancelled or returned), in one conditional UPDATE."""
    session.execute(
        sa.update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.DEAD]))
        .values(status=DeliveryStatus.DELIVERED, delivered_at=sa.func.coalesce(Delivery.delivered_at, at))
    )
