"""Returns: a school sends a lead back (wrong number, not a real person…). The delivery is
marked returned with the reason, is no longer billable, and gives its reservation back."""

from __future__ import annotations

import sqlalchemy as sa

from core.extensions import db
from core.models import utcnow
from leads.billing import give_back
from leads.errors import ActionRefused
from leads.models import Delivery, DeliveryStatus

MAX_REASON = 500


def mark_delivery_returned(delivery_id: int, reason: str) -> Delivery:
    """Record a school's return of a delivered lead; commits."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ActionRefused("Give the reason the school returned this lead.")
    if len(reason) > MAX_REASON:
        raise ActionRefused(f"Keep the reason under {MAX_REASON} characters.")
    delivery = db.session.scalar(sa.select(Delivery).where(Delivery.id == delivery_id).with_for_update())
    if delivery is None:
        raise ActionRefused("That delivery does not exist.")
    if delivery.status != DeliveryStatus.DELIVERED:
        raise ActionRefused(f"Only a delivered lead can be returned; this one is {delivery.status}.")
    delivery.status = DeliveryStatus.RETURNED
    delivery.return_reason = reason
    delivery.returned_at = utcnow()
    give_back(db.session, delivery)
    db.session.commit()
    return delivery
