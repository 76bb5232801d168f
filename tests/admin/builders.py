"""Leads as the delivery engine leaves them, built straight in the database."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from core.extensions import db
from core.models import utcnow
from leads.models import ConsentRecord, Delivery, Dispatch, Lead
from tests import factories


def lead_with_deliveries(
    *,
    first_name: str = "Grace",
    last_name: str = "Hopper",
    email: str = "grace@example.com",
    schools: int = 2,
    delivery_status: str = "delivered",
    dispatch_status: str = "sent",
    created_at=None,
    placement: bool = False,
) -> Lead:
    """A lead sent to `schools` schools, one school_email dispatch per delivery."""
    category = factories.category()
    made = [factories.school() for _ in range(schools)]
    programs = [factories.program(school, category) for school in made]
    flight = factories.placement(made[0], category) if placement else None
    text = "I agree that %s may contact me." % ", ".join(school.name for school in made)
    lead = Lead(
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone="+13125550100",
        zip_code="60601",
        ip="203.0.113.9",
        user_agent="Mozilla/5.0 (test)",
        education_level="high_school",
        graduation_year=2015,
        program_id=programs[0].id,
        placement_id=flight.id if flight else None,
        page_url="http://prospectus.test/careers/testers",
        created_at=created_at or utcnow(),
    )
    db.session.add(lead)
    db.session.flush()
    db.session.add(
        ConsentRecord(
            lead_id=lead.id,
            version="2025-01",
            text=text,
            text_sha256=hashlib.sha256(text.encode()).hexdigest(),
            school_ids=[school.id for school in made],
            school_names=[school.name for school in made],
            ip=lead.ip,
            user_agent=lead.user_agent,
            page_url=lead.page_url,
        )
    )
    for school, program in zip(made, programs, strict=True):
        delivery = Delivery(
            lead_id=lead.id,
            school_id=school.id,
            program_id=program.id,
            placement_id=flight.id if flight and school is made[0] else None,
            price_cents=2500 if flight and school is made[0] else 0,
            billable=bool(flight and school is made[0]),
            status=delivery_status,
            delivered_at=utcnow() if delivery_status == "delivered" else None,
        )
        db.session.add(delivery)
        db.session.flush()
        db.session.add(
            Dispatch(
                kind="school_email",
                lead_id=lead.id,
                delivery_id=delivery.id,
                status=dispatch_status,
                attempts=8 if dispatch_status == "dead" else 1,
                last_error="SMTP 451: try again later" if dispatch_status in ("dead", "failed") else None,
                next_attempt_at=utcnow() + timedelta(minutes=5),
                sent_at=utcnow() if dispatch_status == "sent" else None,
            )
        )
    db.session.commit()
    return lead
