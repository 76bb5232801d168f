"""The outbox: claims, retries, dead letters, resends and the relay — against a real SMTP sink."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
import sqlalchemy as sa

from core.extensions import db
from core.models import utcnow
from leads.dispatch import claim, max_attempts, next_attempt_at, run_dispatch
from leads.models import Delivery, DeliveryStatus, Dispatch, DispatchKind, DispatchStatus
from leads.relay import relay
from tests.leads.helpers import form_data, small_catalogue


@pytest.fixture
def submitted(app, mail_sink):
    """One lead to two schools (three recipients each), stored through the form."""
    programs = small_catalogue(app)
    client = app.test_client()
    response = client.post(f"/request-info?program={programs[0]}", data=form_data(app, programs[:2]))
    assert response.status_code == 303
    with app.app_context():
        return {d.kind + str(d.delivery_id or ""): d.id for d in db.session.scalars(sa.select(Dispatch))}


def part(message, content_type: str) -> str:
    """The decoded body of the message's part of `content_type`."""
    for piece in message.walk():
        if piece.get_content_type() == content_type:
            return piece.get_payload(decode=True).decode()
    raise AssertionError(f"no {content_type} part")


def dispatch_ids(app, kind=None) -> list[int]:
    with app.app_context():
        query = sa.select(Dispatch.id).order_by(Dispatch.id)
        if kind:
            query = query.where(Dispatch.kind == kind)
        return list(db.session.scalars(query))


def row(app, dispatch_id) -> Dispatch:
    with app.app_context():
        dispatch = db.session.get(Dispatch, dispatch_id)
        db.session.expunge(dispatch)
        return dispatch


def test_one_email_per_school_to_all_recipients_with_every_field(app, submitted, mail_sink):
    first = dispatch_ids(app, DispatchKind.SCHOOL_EMAIL)[0]
    with app.app_context():
        assert run_dispatch(first) == DispatchStatus.SENT
    messages = mail_sink.wait_for(1)
    assert len(messages) == 1
    message = messages[0]
    mail_from, recipients = mail_sink.envelopes()[0]
    assert sorted(recipients) == ["a@s0.example.org", "b@s0.example.org", "c@s0.example.org"]
    assert message["Reply-To"] == "ada@example.com"
    assert message["Message-ID"] == f"<{row(app, first).idempotency_key}@prospectus.mail>"
    assert message.is_multipart()
    text, html = part(message, "text/plain"), part(message, "text/html")
    for expected in ("Ada", "Lovelace", "ada@example.com", "+13125550142", "60601", "High school diploma or GED",
                     "2015", "In 1–3 months", "Medical Coding 0", "SHA-256", "Version"):
        assert expected in text
    assert "<table" in html and "Lovelace" in html
    with app.app_context():
        delivery = db.session.scalars(sa.select(Delivery).order_by(Delivery.id)).first()
        assert delivery.status == DeliveryStatus.DELIVERED and delivery.delivered_at is not None


def test_reader_receipt_lists_the_schools_and_links_to_the_receipt(app, submitted, mail_sink):
    receipt = dispatch_ids(app, DispatchKind.READER_RECEIPT)[0]
    with app.app_context():
        assert run_dispatch(receipt) == DispatchStatus.SENT
    message = mail_sink.wait_for(1)[0]
    assert message["To"] == "ada@example.com"
    text = part(message, "text/plain")
    assert "School A" in text and "School B" in text and "http://prospectus.test/receipt/" in text


def test_a_row_is_claimed_once(app, submitted):
    first = dispatch_ids(app)[0]
    with app.app_context():
        assert claim(first) == 1
        assert claim(first) is None  # the second claimer gets nothing
    assert row(app, first).status == DispatchStatus.SENDING


def test_an_expired_lease_can_be_claimed_again(app, submitted):
    first = dispatch_ids(app)[0]
    with app.app_context():
        assert claim(first) == 1
        db.session.get(Dispatch, first).lease_until = utcnow() - timedelta(seconds=1)
        db.session.commit()
        assert claim(first) == 2


def test_failed_rows_are_claimed_only_when_due(app, submitted):
    first = dispatch_ids(app)[0]
    with app.app_context():
        dispatch = db.session.get(Dispatch, first)
        dispatch.status = DispatchStatus.FAILED
        dispatch.next_attempt_at = utcnow() + timedelta(minutes=5)
        db.session.commit()
        assert claim(first) is None
        db.session.get(Dispatch, first).next_attempt_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        assert claim(first) == 1
    for status in (DispatchStatus.SENT, DispatchStatus.DEAD, DispatchStatus.REJECTED, DispatchStatus.CANCELLED):
        with app.app_context():
            dispatch = db.session.get(Dispatch, first)
            dispatch.status = status
            dispatch.next_attempt_at = utcnow() - timedelta(days=1)
            db.session.commit()
            assert claim(first) is None


@pytest.mark.app_config(environ={"RETRY_SCHEDULE": "60,300,900"})
def test_retry_schedule_with_jitter(app):
    with app.app_context():
        now = utcnow()
        rng = random.Random(7)
        for attempt, base in ((1, 60), (2, 300), (3, 900)):
            delays = [(next_attempt_at(attempt, now, rng) - now).total_seconds() for _ in range(200)]
            assert base * 0.9 <= min(delays) and max(delays) <= base * 1.1
            assert max(delays) - min(delays) > base * 0.1  # it really is jittered
        assert max_attempts() == 4


@pytest.mark.app_config(environ={"MAIL_PORT": "1"})  # nothing listens there
def test_failures_retry_per_schedule_then_die_and_the_delivery_is_dead(app, submitted):
    first = dispatch_ids(app, DispatchKind.SCHOOL_EMAIL)[0]
    with app.app_context():
        outcomes = []
        for attempt in range(1, max_attempts() + 1):
            if attempt > 1:
                db.session.get(Dispatch, first).next_attempt_at = utcnow() - timedelta(seconds=1)
                db.session.commit()
            before = utcnow()
            outcomes.append(run_dispatch(first))
            dispatch = db.session.get(Dispatch, first)
            assert dispatch.attempts == attempt and "ConnectionRefusedError" in dispatch.last_error
            if attempt < max_attempts():
                expected = app.config["RETRY_SCHEDULE"][attempt - 1]
                wait = (dispatch.next_attempt_at - before).total_seconds()
                assert expected * 0.85 <= wait <= expected * 1.15 + 1
            db.session.rollback()
        assert outcomes == ["failed", "failed", "failed", "dead"]
        assert db.session.get(Dispatch, first).status == DispatchStatus.DEAD
        delivery = db.session.get(Delivery, db.session.get(Dispatch, first).delivery_id)
        assert delivery.status == DeliveryStatus.DEAD
        assert run_dispatch(first) == "not claimed"


def test_a_resend_after_a_lost_mark_carries_the_same_message_id(app, submitted, mail_sink):
    """A worker that dies between the SMTP send and the mark leaves the row 'sending';
    after the lease the message goes again — as a recognisable resend."""
    first = dispatch_ids(app, DispatchKind.SCHOOL_EMAIL)[0]
    with app.app_context():
        from leads.dispatch import load_for_sending
        from leads.senders import send

        attempt = claim(first)
        send(load_for_sending(first))  # sent, then the worker "dies" before mark_sent
        db.session.rollback()
        db.session.get(Dispatch, first).lease_until = utcnow() - timedelta(seconds=1)
        db.session.commit()
        assert attempt == 1 and run_dispatch(first) == DispatchStatus.SENT
    messages = mail_sink.wait_for(2)
    assert len(messages) == 2
    assert messages[0]["Message-ID"] == messages[1]["Message-ID"]


def test_the_relay_enqueues_what_a_failed_hand_off_left_behind(app, submitted):
    with app.app_context():
        ids = dispatch_ids(app)
        # The broker was down at hand-off: nothing was marked enqueued.
        db.session.execute(sa.update(Dispatch).values(enqueued_at=None, created_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
        published: list[int] = []
        import leads.relay

        original = leads.relay.enqueue
        leads.relay.enqueue = lambda batch: published.extend(batch) or batch
        try:
            assert relay() == len(ids)
            assert relay() == 0  # enqueued since they became due: not again
        finally:
            leads.relay.enqueue = original
        assert sorted(published) == sorted(ids)
        assert all(d.enqueued_at is not None for d in db.session.scalars(sa.select(Dispatch)))


def test_the_relay_picks_due_retries_and_expired_leases_only(app, submitted):
    ids = dispatch_ids(app)
    with app.app_context():
        now = utcnow()
        db.session.execute(sa.update(Dispatch).values(enqueued_at=now - timedelta(minutes=1)))
        states = [
            dict(status=DispatchStatus.FAILED, next_attempt_at=now - timedelta(seconds=5)),  # due
            dict(status=DispatchStatus.FAILED, next_attempt_at=now + timedelta(minutes=5)),  # not yet
            dict(status=DispatchStatus.SENDING, lease_until=now - timedelta(seconds=5)),  # worker died
        ]
        for dispatch_id, values in zip(ids, states, strict=False):
            db.session.execute(sa.update(Dispatch).where(Dispatch.id == dispatch_id).values(**values))
        db.session.execute(sa.update(Dispatch).where(Dispatch.id.not_in(ids[:3])).values(status=DispatchStatus.SENT))
        db.session.commit()
        import leads.relay

        published: list[int] = []
        original = leads.relay.enqueue
        leads.relay.enqueue = lambda batch: published.extend(batch) or batch
        try:
            relay()
        finally:
            leads.relay.enqueue = original
        assert sorted(published) == sorted([ids[0], ids[2]])


def test_the_web_hand_off_publishes_to_the_real_broker(app, submitted):
    """Under the embedded broker the ids land as messages in instance/broker/queue."""
    import os

    queue = os.path.join(app.instance_path, "broker", "queue")
    assert len(os.listdir(queue)) == len(dispatch_ids(app))
    with app.app_context():
        assert all(d.enqueued_at is not None for d in db.session.scalars(sa.select(Dispatch)))


@pytest.mark.app_config(environ={"CELERY_BROKER_URL": "redis://127.0.0.1:1/0"})
def test_a_dead_broker_never_slows_or_fails_the_request(app, mail_sink):
    import time

    programs = small_catalogue(app)
    client = app.test_client()
    started = time.monotonic()
    response = client.post(f"/request-info?program={programs[0]}", data=form_data(app, programs[:3]))
    assert response.status_code == 303
    assert time.monotonic() - started < 2.0
    with app.app_context():
        rows = db.session.scalars(sa.select(Dispatch)).all()
        assert len(rows) == 4 and all(d.status == "pending" and d.enqueued_at is None for d in rows)
