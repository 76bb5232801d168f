"""Leads in the back office: the filtered list, its CSV export, a lead's page, the three
actions (redeliver, return, erase) with their audit entries, and a hostile name shown
escaped everywhere."""

from __future__ import annotations

import csv
import io
import types
from datetime import timedelta

import pytest
import sqlalchemy as sa

from admin.models import AuditEvent
from core.extensions import db
from core.models import utcnow
from leads.errors import ActionRefused
from leads.models import Delivery, Dispatch, Lead
from tests.admin.builders import lead_with_deliveries

XSS = "<script>alert(1)</script>"


def ids_in_list(html: str) -> set[int]:
    import re

    return {int(n) for n in re.findall(r'href="/admin/lead/(\d+)"', html)}


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


@pytest.fixture
def two_leads(app):
    with app.app_context():
        old = lead_with_deliveries(first_name="Old", email="old@example.com", created_at=utcnow() - timedelta(days=40))
        dead = lead_with_deliveries(
            first_name="Dead", dispatch_status="dead", delivery_status="pending", placement=True
        )
        deliveries = db.session.execute(
            sa.select(Delivery.lead_id, Delivery.school_id, Delivery.placement_id, Delivery.program_id).order_by(
                Delivery.id
            )
        ).all()
        from listings.models import Program

        category_of = dict(db.session.execute(sa.select(Program.id, Program.category_id)).all())
        return {
            "old": old.id,
            "dead": dead.id,
            "old_school": deliveries[0].school_id,
            "dead_school": deliveries[2].school_id,
            "dead_placement": dead.placement_id,
            "dead_category": category_of[deliveries[2].program_id],
        }


@pytest.mark.parametrize(
    "query,expected",
    [
        ("", {"old", "dead"}),
        ("flt0_2={old_school}", {"old"}),
        ("flt0_3={dead_category}", {"dead"}),
        ("flt0_4=active", {"old", "dead"}),
        ("flt0_4=withdrawn", set()),
        ("flt0_5=pending", {"dead"}),
        ("flt0_6=dead", {"dead"}),
        ("flt0_7={dead_placement}", {"dead"}),
        ("flt0_0={since}", {"dead"}),
        ("flt0_1={since}", {"old"}),
        ("search=old%40example.com", {"old"}),
    ],
)
def test_the_list_filters(app, admin_client, two_leads, query, expected):
    with app.app_context():
        from listings.business_time import business_today

        since = (business_today() - timedelta(days=10)).isoformat()
    response = admin_client.get("/admin/lead/?" + query.format(since=since, **two_leads))
    assert response.status_code == 200
    assert ids_in_list(response.text) == {two_leads[name] for name in expected}


def test_filter_options_are_read_when_the_page_is(app, admin_client, two_leads):
    page = admin_client.get("/admin/lead/").text
    with app.app_context():
        from tests import factories

        factories.school(name="Opened Yesterday College")
        db.session.commit()
    assert "Opened Yesterday College" not in page
    assert "Opened Yesterday College" in admin_client.get("/admin/lead/").text


def test_the_export_is_the_filtered_list_neutralised_and_audited(app, admin_client, two_leads, operators):
    with app.app_context():
        lead = db.session.get(Lead, two_leads["dead"])
        lead.last_name = '=HYPERLINK("http://evil.example","click")'
        lead.utm_source = "@SUM(A1:A2)"
        db.session.commit()
    response = admin_client.get("/admin/lead/export/csv/?flt0_6=dead")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    (row,) = csv_rows(response)
    assert row["id"] == str(two_leads["dead"])
    assert row["last_name"] == "'" + '=HYPERLINK("http://evil.example","click")'
    assert row["utm_source"] == "'@SUM(A1:A2)"
    assert row["phone"] == "'+13125550100"
    assert "(pending, $25.00)" in row["deliveries"]

    with app.app_context():
        (export,) = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert (export.entity, export.operator_id) == ("lead", operators["admin"])
    assert export.after == {"query": {"flt0_6": "dead"}}


def test_the_export_streams_every_lead_past_one_batch(app, admin_client, monkeypatch):
    from admin.views import leads as lead_views

    monkeypatch.setattr(lead_views, "EXPORT_BATCH", 2)
    with app.app_context():
        made = [lead_with_deliveries(first_name=f"N{n}", schools=1).id for n in range(5)]
    rows = csv_rows(admin_client.get("/admin/lead/export/csv/"))
    assert [int(row["id"]) for row in rows] == made


def test_the_lead_page_shows_everything(app, admin_client, two_leads):
    page = admin_client.get(f"/admin/lead/{two_leads['dead']}").text
    with app.app_context():
        lead = db.session.get(Lead, two_leads["dead"])
        consent_hash, public_id = (
            db.session.scalar(
                sa.select(sa.text("text_sha256 from consent_record where lead_id = :id")), {"id": lead.id}
            ),
            lead.public_id,
        )
    for expected in (
        public_id,
        "grace@example.com",
        "+13125550100",
        "203.0.113.9",
        consent_hash,
        "2025-01",
        "I agree that",
        "http://prospectus.test/careers/testers",
        "$25.00",
        "SMTP 451: try again later",
        "school email",
        'data-status="dead"',
        "Redeliver",
        "Erase personal details",
    ):
        assert expected in page, expected
    assert page.count("data-delivery-id=") == 2 and page.count("data-dispatch-id=") == 2


def test_an_unknown_lead_is_404(admin_client):
    assert admin_client.get("/admin/lead/999").status_code == 404
    assert admin_client.post("/admin/lead/dispatch/999/redeliver").status_code == 404


def test_a_hostile_name_is_escaped_everywhere(app, admin_client):
    with app.app_context():
        lead = lead_with_deliveries(first_name=XSS, last_name=XSS, dispatch_status="dead")
        lead_id = lead.id
        dispatch = db.session.scalar(sa.select(Dispatch).where(Dispatch.lead_id == lead_id))
        dispatch.last_error = XSS
        db.session.commit()
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    for url in ("/admin/lead/", f"/admin/lead/{lead_id}", f"/admin/lead/?search={lead_id}"):
        html = admin_client.get(url).text
        assert XSS not in html, url
        assert escaped in html, url

    export = admin_client.get("/admin/lead/export/csv/")
    assert export.mimetype == "text/csv" and export.headers["X-Content-Type-Options"] == "nosniff"
    assert export.headers["Content-Disposition"].startswith("attachment;")
    assert csv_rows(export)[0]["first_name"] == XSS  # kept as text, never HTML


# The actions, against stand-ins for the delivery engine's services ----------------------


@pytest.fixture
def engine(monkeypatch):
    """leads.redelivery / leads.returns / leads.withdrawal replaced by recorders; set
    `refuse` to make the next call raise ActionRefused."""
    calls: list[tuple] = []
    state = {"refuse": None}

    def act(name, *args, **kwargs):
        calls.append((name, args, kwargs))
        if state["refuse"]:
            raise ActionRefused(state["refuse"])

    def redeliver_dispatch(dispatch_id: int) -> Dispatch:
        act("redeliver", dispatch_id)
        dispatch = db.session.get(Dispatch, dispatch_id)
        dispatch.status, dispatch.attempts = "pending", 0
        db.session.commit()
        return dispatch

    def mark_delivery_returned(delivery_id: int, reason: str) -> Delivery:
        act("return", delivery_id, reason)
        delivery = db.session.get(Delivery, delivery_id)
        delivery.status, delivery.billable, delivery.return_reason = "returned", False, reason
        db.session.commit()
        return delivery

    def erase_lead(lead_id: int, *, reason: str) -> Lead:
        act("erase", lead_id, reason=reason)
        lead = db.session.get(Lead, lead_id)
        lead.first_name = lead.last_name = lead.email = lead.phone = None
        lead.status = "withdrawn"
        db.session.commit()
        return lead

    for function in (redeliver_dispatch, mark_delivery_returned, erase_lead):
        monkeypatch.setattr(f"admin.views.leads.{function.__name__}", function)
    return types.SimpleNamespace(calls=calls, state=state)


@pytest.fixture
def dead_lead(app):
    with app.app_context():
        lead = lead_with_deliveries(dispatch_status="dead", schools=1)
        dispatch_id = db.session.scalar(sa.select(Dispatch.id).where(Dispatch.lead_id == lead.id))
        delivery_id = db.session.scalar(sa.select(Delivery.id).where(Delivery.lead_id == lead.id))
        return {"lead": lead.id, "dispatch": dispatch_id, "delivery": delivery_id}


def only_event(app, action: str) -> AuditEvent:
    with app.app_context():
        (event,) = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)).all()
        return event


def test_redeliver_calls_the_engine_and_is_audited(app, admin_client, engine, dead_lead, operators):
    response = admin_client.post(f"/admin/lead/dispatch/{dead_lead['dispatch']}/redeliver")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/lead/{dead_lead['lead']}#dispatches"
    assert engine.calls == [("redeliver", (dead_lead["dispatch"],), {})]
    assert "will be sent again shortly" in admin_client.get(f"/admin/lead/{dead_lead['lead']}").text

    event = only_event(app, "redeliver")
    assert (event.entity, event.entity_id, event.operator_id) == (
        "dispatch",
        str(dead_lead["dispatch"]),
        operators["admin"],
    )
    assert event.before["status"] == "dead" and event.after["status"] == "pending"


def test_a_refusal_is_shown_as_the_engine_words_it_and_not_audited(app, admin_client, engine, dead_lead):
    engine.state["refuse"] = "Only a failed, rejected or dead dispatch can be sent again."
    admin_client.post(f"/admin/lead/dispatch/{dead_lead['dispatch']}/redeliver")
    page = admin_client.get(f"/admin/lead/{dead_lead['lead']}").text
    assert "Only a failed, rejected or dead dispatch can be sent again." in page and "alert-danger" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action != "login")) == 0


def test_mark_returned_needs_a_reason_and_is_audited(app, admin_client, engine, dead_lead):
    url = f"/admin/lead/delivery/{dead_lead['delivery']}/return"
    admin_client.post(url, data={"reason": "  "})
    assert engine.calls == []
    assert "Give the reason the school returned this lead" in admin_client.get(f"/admin/lead/{dead_lead['lead']}").text

    assert admin_client.post(url, data={"reason": " Wrong number <b>x</b> "}).status_code == 302
    assert engine.calls == [("return", (dead_lead["delivery"], "Wrong number <b>x</b>"), {})]
    event = only_event(app, "return")
    assert event.entity == "delivery" and event.after["status"] == "returned" and event.after["billable"] is False
    page = admin_client.get(f"/admin/lead/{dead_lead['lead']}").text
    assert "Wrong number &lt;b&gt;x&lt;/b&gt;" in page


def test_erase_needs_a_reference_and_confirmation_and_keeps_no_copy_in_the_trail(app, admin_client, engine, dead_lead):
    url = f"/admin/lead/{dead_lead['lead']}/erase"
    admin_client.post(url, data={"reason": "DSAR-42"})  # not confirmed
    assert engine.calls == []

    assert admin_client.post(url, data={"reason": "DSAR-42", "confirm": "y"}).status_code == 302
    assert engine.calls == [("erase", (dead_lead["lead"],), {"reason": "DSAR-42"})]
    event = only_event(app, "erase")
    assert event.entity == "lead" and event.after["reason"] == "DSAR-42"
    trail = f"{event.before} {event.after}"
    assert "Grace" not in trail and "grace@example.com" not in trail and "+13125550100" not in trail
    assert event.before["first_name"] == "[personal data]" and event.after["first_name"] is None
    page = admin_client.get(f"/admin/lead/{dead_lead['lead']}").text
    assert "already erased" in page and "Erase personal details" not in page


# The same actions against the delivery engine itself, where it is there ---------------------


def test_erase_with_the_real_withdrawal_service(app, admin_client, dead_lead):
    pytest.importorskip("leads.withdrawal")
    with app.app_context():
        dispatch = db.session.get(Dispatch, dead_lead["dispatch"])
        dispatch.status = "sent"  # the school has the lead: it must be told
        db.session.commit()
    response = admin_client.post(f"/admin/lead/{dead_lead['lead']}/erase", data={"reason": "DSAR-7", "confirm": "y"})
    assert response.status_code == 302
    with app.app_context():
        lead = db.session.get(Lead, dead_lead["lead"])
        assert (lead.first_name, lead.email, lead.phone) == (None, None, None)
        assert lead.status != "active"
        kinds = db.session.scalars(sa.select(Dispatch.kind).where(Dispatch.lead_id == lead.id)).all()
        assert "withdrawal_notice" in kinds
    assert only_event(app, "erase").entity_id == str(dead_lead["lead"])


def test_redeliver_with_the_real_service(app, admin_client, dead_lead):
    pytest.importorskip("leads.redelivery", reason="leads.redelivery.redeliver_dispatch is not written yet")
    assert admin_client.post(f"/admin/lead/dispatch/{dead_lead['dispatch']}/redeliver").status_code == 302
    with app.app_context():
        assert db.session.get(Dispatch, dead_lead["dispatch"]).status in ("pending", "sending", "sent")
    assert only_event(app, "redeliver").entity == "dispatch"


def test_return_with_the_real_service(app, admin_client, dead_lead):
    pytest.importorskip("leads.returns", reason="leads.returns.mark_delivery_returned is not written yet")
    with app.app_context():
        delivery = db.session.get(Delivery, dead_lead["delivery"])
        delivery.status = "delivered"
        db.session.commit()
    admin_client.post(f"/admin/lead/delivery/{dead_lead['delivery']}/return", data={"reason": "Duplicate"})
    with app.app_context():
        delivery = db.session.get(Delivery, dead_lead["delivery"])
        assert (delivery.status, delivery.billable, delivery.return_reason) == ("returned", False, "Duplicate")
    assert only_event(app, "return").entity == "delivery"
