"""Webhook bodies, signatures and URL safety; withdrawal notices; retention; redelivery."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

import pytest
import sqlalchemy as sa

from core.extensions import db
from core.models import utcnow
from leads.dispatch import load_for_sending
from leads.errors import ActionRefused
from leads.models import ConsentRecord, Delivery, Dispatch, DispatchKind, DispatchStatus, Lead, LeadStatus
from leads.redelivery import redeliver_dispatch
from leads.webhooks import UnsafeWebhookURL, check_webhook_url, payload, sign
from leads.withdrawal import erase_expired_leads, erase_lead
from tests.leads.helpers import form_data, small_catalogue


@pytest.fixture
def lead_with_webhook(app):
    programs = small_catalogue(app, schools=1, webhook_url="http://127.0.0.1:9/hook")
    response = app.test_client().post(f"/request-info?program={programs[0]}", data=form_data(app, programs))
    assert response.status_code == 303
    with app.app_context():
        return db.session.scalars(sa.select(Lead.id)).one()


def test_each_delivery_gets_an_email_and_a_webhook_dispatch(app, lead_with_webhook):
    with app.app_context():
        rows = {(d.kind, d.channel) for d in db.session.scalars(sa.select(Dispatch))}
    assert rows == {("school_email", "email"), ("school_webhook", "webhook"), ("reader_receipt", "email")}


def test_webhook_body_carries_a_version_and_every_lead_field(app, lead_with_webhook):
    with app.app_context():
        hook = db.session.scalars(sa.select(Dispatch).where(Dispatch.kind == DispatchKind.SCHOOL_WEBHOOK)).one()
        body = payload(load_for_sending(hook.id))
    assert body["version"] == 1 and body["event"] == "lead.created"
    assert body["lead"] == {
        "first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com", "phone": "+13125550142",
        "zip_code": "60601", "education_level": "high_school", "graduation_year": 2015,
        "start_timeframe": "1_3_months", "military_affiliation": "none",
    }
    assert body["program"]["name"] == "Medical Coding 0" and body["consent"]["sha256"]


def test_signature_verifies_as_the_readme_shows():
    secret, timestamp, body = "s3cret", 1767225600, b'{"version":1}'
    header = sign(secret, timestamp, body)
    # The receiver's check, as documented in README.md.
    expected = "v1=" + hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(header, expected)


@pytest.mark.parametrize("url", ["http://example.com/hook", "https://127.0.0.1/hook", "https://10.0.0.8/x",
                                 "https://169.254.169.254/latest", "https://[::1]/x", "ftp://example.com/", "https://"])
def test_production_refuses_unsafe_webhook_targets(app, url):
    with app.app_context(), pytest.raises(UnsafeWebhookURL):
        check_webhook_url(url, production=True)


def test_development_allows_local_http_targets(app):
    with app.app_context():
        check_webhook_url("http://127.0.0.1:8080/hook", production=False)
        with pytest.raises(UnsafeWebhookURL):
            check_webhook_url("javascript:alert(1)", production=False)


def test_withdrawal_notices_go_by_email_and_webhook_to_schools_already_served(app, lead_with_webhook):
    with app.app_context():
        db.session.execute(sa.update(Dispatch).where(Dispatch.kind != DispatchKind.READER_RECEIPT).values(status=DispatchStatus.SENT))
        db.session.execute(sa.update(Delivery).values(status="delivered"))
        db.session.commit()
        erase_lead(lead_with_webhook, reason="privacy request by e-mail")
        notices = db.session.scalars(sa.select(Dispatch).where(Dispatch.kind == DispatchKind.WITHDRAWAL_NOTICE)).all()
        assert sorted(n.channel for n in notices) == ["email", "webhook"]
        assert all(n.status == "pending" and n.enqueued_at is not None for n in notices)  # handed off today
        body = payload(load_for_sending([n for n in notices if n.channel == "webhook"][0].id))
        assert body["event"] == "lead.consent_withdrawn" and "lead" not in body
        with pytest.raises(ActionRefused):
            erase_lead(lead_with_webhook, reason="again")


def test_retention_erases_old_personal_fields_but_keeps_proof_and_billing(app, lead_with_webhook):
    with app.app_context():
        lead = db.session.get(Lead, lead_with_webhook)
        lead.created_at = utcnow() - timedelta(days=app.config["LEAD_RETENTION_DAYS"] + 1)
        db.session.commit()
        assert erase_expired_leads() == 1
        assert erase_expired_leads() == 0
        lead = db.session.get(Lead, lead_with_webhook)
        assert (lead.first_name, lead.email, lead.phone, lead.ip) == (None, None, None, None)
        assert lead.status == LeadStatus.ERASED and lead.email_hash
        consent = db.session.scalars(sa.select(ConsentRecord)).one()
        assert consent.text_sha256 and consent.school_names and consent.ip is None
        delivery = db.session.scalars(sa.select(Delivery)).one()
        assert delivery.school_id and delivery.created_at  # the billing facts stay
        assert {d.status for d in db.session.scalars(sa.select(Dispatch))} == {"cancelled"}


def test_redelivery_resends_the_same_dispatch(app, lead_with_webhook):
    with app.app_context():
        email = db.session.scalars(sa.select(Dispatch).where(Dispatch.kind == DispatchKind.SCHOOL_EMAIL)).one()
        key = email.idempotency_key
        with pytest.raises(ActionRefused, match="Only a failed"):
            redeliver_dispatch(email.id)
        email.status, email.attempts = DispatchStatus.DEAD, 9
        db.session.get(Delivery, email.delivery_id).status = "dead"
        db.session.commit()
        again = redeliver_dispatch(email.id)
        assert (again.status, again.attempts, again.idempotency_key) == ("pending", 0, key)
        assert db.session.get(Delivery, email.delivery_id).status == "pending"
