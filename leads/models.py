"""Leads and what became of them: consent proof, deliveries (the business fact
"this lead went to this school"), the dispatch outbox, and the suppression list."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models import utcnow
from listings.models import Placement, Program, School


def new_uuid() -> str:
    return str(uuid.uuid4())


class LeadStatus(enum.StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"  # the reader withdrew consent; personal fields erased
    ERASED = "erased"  # personal fields erased by retention or an operator


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    DUPLICATE = "duplicate"
    SUPPRESSED = "suppressed"
    CANCELLED = "cancelled"
    RETURNED = "returned"
    DEAD = "dead"


class DispatchKind(enum.StrEnum):
    SCHOOL_EMAIL = "school_email"
    SCHOOL_WEBHOOK = "school_webhook"
    READER_RECEIPT = "reader_receipt"
    WITHDRAWAL_NOTICE = "withdrawal_notice"


class Channel(enum.StrEnum):
    EMAIL = "email"
    WEBHOOK = "webhook"


class DispatchStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"  # will be retried at next_attempt_at
    REJECTED = "rejected"  # the receiver refused it for good (e.g. webhook 4xx)
    DEAD = "dead"  # out of retries
    CANCELLED = "cancelled"  # withdrawn before it was sent


class Lead(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(36), unique=True, default=new_uuid)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    status: Mapped[str] = mapped_column(sa.String(20), default=LeadStatus.ACTIVE.value, index=True)

    # Personal fields; erased (set to None) on withdrawal or after LEAD_RETENTION_DAYS.
    first_name: Mapped[str | None] = mapped_column(sa.String(100))
    last_name: Mapped[str | None] = mapped_column(sa.String(100))
    email: Mapped[str | None] = mapped_column(sa.String(254))
    phone: Mapped[str | None] = mapped_column(sa.String(20))  # E.164
    zip_code: Mapped[str | None] = mapped_column(sa.String(5))
    ip: Mapped[str | None] = mapped_column(sa.String(45))
    user_agent: Mapped[str | None] = mapped_column(sa.String(500))
    # Keyed hashes of the normalised e-mail and phone: de-duplication and suppression
    # work on these, so they survive erasure without keeping the address itself.
    email_hash: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    phone_hash: Mapped[str | None] = mapped_column(sa.String(64), index=True)

    education_level: Mapped[str | None] = mapped_column(sa.String(40))
    graduation_year: Mapped[int | None]
    start_timeframe: Mapped[str | None] = mapped_column(sa.String(40))
    military_affiliation: Mapped[str | None] = mapped_column(sa.String(40))

    program_id: Mapped[int | None] = mapped_column(sa.ForeignKey("program.id", ondelete="SET NULL"))
    article_id: Mapped[int | None] = mapped_column(sa.ForeignKey("article.id", ondelete="SET NULL"))
    placement_id: Mapped[int | None] = mapped_column(sa.ForeignKey("placement.id", ondelete="SET NULL"))
    page_url: Mapped[str | None] = mapped_column(sa.String(1000))
    referrer: Mapped[str | None] = mapped_column(sa.String(1000))
    utm_source: Mapped[str | None] = mapped_column(sa.String(200))
    utm_medium: Mapped[str | None] = mapped_column(sa.String(200))
    utm_campaign: Mapped[str | None] = mapped_column(sa.String(200))
    utm_term: Mapped[str | None] = mapped_column(sa.String(200))
    utm_content: Mapped[str | None] = mapped_column(sa.String(200))

    withdrawn_at: Mapped[datetime | None]
    erased_at: Mapped[datetime | None]

    consent: Mapped[ConsentRecord | None] = relationship(back_populates="lead", lazy="raise", uselist=False)
    deliveries: Mapped[list[Delivery]] = relationship(back_populates="lead", lazy="raise", order_by="Delivery.id")
    dispatches: Mapped[list[Dispatch]] = relationship(back_populates="lead", lazy="raise", order_by="Dispatch.id")
    program: Mapped[Program | None] = relationship(lazy="raise")
    placement: Mapped[Placement | None] = relationship(lazy="raise")

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part) or "(erased)"


class ConsentRecord(db.Model):
    """Proof of consent: the exact text shown, built server-side, and its hash."""

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(sa.ForeignKey("lead.id", ondelete="CASCADE"), unique=True)
    version: Mapped[str] = mapped_column(sa.String(20))
    text: Mapped[str] = mapped_column(sa.Text)
    text_sha256: Mapped[str] = mapped_column(sa.String(64))
    school_ids: Mapped[list[int]] = mapped_column(sa.JSON)
    school_names: Mapped[list[str]] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Proof of who gave it; erased with the lead's personal fields.
    ip: Mapped[str | None] = mapped_column(sa.String(45))
    user_agent: Mapped[str | None] = mapped_column(sa.String(500))
    page_url: Mapped[str | None] = mapped_column(sa.String(1000))

    lead: Mapped[Lead] = relationship(back_populates="consent", lazy="raise")


class Delivery(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(sa.ForeignKey("lead.id", ondelete="CASCADE"))
    # school_id, placement_id and created_at lead the two-column indexes below.
    school_id: Mapped[int] = mapped_column(sa.ForeignKey("school.id"))
    program_id: Mapped[int | None] = mapped_column(sa.ForeignKey("program.id", ondelete="SET NULL"), index=True)
    placement_id: Mapped[int | None] = mapped_column(sa.ForeignKey("placement.id", ondelete="SET NULL"))
    price_cents: Mapped[int] = mapped_column(default=0)
    billable: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(sa.String(20), default=DeliveryStatus.PENDING.value, index=True)
    return_reason: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]
    returned_at: Mapped[datetime | None]

    lead: Mapped[Lead] = relationship(back_populates="deliveries", lazy="raise")
    school: Mapped[School] = relationship(lazy="raise")
    program: Mapped[Program | None] = relationship(lazy="raise")
    placement: Mapped[Placement | None] = relationship(lazy="raise")
    dispatches: Mapped[list[Dispatch]] = relationship(back_populates="delivery", lazy="raise")

    __table_args__ = (
        sa.UniqueConstraint("lead_id", "school_id", name="uq_delivery_lead_school"),
        # The reports (admin/reports/): a school's month, a placement's range, days by status.
        sa.Index("ix_delivery_school_created", "school_id", "created_at"),
        sa.Index("ix_delivery_school_returned", "school_id", "returned_at"),
        sa.Index("ix_delivery_placement_created", "placement_id", "created_at"),
        sa.Index("ix_delivery_created_status", "created_at", "status"),
    )


class Dispatch(db.Model):
    """The outbox: one row per message to send. Its idempotency key gives the e-mail
    Message-ID and the webhook Idempotency-Key, so a resend is recognisable."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(30))
    # How it travels. Implied by the kind except for withdrawal notices, which go both ways.
    channel: Mapped[str] = mapped_column(sa.String(10), default=Channel.EMAIL.value)
    lead_id: Mapped[int] = mapped_column(sa.ForeignKey("lead.id", ondelete="CASCADE"), index=True)
    delivery_id: Mapped[int | None] = mapped_column(sa.ForeignKey("delivery.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(sa.String(20), default=DispatchStatus.PENDING.value)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_until: Mapped[datetime | None]
    # When the id was last handed to the broker; the relay re-enqueues only rows that are
    # due and were not enqueued since (leads/relay.py).
    enqueued_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    idempotency_key: Mapped[str] = mapped_column(sa.String(36), unique=True, default=new_uuid)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    sent_at: Mapped[datetime | None]

    lead: Mapped[Lead] = relationship(back_populates="dispatches", lazy="raise")
    delivery: Mapped[Delivery | None] = relationship(back_populates="dispatches", lazy="raise")

    __table_args__ = (
        sa.Index("ix_dispatch_status_next_attempt", "status", "next_attempt_at"),
        # Delivery health (admin/reports/delivery_health.py): the oldest waiting, per status.
        sa.Index("ix_dispatch_status_created", "status", "created_at"),
    )


class Suppression(db.Model):
    """People who asked not to be contacted, by keyed hash of e-mail or phone."""

    id: Mapped[int] = mapped_column(primary_key=True)
    value_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(10))  # email | phone
    reason: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
