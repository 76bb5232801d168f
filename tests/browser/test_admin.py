"""An operator, with only a browser: signs in, opens a lead with its deliveries, sends a
dead dispatch again and pauses a placement — under the real CSP, with CSRF on."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from admin.models import Operator
from admin.passwords import hash_password
from core.extensions import db
from leads.models import Dispatch
from listings.models import Placement
from tests.admin.builders import lead_with_deliveries

pytestmark = [pytest.mark.browser, pytest.mark.app_config(WTF_CSRF_ENABLED=True)]

EMAIL, PASSWORD = "operator@prospectus.test", "a long enough passphrase"


@pytest.fixture
def back_office(live_app):
    """An operator, a lead whose school e-mail is dead, and an active demo placement."""
    with live_app.app_context():
        db.session.add(Operator(email=EMAIL, password_hash=hash_password(PASSWORD), role="admin"))
        db.session.commit()
        lead = lead_with_deliveries(first_name="Grace", last_name="Hopper", dispatch_status="dead")
        dispatch_id = db.session.scalar(sa.select(Dispatch.id).where(Dispatch.lead_id == lead.id).limit(1))
        placement = db.session.scalar(
            sa.select(Placement).where(Placement.paused.is_(False), Placement.name.like("%(active)")).limit(1)
        )
        return {"lead": lead.id, "dispatch": dispatch_id, "placement": placement.id, "placement_name": placement.name}


@pytest.fixture
def signed_in(page, live_server, back_office):
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(live_server + "/admin/lead/")
    page.wait_for_url(re.compile(r"/admin/login\?next="))
    page.get_by_label("E-mail").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/admin/lead/$"))
    yield page
    assert violations == []


def test_open_a_lead_with_its_deliveries_and_pause_a_placement(signed_in, live_server, live_app, back_office):
    page = signed_in
    page.locator(f'a[href="/admin/lead/{back_office["lead"]}"]').first.click()
    page.wait_for_url(re.compile(rf"/admin/lead/{back_office['lead']}$"))
    assert "Grace Hopper" in page.get_by_role("heading", level=1).inner_text()
    assert page.locator("[data-deliveries] [data-delivery-id]").count() == 2
    assert page.locator('[data-dispatches] [data-status="dead"]').count() == 2
    assert page.locator("[data-consent]").is_visible()

    page.get_by_role("link", name="Placements").click()
    page.locator(f'a[href^="/admin/placement/details/?id={back_office["placement"]}&"]').first.click()
    assert page.locator("h2 [data-state]").get_attribute("data-state") == "active"
    page.get_by_role("button", name="Pause").click()
    page.wait_for_load_state()
    assert "1 placement paused." in page.locator("main").inner_text()
    assert page.locator("h2 [data-state]").get_attribute("data-state") == "paused"
    with live_app.app_context():
        assert db.session.get(Placement, back_office["placement"]).paused is True


def test_send_a_dead_dispatch_again(signed_in, live_server, live_app, back_office):
    pytest.importorskip("leads.redelivery", reason="leads.redelivery.redeliver_dispatch is not written yet")
    page = signed_in
    page.goto(live_server + f"/admin/lead/{back_office['lead']}")
    row = page.locator(f'[data-dispatch-id="{back_office["dispatch"]}"]')
    row.get_by_role("button", name="Redeliver").click()
    page.wait_for_url(re.compile(r"#dispatches$"))
    assert "will be sent again shortly" in page.locator("main").inner_text()
    assert page.locator(f'[data-dispatch-id="{back_office["dispatch"]}"]').get_attribute("data-status") != "dead"
    with live_app.app_context():
        assert db.session.get(Dispatch, back_office["dispatch"]).status != "dead"
