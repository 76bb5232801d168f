"""Accepting a lead: ONE transaction stores the lead, its consent proof, a delivery per
chosen school and the dispatches to send; the ids go to the workers only after the commit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from core.extensions import db
from core.models import utcnow
from leads.billing import sell
from leads.consent import CONSENT_VERSION, consent_sha256, consent_text
from leads.handoff import hand_off
from leads.identity import email_hash, phone_hash
from leads.models import Channel, ConsentRecord, Delivery, DeliveryStatus, Dispatch, DispatchKind, Lead
from leads.suppression import is_suppressed
from listings.models import Article, Program, School

DUPLICATE_WINDOW = timedelta(days=30)


@dataclass
class LeadRequest:
    """A validated request, ready to store (see leads/forms.py for the rules)."""

    first_name: str
    last_name: str
    email: str
    phone: str
    zip_code: str
    education_level: str
    graduation_year: int
    programs: list[Program]
    start_timeframe: str | None = None
    military_affiliation: str | None = None
    placement_id: int | None = None  # from the signed token of the sponsored item followed
    article_slug: str | None = None  # the career article the reader came from
    page_url: str | None = None
    referrer: str | None = None
    utm: dict[str, str] = field(default_factory=dict)
    ip: str | None = None
    user_agent: str | None = None


def one_program_per_school(programs: list[Program]) -> list[Program]:
    """A school gets one delivery per lead: the first of its programs the reader ticked."""
    seen: set[int] = set()
    kept = []
    for program in programs:
        if program.school_id not in seen:
            seen.add(program.school_id)
            kept.append(program)
    return kept


def _lock_person(session: Session, hashes: list[str]) -> None:
    """Serialise concurrent requests of one person so de-duplication cannot race. SQLite's
    IMMEDIATE transaction already serialises every writer; PostgreSQL takes advisory locks."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for value in sorted(h for h in hashes if h):
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext(value))))


def _recently_served_schools(session: Session, hashes: list[str], school_ids: list[int]) -> set[int]:
    """Schools that got a request from this person in the last 30 days.

    The person's leads are found by e-mail OR phone as a UNION of two index lookups, rather
    than one OR across two columns, so the plan stays an index lookup however the planner
    guesses; their deliveries then come from the (lead_id, school_id) unique index."""
    email, phone = hashes
    person_leads = sa.union(
        *(sa.select(Lead.id).where(column == value) for column, value in ((Lead.email_hash, email), (Lead.phone_hash, phone)) if value)
    ).subquery()
    rows = session.scalars(
        sa.select(Delivery.school_id).where(
            Delivery.lead_id.in_(sa.select(person_leads.c.id)),
            Delivery.school_id.in_(school_ids),
            Delivery.created_at >= utcnow() - DUPLICATE_WINDOW,
            Delivery.status.not_in([DeliveryStatus.SUPPRESSED, DeliveryStatus.CANCELLED]),
        )
    )
    return set(rows)


def _article_id(session: Session, slug: str | None) -> int | None:
    return session.scalar(sa.select(Article.id).where(Article.slug == slug)) if slug else None


def _truncate(value: str | None, limit: int) -> str | None:
    return value[:limit] if value else None


def store_lead(session: Session, request: LeadRequest) -> tuple[Lead, list[int]]:
    """Add the lead and everything that goes with it to `session` (not committed); returns the
    lead and the ids of the dispatches to hand off once committed."""
    programs = one_program_per_school(request.programs)
    schools = {s.id: s for s in session.scalars(sa.select(School).where(School.id.in_([p.school_id for p in programs])))}
    hashes = [email_hash(request.email), phone_hash(request.phone)]
    _lock_person(session, hashes)
    suppressed = is_suppressed(session, hashes)
    already_served = set() if suppressed else _recently_served_schools(session, hashes, list(schools))

    lead = Lead(
        first_name=request.first_name,
        last_name=request.last_name,
        email=request.email,
        phone=request.phone,
        zip_code=request.zip_code,
        email_hash=hashes[0],
        phone_hash=hashes[1],
        education_level=request.education_level,
        graduation_year=request.graduation_year,
        start_timeframe=request.start_timeframe,
        military_affiliation=request.military_affiliation,
        program_id=programs[0].id,
        article_id=_article_id(session, request.article_slug),
        placement_id=request.placement_id,
        page_url=_truncate(request.page_url, 1000),
        referrer=_truncate(request.referrer, 1000),
        ip=request.ip,
        user_agent=_truncate(request.user_agent, 500),
        **{f"utm_{key}": _truncate(request.utm.get(key), 200) for key in ("source", "medium", "campaign", "term", "content")},
    )
    names = [schools[p.school_id].name for p in programs]
    text = consent_text(names)
    lead.consent = ConsentRecord(
        version=CONSENT_VERSION,
        text=text,
        text_sha256=consent_sha256(text),
        school_ids=[p.school_id for p in programs],
        school_names=names,
        ip=request.ip,
        user_agent=_truncate(request.user_agent, 500),
        page_url=_truncate(request.page_url, 1000),
    )
    session.add(lead)

    dispatches: list[Dispatch] = []
    # Rows are added as they are decided and flushed once at the end: pricing one school's
    # lead must not flush (and later update) the rows of the one before.
    with session.no_autoflush:
        for program in programs:
            school = schools[program.school_id]
            delivery = Delivery(lead=lead, school_id=school.id, program_id=program.id)
            session.add(delivery)
            if suppressed:
                delivery.status = DeliveryStatus.SUPPRESSED
            elif school.id in already_served:
                delivery.status = DeliveryStatus.DUPLICATE
            else:
                sale = sell(session, program, request.placement_id)
                delivery.placement_id = sale.placement_id
                delivery.price_cents = sale.price_cents
                delivery.billable = sale.billable
                dispatches.append(Dispatch(kind=DispatchKind.SCHOOL_EMAIL, lead=lead, delivery=delivery))
                if school.webhook_url:
                    dispatches.append(
                        Dispatch(kind=DispatchKind.SCHOOL_WEBHOOK, channel=Channel.WEBHOOK, lead=lead, delivery=delivery)
                    )
                session.add_all(dispatches)
    if not suppressed:
        # The reader is told what happened, duplicates included: it reads as a normal confirmation.
        dispatches.append(Dispatch(kind=DispatchKind.READER_RECEIPT, lead=lead))
    session.add_all(dispatches)
    session.flush()
    return lead, [d.id for d in dispatches]


def accept_lead(request: LeadRequest) -> Lead:
    """Store `request` in one transaction, commit, then hand its dispatches to the workers.
    Any failure rolls the whole request back and propagates."""
    try:
        lead, dispatch_ids = store_lead(db.session, request)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    hand_off(dispatch_ids)
    return lead
