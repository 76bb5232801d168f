"""An operator reads the reports in a real browser, under the real CSP: the dashboard's
charts are drawn (SVG images from data: URIs) without a policy violation, the delivery
warning is visible, and the placement report and a statement open from the menu."""

from __future__ import annotations

import re

import pytest

from admin.models import Operator
from admin.passwords import hash_password
from core.extensions import db
from tests.admin.builders import lead_with_deliveries

pytestmark = [pytest.mark.browser, pytest.mark.app_config(WTF_CSRF_ENABLED=True)]

EMAIL, PASSWORD = "analyst@prospectus.test", "a long enough passphrase"


@pytest.fixture
def operator(live_app):
    with live_app.app_context():
        db.session.add(Operator(email=EMAIL, password_hash=hash_password(PASSWORD), role="admin"))
        db.session.commit()
        lead_with_deliveries(placement=True, dispatch_status="dead")
        lead_with_deliveries(email="other@example.com", placement=True)


def test_the_dashboard_charts_and_reports_in_a_browser(page, live_server, operator):
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.goto(live_server + "/admin/login")
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/admin/$"))

    assert page.locator('[data-delivery-warning="dead"]').is_visible()
    charts = page.locator("img.report-chart")
    assert charts.count() == 3
    for index in range(charts.count()):
        drawn = charts.nth(index).evaluate("img => img.complete && img.naturalWidth > 0")
        assert drawn, f"chart {index} was not drawn"
        assert charts.nth(index).bounding_box()["height"] > 100
    assert page.get_by_role("table", name=re.compile("Deliveries per day by status")).is_visible()

    page.get_by_role("button", name="Reports").click()
    page.get_by_role("link", name="Placement report", exact=True).click()
    page.wait_for_url(re.compile(r"/admin/reports/placements/$"))
    assert page.locator("[data-placement-report] tbody tr").count() >= 1

    page.get_by_role("button", name="Reports").click()
    page.get_by_role("link", name="Monthly statements", exact=True).click()
    page.get_by_label("School").select_option(index=1)
    page.get_by_role("button", name="Show the statement").click()
    page.wait_for_url(re.compile(r"/admin/reports/statements/\?school="))
    assert page.locator("[data-statement-totals]").is_visible()
    assert [text for text in problems if "favicon" not in text and "404" not in text] == []
