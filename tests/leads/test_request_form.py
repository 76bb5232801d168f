"""The request-information form end to end through the test client."""

from __future__ import annotations

import re
import time

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.extensions import db
from leads.consent import CONSENT_VERSION, consent_sha256, consent_text
from leads.fill_time import issue_started_token
from leads.identity import email_hash
from leads.models import (
    ConsentRecord,
    Delivery,
    DeliveryStatus,
    Dispatch,
    DispatchKind,
    DispatchStatus,
    Lead,
    LeadStatus,
    Suppression,
)
from tests.leads.helpers import count, form_data, small_catalogue


@pytest.fixture
def programs(app):
    return small_catalogue(app)


def post(client, program_id, data):
    return client.post(f"/request-info?program={program_id}", data=data)


def test_form_shows_the_chosen_program_similar_ones_and_the_hooks(client, programs):
    response = client.get(f"/request-info?program={programs[0]}")
    assert response.status_code == 200
    html = response.text
    assert "data-request-info" in html
    for name in ("first_name", "last_name", "email", "phone", "zip_code", "education_level", "graduation_year",
                 "start_timeframe", "military_affiliation", "consent"):
        assert f'name="{name}"' in html
    boxes = re.findall(r'<input[^>]*name="program_ids"[^>]*>', html)
    assert len(boxes) == 3  # the chosen one and the two other schools
    assert "checked" in boxes[0] and not any("checked" in box for box in boxes[1:])
    consent_box = re.search(r'<input[^>]*name="consent"[^>]*>', html).group(0)
    assert "checked" not in consent_box
    assert "School A may contact me" in html


@pytest.mark.parametrize("query", ["", "?program=", "?program=abc", "?program=999999", "?program=-1", "?program=1%00"])
def test_unknown_program_is_a_friendly_404(client, programs, query):
    assert client.get(f"/request-info{query}").status_code == 404


def test_a_valid_request_is_stored_in_full_and_redirects_to_thanks(app, client, programs):
    data = form_data(app, programs[:2])
    response = client.post(f"/request-info?program={programs[0]}&utm_source=news", data=data,
                           headers={"User-Agent": "Mozilla/5.0 test"})
    assert response.status_code == 303
    assert "/request-info/thanks/" in response.headers["Location"]
    with app.app_context():
        lead = db.session.scalars(sa.select(Lead)).one()
        assert (lead.first_name, lead.email, lead.phone, lead.zip_code) == ("Ada", "ada@example.com", "+13125550142", "60601")
        assert lead.graduation_year == 2015 and lead.education_level == "high_school"
        assert lead.email_hash == email_hash("ada@example.com")
        consent = db.session.scalars(sa.select(ConsentRecord)).one()
        assert consent.version == CONSENT_VERSION
        assert consent.text == consent_text(["School A", "School B"])
        assert consent.text_sha256 == consent_sha256(consent.text)
        assert consent.school_names == ["School A", "School B"]
        deliveries = db.session.scalars(sa.select(Delivery).order_by(Delivery.id)).all()
        assert [d.status for d in deliveries] == ["pending", "pending"]
        kinds = sorted(d.kind for d in db.session.scalars(sa.select(Dispatch)))
        assert kinds == ["reader_receipt", "school_email", "school_email"]
    thanks = client.get(response.headers["Location"])
    assert thanks.status_code == 200
    assert "School A" in thanks.text and "School B" in thanks.text and "/receipt/" in thanks.text


def test_consent_names_only_the_schools_ticked_whatever_the_page_said(app, client, programs):
    data = form_data(app, [programs[2]])
    assert post(client, programs[0], data).status_code == 303
    with app.app_context():
        consent = db.session.scalars(sa.select(ConsentRecord)).one()
        assert consent.school_names == ["School C"] and "School A" not in consent.text


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("first_name", "", "Enter your first name."),
        ("email", "not-an-email", "Enter a valid e-mail address"),
        ("phone", "12345", "Enter a valid US phone number"),
        ("zip_code", "00000", "We do not know that ZIP code"),
        ("graduation_year", "1900", "Enter the year you finished"),
        ("education_level", "phd", "Choose one of the listed options"),
        ("start_timeframe", "tomorrow", "Choose one of the listed options"),
        ("consent", None, "Tick the box to agree"),
        ("program_ids", [], "Tick at least one school"),
        ("program_ids", ["1", "2", "3", "4", "5", "6"], "Choose at most 5 schools"),
        ("program_ids", ["99999"], "no longer open for inquiries"),
        ("program_ids", ["x"], "Choose schools from the list"),
    ],
)
def test_invalid_input_is_refused_with_a_message_and_values_kept(app, client, programs, field, value, message):
    data = form_data(app, programs[:1])
    data[field] = value
    data = {key: item for key, item in data.items() if item is not None}
    response = post(client, programs[0], data)
    assert response.status_code == 422
    assert message in response.text
    assert 'id="error-summary"' in response.text
    if field != "first_name":
        assert 'value="Ada"' in response.text
    assert count(app, Lead) == 0 and count(app, Dispatch) == 0


def test_inactive_program_is_refused(app, client, programs):
    from listings.models import Program

    with app.app_context():
        db.session.get(Program, programs[1]).active = False
        db.session.commit()
    response = post(client, programs[0], form_data(app, programs[:2]))
    assert response.status_code == 422 and count(app, Lead) == 0


@pytest.mark.parametrize("trap", ["honeypot", "too_fast", "no_start", "forged_start"])
def test_bots_get_a_normal_thank_you_and_nothing_is_stored(app, client, programs, trap):
    data = form_data(app, programs[:1])
    if trap == "honeypot":
        data["website"] = "http://spam.example"
    elif trap == "too_fast":
        with app.app_context():
            data["started"] = issue_started_token(now=time.time() - 1)
    elif trap == "no_start":
        data.pop("started")
    else:
        data["started"] = "1700000000.0.forged"
    response = post(client, programs[0], data)
    assert response.status_code == 303
    thanks = client.get(response.headers["Location"])
    assert thanks.status_code == 200 and "School A" in thanks.text
    assert count(app, Lead) == 0 and count(app, Dispatch) == 0


def test_same_person_same_school_within_30_days_is_a_duplicate(app, client, programs):
    assert post(client, programs[0], form_data(app, programs[:1])).status_code == 303
    # Same phone, different e-mail address: still the same person.
    again = form_data(app, programs[:2], email="ada.other@example.com")
    response = post(client, programs[0], again)
    assert response.status_code == 303
    with app.app_context():
        second = db.session.scalars(sa.select(Lead).order_by(Lead.id.desc())).first()
        statuses = dict(db.session.execute(
            sa.select(Delivery.program_id, Delivery.status).where(Delivery.lead_id == second.id)).all())
        assert statuses == {programs[0]: DeliveryStatus.DUPLICATE, programs[1]: DeliveryStatus.PENDING}
        school_emails = db.session.scalars(
            sa.select(Dispatch).where(Dispatch.lead_id == second.id, Dispatch.kind == DispatchKind.SCHOOL_EMAIL)).all()
        assert len(school_emails) == 1
    assert "School A" in client.get(response.headers["Location"]).text  # a normal confirmation


def test_suppressed_person_gets_suppressed_deliveries_and_nothing_sent(app, client, programs):
    with app.app_context():
        db.session.add(Suppression(value_hash=email_hash("ada@example.com"), kind="email", reason="test"))
        db.session.commit()
    assert post(client, programs[0], form_data(app, programs[:2])).status_code == 303
    with app.app_context():
        assert set(db.session.scalars(sa.select(Delivery.status))) == {DeliveryStatus.SUPPRESSED}
    assert count(app, Dispatch) == 0


def test_a_failure_mid_transaction_rolls_everything_back(app, client, programs, monkeypatch):
    import leads.intake

    def explode(*args, **kwargs):
        raise sa.exc.OperationalError("INSERT", {}, Exception("disk full"))

    monkeypatch.setattr(leads.intake, "sell", explode)
    response = post(client, programs[0], form_data(app, programs[:2]))
    assert response.status_code == 503
    assert "nothing was saved" in response.text
    for model in (Lead, ConsentRecord, Delivery, Dispatch):
        assert count(app, model) == 0


def _receipt_url(client, response) -> str:
    thanks = client.get(response.headers["Location"])
    return re.search(r'href="(/receipt/[^"]+)"', thanks.text).group(1)


def test_receipt_and_withdrawal(app, client, programs):
    response = post(client, programs[0], form_data(app, programs[:2]))
    receipt_url = _receipt_url(client, response)
    receipt = client.get(receipt_url)
    assert receipt.status_code == 200 and "School A" in receipt.text and "Being sent" in receipt.text
    with app.app_context():
        # School A's e-mail went out before the reader withdrew.
        sent = db.session.scalars(sa.select(Dispatch).where(Dispatch.kind == DispatchKind.SCHOOL_EMAIL).order_by(Dispatch.id)).first()
        sent.status = DispatchStatus.SENT
        db.session.get(Delivery, sent.delivery_id).status = DeliveryStatus.DELIVERED
        db.session.commit()
    confirm = client.get(receipt_url + "/withdraw")
    assert confirm.status_code == 200 and "Yes, withdraw my consent" in confirm.text
    done = client.post(receipt_url + "/withdraw")
    assert done.status_code == 303
    after = client.get(receipt_url)
    assert "You withdrew your consent" in after.text and "Ada" not in after.text
    with app.app_context():
        lead = db.session.scalars(sa.select(Lead)).one()
        assert lead.status == LeadStatus.WITHDRAWN
        assert (lead.first_name, lead.email, lead.phone, lead.zip_code, lead.ip) == (None,) * 5
        consent = db.session.scalars(sa.select(ConsentRecord)).one()
        assert consent.text_sha256 and consent.school_names == ["School A", "School B"]
        statuses = dict(db.session.execute(sa.select(Delivery.program_id, Delivery.status)).all())
        assert statuses == {programs[0]: "delivered", programs[1]: "cancelled"}
        kinds = sorted((d.kind, d.status) for d in db.session.scalars(sa.select(Dispatch)))
        assert kinds == [("reader_receipt", "cancelled"), ("school_email", "cancelled"),
                         ("school_email", "sent"), ("withdrawal_notice", "pending")]
    assert count(app, Suppression) == 2
    # The same person asking again is suppressed.
    assert post(client, programs[0], form_data(app, programs[2:])).status_code == 303
    with app.app_context():
        assert db.session.scalars(sa.select(Delivery.status).order_by(Delivery.id.desc())).first() == "suppressed"


def test_receipt_tokens_cannot_be_guessed(client, programs):
    assert client.get("/receipt/not-a-token").status_code == 404
    assert client.get("/receipt/not-a-token/withdraw").status_code == 404
    assert client.post("/receipt/not-a-token/withdraw").status_code == 404


def test_lost_receipt_links_answer_the_same_whether_known_or_not(app, client, programs):
    post(client, programs[0], form_data(app, programs[:1]))
    before = count(app, Dispatch)
    known = client.post("/privacy/receipts", data={"email": "ADA@example.com"}, follow_redirects=True)
    unknown = client.post("/privacy/receipts", data={"email": "nobody@example.com"}, follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    assert "If we have requests from that address" in known.text and "If we have requests from that address" in unknown.text
    assert count(app, Dispatch) == before + 1
    assert client.post("/privacy/receipts", data={"email": "bad"}).status_code == 422


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_with_csrf_on_an_expired_token_reshows_the_form_with_values(app, client, programs):
    page = client.get(f"/request-info?program={programs[0]}")
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    data = form_data(app, programs[:1], csrf_token="expired-or-forged")
    response = post(client, programs[0], data)
    assert response.status_code == 400
    assert "This form expired" in response.text and 'value="Ada"' in response.text
    assert count(app, Lead) == 0
    assert post(client, programs[0], form_data(app, programs[:1], csrf_token=token)).status_code == 303
    assert count(app, Lead) == 1
    # Every other form keeps the global protection.
    assert client.post("/privacy/receipts", data={"email": "a@example.com"}).status_code == 400


@pytest.mark.app_config(RATELIMIT_ENABLED=True, environ={"LEAD_RATE_LIMIT": "3/minute"})
def test_per_ip_rate_limit_answers_429_with_a_friendly_page(app, client, programs):
    for _ in range(3):
        assert post(client, programs[0], form_data(app, programs[:1], website="bot")).status_code == 303
    limited = post(client, programs[0], form_data(app, programs[:1]))
    assert limited.status_code == 429 and "Too many requests" in limited.text
    assert client.get(f"/request-info?program={programs[0]}").status_code == 200  # reading is never limited


@pytest.mark.app_config(RATELIMIT_ENABLED=True, environ={"REDIS_URL": "redis://127.0.0.1:1/0"})
def test_a_redis_outage_never_turns_into_a_500(app, client, programs):
    response = post(client, programs[0], form_data(app, programs[:1]))
    assert response.status_code == 303 and count(app, Lead) == 1


form_values = st.one_of(st.text(max_size=60), st.sampled_from(["", "60601", "2015", "y", "high_school", "1", "\x00", "'\""]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.dictionaries(
    st.sampled_from(["first_name", "last_name", "email", "phone", "zip_code", "education_level", "graduation_year",
                     "start_timeframe", "military_affiliation", "consent", "program_ids", "started", "website"]),
    form_values,
))
def test_generated_form_data_never_errors_and_never_stores_invalid_leads(app, client, programs, data):
    response = client.post(f"/request-info?program={programs[0]}", data=data)
    assert response.status_code < 500
    # Without a genuine start time nothing can be stored; with one, only a fully valid form is.
    assert count(app, Lead) == 0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(["first_name", "last_name", "email", "phone", "zip_code", "graduation_year", "education_level"]),
       value=form_values)
def test_generated_bad_values_in_an_otherwise_valid_form(app, client, programs, field, value):
    before = count(app, Lead)
    data = form_data(app, programs[:1], **{field: value})
    response = client.post(f"/request-info?program={programs[0]}", data=data)
    assert response.status_code in (303, 422)
    stored = count(app, Lead) - before
    assert stored == (1 if response.status_code == 303 else 0)
