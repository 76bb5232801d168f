"""The dashboard on known data: deliveries per day by status, the top schools and
placements of a range, delivery health and its warnings, charts without script."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from admin.reports.charts import self_contained
from admin.reports.delivery_health import STUCK_AFTER, describe_age
from core.extensions import db
from core.models import utcnow
from listings.business_time import business_today
from tests import factories
from tests.admin.reporting import at, body_cells, chart_svgs, counters, delivery, dispatch, table


@pytest.fixture
def known(app):
    """Two schools: Harbor sells through a placement, Lakeside only gets organic leads."""
    with app.app_context():
        today = business_today()
        earlier = today - timedelta(days=3)
        category = factories.category(name="Nursing")
        harbor, lakeside = factories.school(name="Harbor College"), factories.school(name="Lakeside University")
        harbor_program = factories.program(harbor, category, name="Nursing RN")
        lakeside_program = factories.program(lakeside, category, name="Nursing LPN")
        flight = factories.placement(harbor, category, name="Spring flight", today=today, monthly_cap=40)
        sold = {"program": harbor_program, "placement": flight, "price_cents": 2500}
        delivery(harbor, at(today, 9), **sold)
        delivery(harbor, at(today, 10), **sold)
        delivery(harbor, at(earlier, 11), status="pending", **sold)
        for status in ("delivered", "delivered", "duplicate"):
            delivery(lakeside, at(today, 8), program=lakeside_program, status=status)
        for status in ("dead", "returned"):
            delivery(lakeside, at(earlier, 15), program=lakeside_program, status=status)
        delivery(lakeside, at(today - timedelta(days=40)), program=lakeside_program)  # outside the 30 days
        counters(flight, today, impressions=1000, clicks=50, leads=2, spend_cents=5000)
        counters(flight, earlier, impressions=400, clicks=10, leads=1, spend_cents=2500)
        db.session.commit()
        return {
            "today": today,
            "earlier": earlier,
            "harbor": harbor.id,
            "lakeside": lakeside.id,
            "flight": flight.id,
            "range": {"start": (today - timedelta(days=5)).isoformat(), "end": today.isoformat()},
        }


def test_deliveries_per_day_by_status(admin_client, known):
    page = admin_client.get("/admin/")
    assert page.status_code == 200
    daily = table(page.text, "data-daily-table")
    statuses = daily["head"][0]["cells"][1:-1]
    assert statuses == ["Delivered", "Pending", "Returned", "Dead", "Duplicate"]  # only statuses that occurred
    rows = {row["attrs"]["data-day"]: row["cells"][1:] for row in daily["body"]}
    assert len(rows) == 30
    assert rows[known["today"].isoformat()] == ["4", "0", "0", "0", "1", "5"]
    assert rows[known["earlier"].isoformat()] == ["0", "1", "1", "1", "0", "3"]
    assert daily["foot"][0]["cells"] == ["30 days", "4", "1", "1", "1", "1", "8"]  # 40 days ago is left out


def test_top_schools_and_placements_of_a_range(admin_client, known):
    page = admin_client.get("/admin/", query_string=known["range"]).text
    assert body_cells(page, "data-top-schools") == [
        ["Harbor College", "3", "3", "$75.00"],
        ["Lakeside University", "4", "0", "$0.00"],  # the duplicate is not a lead sent
    ]
    # Placements: leads from the deliveries sold under it, billable and spend from its counters.
    assert body_cells(page, "data-top-placements") == [
        ["Spring flight", "Harbor College", "3", "3", "$75.00", "$25.00"]
    ]

    by_leads = admin_client.get("/admin/", query_string={**known["range"], "rank": "leads"}).text
    assert [row[0] for row in body_cells(by_leads, "data-top-schools")] == ["Lakeside University", "Harbor College"]


def test_the_range_defaults_to_this_month_so_far(admin_client, known):
    page = admin_client.get("/admin/").text
    today = known["today"]
    assert f'value="{today.replace(day=1).isoformat()}"' in page and f'value="{today.isoformat()}"' in page
    harbor = [row for row in body_cells(page, "data-top-schools") if row[0] == "Harbor College"][0]
    assert harbor[1] == ("3" if known["earlier"].month == today.month else "2")


@pytest.mark.parametrize(
    "args,message",
    [
        ({"start": "2025-02-30"}, "is not a date"),
        ({"start": "2025-03-10", "end": "2025-03-01"}, "on or before the end date"),
        ({"start": "2023-01-01", "end": "2025-01-01"}, "at most 366 days"),
        ({"start": "0001-01-01", "end": "0001-01-02"}, "must fall between"),
    ],
)
def test_a_bad_range_is_a_clear_400_and_health_still_shows(admin_client, known, args, message):
    response = admin_client.get("/admin/", query_string=args)
    assert response.status_code == 400
    assert "data-report-error" in response.text and message in response.text
    assert "data-delivery-health" in response.text and "data-top-schools" not in response.text


def test_healthy_deliveries_show_no_warning(app, admin_client, known):
    with app.app_context():
        dispatch("sent", utcnow() - timedelta(hours=2))
        dispatch("pending", utcnow() - timedelta(minutes=2))  # just written: normal
        db.session.commit()
    page = admin_client.get("/admin/").text
    assert "data-delivery-warning" not in page
    health = _health(page)
    assert (health["Pending"], health["Dead"], health["Rejected"], health["Oldest waiting"]) == ("1", "0", "0", "2 min")


def _health(page: str) -> dict[str, str]:
    return {row["cells"][0]: row["cells"][1] for row in table(page, "data-health-table")["body"]}


def test_stuck_dispatches_raise_a_warning_linking_to_them(app, admin_client, known):
    with app.app_context():
        stuck = dispatch("pending", utcnow() - STUCK_AFTER - timedelta(minutes=5))
        dispatch("failed", utcnow() - timedelta(minutes=1))
        db.session.commit()
        stuck_lead = stuck.lead_id
    page = admin_client.get("/admin/").text
    assert 'data-delivery-warning="stuck"' in page and 'role="alert"' in page
    assert "1 dispatch has been waiting more than 15 min; the oldest for 20 min." in " ".join(page.split())
    assert 'data-delivery-warning="dead"' not in page
    health = _health(page)
    assert (health["Pending"], health["Failed"], health["Dead"], health["Oldest waiting"]) == ("1", "1", "0", "20 min")

    # The warning's link opens the lead list filtered on pending dispatches.
    warning = page.split('data-delivery-warning="stuck"', 1)[1].split("</div>", 1)[0]
    link = warning.split('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert urlsplit(link).path == "/admin/lead/"
    listed = admin_client.get(link).text
    assert f"/admin/lead/{stuck_lead}" in listed
    assert listed.count('href="/admin/lead/') - listed.count('href="/admin/lead/?') >= 1


def test_a_dispatch_waiting_less_than_the_threshold_is_not_stuck(app, admin_client, known):
    with app.app_context():
        dispatch("failed", utcnow() - STUCK_AFTER + timedelta(minutes=2))
        db.session.commit()
    page = admin_client.get("/admin/").text
    assert "data-delivery-warning" not in page
    assert _health(page)["Failed"] == "1"


def test_dead_or_rejected_dispatches_raise_a_warning(app, admin_client, known):
    with app.app_context():
        dead = dispatch("dead", utcnow() - timedelta(days=2))
        dispatch("rejected", utcnow() - timedelta(days=1))
        db.session.commit()
        dead_lead = dead.lead_id
    page = admin_client.get("/admin/").text
    warning = page.split('data-delivery-warning="dead"', 1)[1].split("</div>", 1)[0]
    assert "1 dead" in warning and "1 rejected" in warning
    assert 'data-delivery-warning="stuck"' not in page  # dead and rejected are not waiting
    dead_link = warning.split('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    listed = admin_client.get(dead_link).text
    assert f"/admin/lead/{dead_lead}" in listed
    assert _health(page)["Dead"] == "1" and _health(page)["Rejected"] == "1"


def test_every_chart_is_an_svg_without_script_or_external_url(admin_client, known):
    page = admin_client.get("/admin/", query_string=known["range"]).text
    svgs = chart_svgs(page)
    assert len(svgs) == 3  # deliveries per day, top schools, top placements
    for svg in svgs:
        assert svg.startswith("<svg") and "<script" not in svg.lower()
        assert "http://pygal.org" not in svg and "<!--" not in svg
        assert self_contained(svg)
    assert "Harbor College" in svgs[1] and "Spring flight" in svgs[2]
    # The page itself loads nothing from elsewhere.
    assert "cdn" not in page.lower()


def test_an_empty_database_draws_the_daily_chart_and_no_ranking_charts(admin_client):
    page = admin_client.get("/admin/")
    assert page.status_code == 200
    assert len(chart_svgs(page.text)) == 1
    assert "No leads in this range." in page.text and "No sponsored leads in this range." in page.text


def test_describe_age():
    assert describe_age(None) == "—"
    assert describe_age(timedelta(seconds=42)) == "42 s"
    assert describe_age(timedelta(minutes=15)) == "15 min"
    assert describe_age(timedelta(hours=3, minutes=5)) == "3 h 5 min"
    assert describe_age(timedelta(days=2, hours=4, minutes=9)) == "2 d 4 h"
