"""Withdrawal and erasure.

A reader's withdrawal (or an operator's erasure on their behalf) cancels what was not sent,
puts the person on the suppression list, erases the personal fields and keeps the consent
proof (text, hash, time, schools); every school that already received the lead is told the
same day by a withdrawal notice. Retention erases old leads' personal fields only.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session, joinedload, raiseload, selectinload

from core.extensions import db
from core.models import utcnow
from leads.billing import give_back
from leads.errors import ActionRefused
from leads.handoff import hand_off
from leads.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Dispatch,
    DispatchKind,
    DispatchStatus,
    Lead,
    LeadStatus,
)
from leads.suppression import suppress

PERSONAL_FIELDS = ("first_name", "last_name", "email", "phone", "zip_code", "ip", "user_agent", "referrer")
CONSENT_PERSONAL_FIELDS = ("ip", "user_agent")
NOT_YET_SENT = (DispatchStatus.PENDING, DispatchStatus.FAILED)
REACHED_SCHOOL = (DispatchStatus.SENT, DispatchStatus.SENDING)


def erase_personal_fields(lead: Lead) -> None:
    """Blank what identifies the person; hashes, consent proof and billing facts stay."""
    for name in PERSONAL_FIELDS:
        setattr(lead, name, None)
    if lead.consent is not None:
        for name in CONSENT_PERSONAL_FIELDS:
            setattr(lead.consent, name, None)
    lead.erased_at = utcnow()


def _load(session: Session, lead_id: int) -> Lead | None:
    return session.scalar(
        sa.select(Lead)
        .where(Lead.id == lead_id)
        .options(
            joinedload(Lead.consent),
            selectinload(Lead.deliveries).options(
                joinedload(Delivery.school).raiseload("*"),
                selectinload(Delivery.dispatches).raiseload("*"),
                raiseload("*"),
            ),
            selectinload(Lead.dispatches).raiseload("*"),
            raiseload("*"),
        )
    )


def withdraw_lead(lead_id: int, *, reason: str) -> Lead:
    """Withdraw consent for a lead (reader or operator), commit, and send the notices."""
    lead = _load(db.session, lead_id)
    if lead is None:
        raise ActionRefused("That request does not exist.")
    if lead.status == LeadStatus.WITHDRAWN:
        raise ActionRefused("Consent for this request was already withdrawn.")
    now = utcnow()
    for dispatch in lead.dispatches:
        if dispatch.status in NOT_YET_SENT:
            dispatch.status = DispatchStatus.CANCELLED
            dispatch.last_error = "cancelled: consent withdrawn"
    notices: list[Dispatch] = []
    for delivery in lead.deliveries:
        reached = any(d.status in REACHED_SCHOOL for d in delivery.dispatches if d.kind != DispatchKind.WITHDRAWAL_NOTICE)
        if reached:
            notices.append(Dispatch(kind=DispatchKind.WITHDRAWAL_NOTICE, lead=lead, delivery=delivery))
            if delivery.school.webhook_url:
                notices.append(Dispatch(kind=DispatchKind.WITHDRAWAL_NOTICE, channel=Channel.WEBHOOK, lead=lead, delivery=delivery))
            db.session.add_all(notices)
        elif delivery.status == DeliveryStatus.PENDING:
            delivery.status = DeliveryStatus.CANCELLED
            give_back(db.session, delivery)
    suppress(db.session, email_hash=lead.email_hash, phone_hash=lead.phone_hash, reason=reason)
    erase_personal_fields(lead)
    lead.status = LeadStatus.WITHDRAWN
    lead.withdrawn_at = now
    db.session.flush()
    notice_ids = [notice.id for notice in notices]
    db.session.commit()
    hand_off(notice_ids)
    return lead


def erase_lead(lead_id: int, *, reason: str) -> Lead:
    """An operator answering a privacy request: the same effect as the reader's withdrawal."""
    return withdraw_lead(lead_id, reason=reason)


def erase_expired_leads(batch_size: int = 500) -> int:
    """Retention: erase personal fields of leads older than LEAD_RETENTION_DAYS; consent
    proof (hash, time, schools) and billing facts stay. Returns how many were erased."""
    cutoff = utcnow() - timedelta(days=current_app.config["LEAD_RETENTION_DAYS"])
    leads = db.session.scalars(
        sa.select(Lead)
        .where(Lead.created_at < cutoff, Lead.erased_at.is_(None))
        .order_by(Lead.id)
        .limit(batch_size)
        .options(joinedload(Lead.consent), raiseload("*"))
    ).all()
    for lead in leads:
        erase_personal_fields(lead)
        if lead.status == LeadStatus.ACTIVE:
            lead.status = LeadStatus.ERASED
    if leads:  # what still waits to be sent has lost its personal data (notices carry none)
        db.session.execute(
            sa.update(Dispatch)
            .where(
                Dispatch.lead_id.in_([lead.id for lead in leads]),
                Dispatch.status.in_(NOT_YET_SENT),
                Dispatch.kind != DispatchKind.WITHDRAWAL_NOTICE,
            )
            .values(status=DispatchStatus.CANCELLED, last_error="cancelled: retention period over")
        )
    db.session.commit()
    return len(leads)

