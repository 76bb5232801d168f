"""Billing: which placement a delivery is sold under, caps and budget reserved atomically,
reservations given back by dead and returned deliveries."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from core.extensions import db
from leads.dispatch import run_dispatch
from leads.errors import ActionRefused
from leads.models import Delivery, DeliveryStatus, Dispatch, DispatchKind
from leads.returns import mark_delivery_returned
from listings.business_time import business_today
from listings.models import PlacementStat
from listings.placement_state import PlacementState
from listings.sponsorship import eligible_placements, placement_token
from tests import factories
from tests.leads.helpers import form_data


@pytest.fixture
def market(app):
    """One category; school A with two running placements (a generic and a better bid), B without."""
    with app.app_context():
        today = business_today()
        category = factories.category()
        school_a, school_b = factories.school(name="Alpha"), factories.school(name="Beta")
        program_a = factories.program(school_a, category, name="Alpha Cert")
        program_b = factories.program(school_b, category, name="Beta Cert")
        cheap = factories.placement(school_a, category, today=today, price_per_lead_cents=1500, daily_cap=2)
        dear = factories.placement(school_a, category, today=today, price_per_lead_cents=4000, daily_cap=2)
        db.session.commit()
        return {"a": program_a.id, "b": program_b.id, "cheap": cheap.id, "dear": dear.id, "category": category.id}


def send(app, client, program_ids, n=0, placement=None):
    url = f"/request-info?program={program_ids[0]}"
    data = form_data(app, program_ids, email=f"r{n}@example.com", phone=f"(312) 200-{n:04d}")
    if placement:
        data["placement"] = placement
    assert client.post(url, data=data).status_code == 303


def deliveries(app):
    with app.app_context():
        return [
            (d.program_id, d.placement_id, d.price_cents, d.billable)
            for d in db.session.scalars(sa.select(Delivery).order_by(Delivery.id))
        ]


def test_without_a_token_the_schools_best_running_placement_sells(app, client, market):
    send(app, client, [market["a"], market["b"]])
    assert deliveries(app) == [(market["a"], market["dear"], 4000, True), (market["b"], None, 0, False)]


def test_the_token_of_the_page_the_reader_came_through_wins(app, client, market):
    with app.app_context():
        token = placement_token(market["cheap"], market["a"])
    send(app, client, [market["a"]], placement=token)
    assert deliveries(app) == [(market["a"], market["cheap"], 1500, True)]


def test_a_forged_token_is_ignored(app, client, market):
    send(app, client, [market["a"]], placement="forged.token")
    assert deliveries(app)[0][1] == market["dear"]


def test_the_cap_turns_a_placement_capped_at_once_and_later_leads_are_delivered_unbilled(app, client, market):
    for n in range(3):
        send(app, client, [market["a"]], n=n, placement=None)
    # dear takes two (its daily cap), then cheap is the best running one.
    assert [d[1:] for d in deliveries(app)] == [(market["dear"], 4000, True), (market["dear"], 4000, True),
                                               (market["cheap"], 1500, True)]
    with app.app_context():
        ids = {view.placement.id: view.state for view in eligible_placements(market["category"])}
        assert market["dear"] not in ids  # capped today: no longer shown as sponsored
    send(app, client, [market["a"]], n=3)
    send(app, client, [market["a"]], n=4)
    # Both capped now: the reader's explicit request is still delivered, not billed.
    assert deliveries(app)[-1] == (market["a"], market["dear"], 0, False)
    with app.app_context():
        assert len(db.session.scalars(sa.select(Dispatch).where(Dispatch.kind == DispatchKind.SCHOOL_EMAIL)).all()) == 5
        stats = {s.placement_id: (s.leads, s.spend_cents) for s in db.session.scalars(sa.select(PlacementStat))}
    assert stats == {market["dear"]: (2, 8000), market["cheap"]: (2, 3000)}


def test_budget_is_never_overspent(app, client, market):
    with app.app_context():
        today = business_today()
        category = factories.category()
        school = factories.school()
        program = factories.program(school, category)
        factories.placement(school, category, today=today, price_per_lead_cents=3000, budget_cents=7000)
        db.session.commit()
        program_id = program.id
    for n in range(4):
        send(app, client, [program_id], n=10 + n)
    billed = [d for d in deliveries(app) if d[0] == program_id and d[3]]
    assert len(billed) == 2  # 6,000 spent; 1,000 left cannot pay for a third lead


def test_a_dead_delivery_gives_its_reservation_back(app, client, market):
    app.config["MAIL_PORT"] = 1
    app.extensions["mail"].port = 1  # nothing listens: every try fails
    send(app, client, [market["a"]])
    with app.app_context():
        email = db.session.scalars(sa.select(Dispatch).where(Dispatch.kind == DispatchKind.SCHOOL_EMAIL)).one()
        for _ in range(len(app.config["RETRY_SCHEDULE"]) + 1):
            db.session.execute(sa.update(Dispatch).where(Dispatch.id == email.id).values(
                next_attempt_at=email.created_at - timedelta(seconds=1)))
            db.session.commit()
            run_dispatch(email.id)
        delivery = db.session.scalars(sa.select(Delivery)).one()
        assert delivery.status == DeliveryStatus.DEAD and not delivery.billable
        stat = db.session.scalars(sa.select(PlacementStat)).one()
        assert (stat.leads, stat.spend_cents) == (0, 0)


def test_a_return_gives_the_reservation_back_and_needs_a_reason(app, client, market):
    send(app, client, [market["a"]])
    with app.app_context():
        delivery = db.session.scalars(sa.select(Delivery)).one()
        with pytest.raises(ActionRefused, match="Only a delivered lead"):
            mark_delivery_returned(delivery.id, "wrong number")
        delivery.status = DeliveryStatus.DELIVERED
        db.session.commit()
        with pytest.raises(ActionRefused, match="reason"):
            mark_delivery_returned(delivery.id, "   ")
        returned = mark_delivery_returned(delivery.id, "Phone number disconnected")
        assert returned.status == DeliveryStatus.RETURNED and not returned.billable
        assert returned.return_reason == "Phone number disconnected"
        stat = db.session.scalars(sa.select(PlacementStat)).one()
        assert (stat.leads, stat.spend_cents) == (0, 0)
        assert {v.placement.id: v.state for v in eligible_placements(market["category"])}[market["dear"]] is PlacementState.ACTIVE
