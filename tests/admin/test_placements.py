"""Placements: created in dollars, kept in cents; state and figures on the list and the
page, from one aggregate statement per page; pause and resume, audited."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from admin.models import AuditEvent
from core.extensions import db
from listings.business_time import business_today
from listings.models import Placement, PlacementStat
from tests import factories


@pytest.fixture
def flight(app):
    """An active placement with counters today, earlier this month and last month."""
    with app.app_context():
        today = business_today()
        school, category = factories.school(name="Harbor College"), factories.category(name="Nursing")
        placement = factories.placement(
            school,
            category,
            name="Spring flight",
            today=today,
            daily_cap=4,
            monthly_cap=40,
            budget_cents=100_000,
            price_per_lead_cents=2_500,
        )
        days = {today: (1000, 50, 3, 7_500), today.replace(day=1) - timedelta(days=1): (9000, 300, 20, 50_000)}
        if today.day > 1:
            days[today.replace(day=1)] = (500, 10, 2, 5_000)
        for day, (impressions, clicks, leads, spend) in days.items():
            db.session.add(
                PlacementStat(
                    placement_id=placement.id,
                    day=day,
                    impressions=impressions,
                    clicks=clicks,
                    leads=leads,
                    spend_cents=spend,
                )
            )
        db.session.commit()
        return {"id": placement.id, "school": school.id, "category": category.id, "first_of_month": today.day == 1}


def test_the_list_shows_state_and_figures(admin_client, flight):
    page = admin_client.get("/admin/placement/").text
    assert 'data-state="active"' in page
    assert "1,000 impr. · 50 clicks (5.0%)" in page and "3 leads · $75.00" in page
    month_leads = 3 if flight["first_of_month"] else 5
    assert f"{month_leads} leads" in page
    assert "day 3/4" in page and f"month {month_leads}/40" in page


def test_the_page_shows_state_figures_and_cap_use(admin_client, flight):
    page = admin_client.get(f"/admin/placement/details/?id={flight['id']}").text
    assert 'data-state="active"' in page and "data-placement-figures" in page
    assert "3 of 4 (75.0%)" in page
    total = 62_500 if not flight["first_of_month"] else 57_500
    assert f"${total / 100:,.2f} of $1,000.00" in page


def test_hitting_the_daily_cap_shows_capped_today(app, admin_client, flight):
    with app.app_context():
        stat = db.session.scalar(sa.select(PlacementStat).where(PlacementStat.day == business_today()))
        stat.leads = 4
        db.session.commit()
    assert 'data-state="capped_today"' in admin_client.get("/admin/placement/").text


def test_the_list_costs_the_same_statements_for_3_or_30_placements(app, admin_client, flight):
    def statements_for_list() -> int:
        seen = []
        with app.app_context():
            engine = db.engine
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert admin_client.get("/admin/placement/?page_size=50").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(seen)

    with app.app_context():
        school, category = factories.school(), factories.category()
        for n in range(2):
            factories.placement(school, category, name=f"extra {n}")
        db.session.commit()
    few = statements_for_list()
    with app.app_context():
        school, category = db.session.merge(school), db.session.merge(category)
        for n in range(27):
            placement = factories.placement(school, category, name=f"more {n}")
            db.session.add(PlacementStat(placement_id=placement.id, day=business_today(), impressions=n))
        db.session.commit()
    assert statements_for_list() == few


def test_create_in_dollars_kept_in_cents(app, admin_client, flight):
    data = {
        "name": "Summer flight",
        "school": flight["school"],
        "category": flight["category"],
        "starts_on": "2030-06-01",
        "ends_on": "2030-08-31",
        "price_per_lead": "45.50",
        "budget": "",
        "daily_cap": "10",
        "monthly_cap": "",
    }
    assert admin_client.post("/admin/placement/new/", data=data).status_code == 302
    with app.app_context():
        placement = db.session.scalar(sa.select(Placement).where(Placement.name == "Summer flight"))
        assert (placement.price_per_lead_cents, placement.budget_cents, placement.daily_cap) == (4550, None, 10)
        event_ = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "create"))
        assert event_.entity == "placement" and event_.after["price_per_lead_cents"] == 4550
        placement_id = placement.id

    edit_form = admin_client.get(f"/admin/placement/edit/?id={placement_id}").text
    assert 'value="45.50"' in edit_form


def test_dates_must_be_in_order(admin_client, flight):
    response = admin_client.post(
        "/admin/placement/new/",
        data={
            "name": "Backwards",
            "school": flight["school"],
            "category": flight["category"],
            "starts_on": "2030-06-01",
            "ends_on": "2030-05-01",
            "price_per_lead": "10",
        },
    )
    assert response.status_code == 200
    assert "The flight must end on or after the day it starts." in response.text


def test_pause_and_resume_from_the_page_audited(app, admin_client, flight):
    placement_id = flight["id"]
    response = admin_client.post(f"/admin/placement/{placement_id}/pause")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/placement/details/?id={placement_id}")
    page = admin_client.get(response.headers["Location"]).text
    assert "1 placement paused." in page and 'data-state="paused"' in page and "Resume" in page

    assert admin_client.post(f"/admin/placement/{placement_id}/resume").status_code == 302
    with app.app_context():
        assert db.session.get(Placement, placement_id).paused is False
        events = db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.entity == "placement").order_by(AuditEvent.id)
        ).all()
    assert [(e.action, e.before, e.after) for e in events] == [
        ("pause", {"paused": False}, {"paused": True}),
        ("resume", {"paused": True}, {"paused": False}),
    ]


def test_pause_several_from_the_list(app, admin_client, flight):
    with app.app_context():
        other = factories.placement(factories.school(), factories.category()).id
        db.session.commit()
    response = admin_client.post(
        "/admin/placement/action/", data={"action": "pause", "rowid": [flight["id"], other], "url": "/admin/placement/"}
    )
    assert response.status_code == 302
    with app.app_context():
        assert all(p.paused for p in db.session.scalars(sa.select(Placement)))
        assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "pause")) == 2


def test_export_has_state_and_figures(app, admin_client, flight):
    response = admin_client.get("/admin/placement/export/csv/")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    (row,) = rows
    assert row["State"] == "Active" and row["Name"] == "Spring flight"
    assert row["Today"].startswith("1,000 impr.")
    with app.app_context():
        (export,) = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert export.entity == "placement" and export.after["rows"] == 1
