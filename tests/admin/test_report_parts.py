"""The reports' building blocks: the business day computed by the database across
daylight-saving changes (and in zones far from New York), charts that can neither run
script nor fetch anything, and who may open a report."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pygal
import pytest
import sqlalchemy as sa

from admin.reports.charts import _options, render, self_contained
from admin.reports.periods import DateRange
from admin.reports.sql import business_day_of, offset_segments
from core.extensions import db
from leads.models import Delivery
from listings.business_time import business_day
from tests import factories
from tests.admin.reporting import delivery

YEAR = DateRange(date(2025, 1, 1), date(2025, 12, 31))


def _instants_around_transitions() -> list[datetime]:
    """Every hour and a minute either side of midnight, around the 2025 changes of several zones."""
    found = []
    for day in (date(2025, 3, 8), date(2025, 3, 30), date(2025, 4, 5), date(2025, 10, 4), date(2025, 11, 1)):
        start = datetime.combine(day, datetime.min.time(), tzinfo=UTC)
        for hour in range(0, 72):
            for minute in (0, 29, 59):
                found.append(start + timedelta(hours=hour, minutes=minute))
    return found


@pytest.mark.parametrize("zone", ["America/New_York", "Australia/Sydney", "Asia/Kolkata", "Europe/London"])
def test_the_database_finds_the_business_day_python_finds(template_database, tmp_path, zone):
    from tests.conftest import make_app

    path = tmp_path / "zone.sqlite3"
    path.write_bytes(template_database.read_bytes())
    app = make_app(path, tmp_path / "instance", environ={"BUSINESS_TIMEZONE": zone})
    with app.app_context():
        school = factories.school()
        instants = _instants_around_transitions()
        for instant in instants:
            delivery(school, instant)
        db.session.commit()
        day = business_day_of(Delivery.created_at, YEAR).label("day")
        found = db.session.execute(sa.select(Delivery.created_at, day).order_by(Delivery.id)).all()
        assert len(found) == len(instants)
        for created_at, computed in found:
            assert computed == business_day(created_at), (zone, created_at)
        db.engine.dispose()


def test_offset_pieces_of_new_york_in_2025(app):
    with app.app_context():
        pieces = offset_segments(YEAR)
    assert pieces == [
        (datetime(2025, 3, 9, 7, 0, tzinfo=UTC), -5 * 3600),
        (datetime(2025, 11, 2, 6, 0, tzinfo=UTC), -4 * 3600),
        (None, -5 * 3600),
    ]


def test_pygal_alone_would_embed_a_script_ours_does_not(app):
    raw = pygal.Bar(js=[], disable_xml_declaration=True)
    raw.add("x", [1, 2])
    assert "<script" in raw.render(is_unicode=True)  # why the XML filter exists

    chart = pygal.Bar(**_options())
    chart.add("x", [1, 2])
    svg = render(chart, "A test chart")
    assert "<script" not in svg and "<!--" not in svg and "<title>A test chart</title>" in svg
    assert self_contained(svg)


@pytest.mark.parametrize(
    "svg",
    [
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><SCRIPT href="x.js"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://cdn.example/x.png"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><use xlink:href="//cdn.example/s.svg#a"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(http://fonts.example/f.css);</style></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><rect onload="alert(1)"/></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><rect/></a></svg>',
        '<?xml-stylesheet href="s.css"?><svg xmlns="http://www.w3.org/2000/svg"/>',
    ],
)
def test_self_contained_refuses_scripts_and_external_references(svg):
    assert not self_contained(svg)


def test_self_contained_accepts_namespaces_only():
    assert self_contained(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><rect/></svg>'
    )


def test_reports_are_for_admins_only(client, editor_client, operators):
    for url in (
        "/admin/reports/placements/",
        "/admin/reports/placements/export.csv",
        "/admin/reports/statements/",
        "/admin/reports/statements/export.csv?school=1&month=2025-03",
    ):
        assert editor_client.get(url).status_code == 403, url
        anonymous = client.get(url)
        assert anonymous.status_code == 302 and anonymous.headers["Location"].startswith("/admin/login"), url
    assert editor_client.get("/admin/").status_code == 302  # editors land on their desk, no figures


def test_the_menu_lists_the_reports(admin_client):
    page = admin_client.get("/admin/").text
    assert 'href="/admin/reports/placements/"' in page and 'href="/admin/reports/statements/"' in page
