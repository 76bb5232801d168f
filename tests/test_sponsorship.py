"""Sponsorship: eligibility in every state and at the edges of caps and days, the rotation,
which programs are paid, and signed links that cannot be forged."""

from __future__ import annotations

import random
import re
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from core.extensions import db
from listings.business_time import business_day, month_bounds
from listings.impressions import flush_counters
from listings.models import Category, Placement, PlacementStat, Program, School
from listings.placement_state import PlacementState, placement_state
from listings.sponsorship import (
    PlacementView,
    choose_slots,
    click_token,
    eligible_placements,
    placement_token,
    read_click_token,
    read_placement_token,
    sponsored_programs,
    sponsored_slots,
)
from listings.stats import add_to_day
from tests import factories

TODAY = date(2026, 3, 18)


def flight(**fields) -> Placement:
    """A transient placement running around TODAY."""
    values = {
        "starts_on": TODAY - timedelta(days=10),
        "ends_on": TODAY + timedelta(days=10),
        "paused": False,
        "price_per_lead_cents": 2500,
        "daily_cap": None,
        "monthly_cap": None,
        "budget_cents": None,
    }
    return Placement(**{**values, **fields})


def state(placement: Placement, today: date = TODAY, leads_today=0, leads_this_month=0, spend_total=0):
    return placement_state(
        placement, today=today, leads_today=leads_today, leads_this_month=leads_this_month, spend_total=spend_total
    )


# --- the state function, every state and every edge -------------------------------------


def test_every_state():
    assert state(flight()) is PlacementState.ACTIVE
    assert state(flight(starts_on=TODAY + timedelta(days=1))) is PlacementState.SCHEDULED
    assert state(flight(ends_on=TODAY - timedelta(days=1), starts_on=TODAY - timedelta(days=9))) is PlacementState.ENDED
    assert state(flight(paused=True)) is PlacementState.PAUSED
    assert state(flight(daily_cap=5), leads_today=5) is PlacementState.CAPPED_TODAY
    assert state(flight(monthly_cap=50), leads_this_month=50) is PlacementState.CAPPED_MONTH
    assert state(flight(budget_cents=10_000), spend_total=10_000) is PlacementState.BUDGET_SPENT


def test_first_and_last_day_of_a_flight_are_inside_it():
    assert state(flight(starts_on=TODAY)) is PlacementState.ACTIVE
    assert state(flight(ends_on=TODAY)) is PlacementState.ACTIVE
    assert state(flight(starts_on=TODAY, ends_on=TODAY)) is PlacementState.ACTIVE


@pytest.mark.parametrize(
    ("cap_field", "counter", "capped_state"),
    [
        ("daily_cap", "leads_today", PlacementState.CAPPED_TODAY),
        ("monthly_cap", "leads_this_month", PlacementState.CAPPED_MONTH),
    ],
)
def test_caps_at_their_edges(cap_field, counter, capped_state):
    placement = flight(**{cap_field: 10})
    assert state(placement, **{counter: 9}) is PlacementState.ACTIVE  # one lead left
    assert state(placement, **{counter: 10}) is capped_state
    assert state(placement, **{counter: 11}) is capped_state  # a race past the cap stays capped
    assert state(flight(**{cap_field: 0})) is capped_state  # a zero cap never shows


def test_budget_at_its_edge_is_spent_when_one_more_lead_cannot_be_paid():
    placement = flight(budget_cents=10_000, price_per_lead_cents=2_500)
    assert state(placement, spend_total=7_500) is PlacementState.ACTIVE  # exactly one lead's worth left
    assert state(placement, spend_total=7_501) is PlacementState.BUDGET_SPENT
    assert state(placement, spend_total=10_000) is PlacementState.BUDGET_SPENT


def test_dates_and_pause_outrank_caps():
    ended = flight(starts_on=TODAY - timedelta(days=9), ends_on=TODAY - timedelta(days=1), paused=True, daily_cap=1)
    assert state(ended, leads_today=5) is PlacementState.ENDED
    assert state(flight(paused=True, daily_cap=1), leads_today=5) is PlacementState.PAUSED
    assert (
        state(flight(daily_cap=1, monthly_cap=1, budget_cents=1), leads_today=1, leads_this_month=1, spend_total=1)
        is PlacementState.BUDGET_SPENT
    )


# --- eligibility from the database ------------------------------------------------------


@pytest.fixture
def market(app):
    """One category with a school per state of placement, each flight with its counters."""
    with app.app_context():
        category = factories.category(name="Healthcare")
        other = factories.category(name="Trades")
        made = {}

        def school_with_program(label):
            school = factories.school(name=f"{label.title()} School")
            program = factories.program(school, category, name=f"{label.title()} Program")
            return school, program

        specs = {
            "active": {},
            "scheduled": {"starts_on": TODAY + timedelta(days=1)},
            "ended": {"starts_on": TODAY - timedelta(days=20), "ends_on": TODAY - timedelta(days=1)},
            "paused": {"paused": True},
            "capped_today": {"daily_cap": 3},
            "capped_month": {"monthly_cap": 10},
            "budget_spent": {"budget_cents": 10_000},
            "under_caps": {"daily_cap": 3, "monthly_cap": 20, "budget_cents": 10_000},
        }
        for label, fields in specs.items():
            school, program = school_with_program(label)
            placement = factories.placement(school, category, today=TODAY, name=label, **fields)
            made[label] = {"placement": placement.id, "program": program.id, "school": school.id}
        # Counters: today, earlier this month, last month.
        add_to_day(db.session, made["capped_today"]["placement"], TODAY, leads=3, spend_cents=7500)
        add_to_day(db.session, made["capped_month"]["placement"], TODAY - timedelta(days=3), leads=10)
        add_to_day(
            db.session, made["budget_spent"]["placement"], TODAY - timedelta(days=20), leads=4, spend_cents=10_000
        )
        add_to_day(db.session, made["under_caps"]["placement"], TODAY, leads=2, spend_cents=5_000)
        add_to_day(db.session, made["under_caps"]["placement"], TODAY - timedelta(days=2), leads=7, spend_cents=2_500)
        add_to_day(db.session, made["under_caps"]["placement"], TODAY - timedelta(days=40), leads=50)  # last month
        # Same school, other category: never eligible for this one.
        other_school = factories.school(name="Elsewhere School")
        elsewhere = factories.program(other_school, other)
        factories.placement(other_school, other, today=TODAY, name="other category")
        # An inactive school's placement is never shown.
        closed = factories.school(name="Closed School", active=False)
        factories.program(closed, category)
        factories.placement(closed, category, today=TODAY, name="closed school")
        db.session.commit()
        return {"category": category.id, "other": other.id, "elsewhere_program": elsewhere.id, **made}


def test_eligible_placements_are_exactly_the_active_ones(app, market):
    with app.app_context():
        views = eligible_placements(market["category"], today=TODAY)
        names = {view.placement.name for view in views}
        assert names == {"active", "under_caps"}
        under = next(view for view in views if view.placement.name == "under_caps")
        assert (under.leads_today, under.leads_this_month, under.spend_total) == (2, 9, 5_000 + 2_500)
        # school and target program are loaded with it; nothing else may be touched lazily
        assert under.placement.school.name == "Under_Caps School"


def test_eligible_placements_costs_two_statements(app, market):
    with app.app_context():
        statements = []

        def record(_conn, _cursor, statement, *_args):
            statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", record)
        try:
            eligible_placements(market["category"], today=TODAY)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", record)
        assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 2, statements


def test_the_cap_reached_one_lead_later_turns_a_placement_off(app, market):
    with app.app_context():
        placement_id = market["under_caps"]["placement"]
        add_to_day(db.session, placement_id, TODAY, leads=1)  # 3 today: the daily cap
        db.session.commit()
        assert placement_id not in {v.placement.id for v in eligible_placements(market["category"], today=TODAY)}
        # ... and back on the next business day.
        assert placement_id in {
            v.placement.id for v in eligible_placements(market["category"], today=TODAY + timedelta(days=1))
        }


# --- business days across midnight -------------------------------------------------------

# 2026-03-10 is on Eastern Daylight Time (UTC-4): 03:59 UTC is 23:59 on the 9th in New York.
BEFORE_MIDNIGHT = datetime(2026, 3, 10, 3, 59, tzinfo=UTC)
AFTER_MIDNIGHT = datetime(2026, 3, 10, 4, 1, tzinfo=UTC)


def test_business_day_turns_at_midnight_in_the_business_timezone(app):
    with app.app_context():
        assert business_day(BEFORE_MIDNIGHT) == date(2026, 3, 9)
        assert business_day(AFTER_MIDNIGHT) == date(2026, 3, 10)
        assert month_bounds(date(2026, 2, 14)) == (date(2026, 2, 1), date(2026, 2, 28))
        with pytest.raises(ValueError):
            business_day(datetime(2026, 3, 10, 3, 59))  # naive


@pytest.mark.app_config(environ={"BUSINESS_TIMEZONE": "America/Los_Angeles"})
def test_business_day_follows_the_configured_zone(app):
    with app.app_context():
        assert business_day(datetime(2026, 3, 10, 6, 59, tzinfo=UTC)) == date(2026, 3, 9)
        assert business_day(datetime(2026, 3, 10, 7, 1, tzinfo=UTC)) == date(2026, 3, 10)


def test_a_flight_ending_today_runs_until_midnight_in_new_york(app):
    with app.app_context():
        category = factories.category()
        school = factories.school()
        factories.program(school, category)
        factories.placement(school, category, starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 9))
        db.session.commit()
        assert eligible_placements(category.id, today=business_day(BEFORE_MIDNIGHT))
        assert not eligible_placements(category.id, today=business_day(AFTER_MIDNIGHT))


def test_a_daily_cap_resets_at_midnight_in_new_york(app):
    with app.app_context():
        category = factories.category()
        school = factories.school()
        factories.program(school, category)
        placement = factories.placement(
            school, category, starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 31), daily_cap=2
        )
        add_to_day(db.session, placement.id, date(2026, 3, 9), leads=2)
        db.session.commit()
        assert not eligible_placements(category.id, today=business_day(BEFORE_MIDNIGHT))
        assert eligible_placements(category.id, today=business_day(AFTER_MIDNIGHT))


def test_a_monthly_cap_resets_on_the_first_in_new_york(app):
    with app.app_context():
        category = factories.category()
        school = factories.school()
        factories.program(school, category)
        placement = factories.placement(
            school, category, starts_on=date(2026, 3, 1), ends_on=date(2026, 4, 30), monthly_cap=5
        )
        add_to_day(db.session, placement.id, date(2026, 3, 2), leads=5)
        db.session.commit()
        # 2026-04-01 00:01 EDT is 04:01 UTC; a minute before midnight it is still March.
        assert not eligible_placements(category.id, today=business_day(datetime(2026, 4, 1, 3, 59, tzinfo=UTC)))
        assert eligible_placements(category.id, today=business_day(datetime(2026, 4, 1, 4, 1, tzinfo=UTC)))


# --- the rotation ----------------------------------------------------------------------------


def _views(bids: list[int]) -> tuple[list[PlacementView], dict]:
    views, showable = [], {}
    for n, bid in enumerate(bids, 1):
        placement = flight(price_per_lead_cents=bid)
        placement.id = n
        program = Program(id=100 + n, name=f"P{n}")
        views.append(PlacementView(placement, PlacementState.ACTIVE, 0, 0, 0))
        showable[n] = [program]
    return views, showable


def test_rotation_shows_each_placement_in_proportion_to_its_bid():
    views, showable = _views([1000, 2000, 3000])
    rng = random.Random(20260318)
    draws = 6000
    first = Counter(choose_slots(views, showable, 1, rng)[0][0].id for _ in range(draws))
    for placement_id, expected in ((1, 1 / 6), (2, 2 / 6), (3, 3 / 6)):
        assert abs(first[placement_id] / draws - expected) < 0.02, first


def test_rotation_gives_every_slot_its_fair_share_over_many_views():
    """With more placements than slots, a higher bid is shown more often, and every
    placement is shown some of the time."""
    views, showable = _views([500, 1000, 2000, 4000, 8000])
    rng = random.Random(7)
    shown = Counter()
    for _ in range(4000):
        chosen = choose_slots(views, showable, 3, rng)
        assert len(chosen) == 3 and len({placement.id for placement, _ in chosen}) == 3
        shown.update(placement.id for placement, _ in chosen)
    assert shown[1] < shown[2] < shown[3] < shown[4] < shown[5]
    assert shown[1] > 0.05 * 4000


def test_rotation_never_shows_a_program_twice_and_rotates_a_school_wide_placement():
    views, showable = _views([1000, 1000])
    shared = showable[1][0]
    showable[2] = [shared]  # both placements can only show the same program
    chosen = choose_slots(views, showable, 3, random.Random(1))
    assert len(chosen) == 1
    views, showable = _views([1000])
    showable[1] = [Program(id=n, name=f"P{n}") for n in (201, 202, 203)]
    rng = random.Random(3)
    picks = Counter(choose_slots(views, showable, 1, rng)[0][1].id for _ in range(3000))
    assert set(picks) == {201, 202, 203} and min(picks.values()) > 900


def test_sponsored_slots_draws_from_the_database_with_the_configured_number(app, market):
    with app.test_request_context():
        category_id = market["category"]
        category = db.session.get(Category, category_id)
        for n in range(4):
            school = factories.school(name=f"Extra {n}")
            factories.program(school, category)
            factories.placement(school, category, today=TODAY, name=f"extra {n}")
        db.session.commit()
        items = sponsored_slots(category_id, today=TODAY, rng=random.Random(5))
        assert len(items) == app.config["SPONSORED_SLOTS"] == 3
        assert len({item.program.id for item in items}) == 3
        assert sponsored_slots(category_id, today=TODAY, slots=0) == []
        many = sponsored_slots(category_id, today=TODAY, slots=10)
        # Only ACTIVE placements of active schools, each once.
        assert sorted(i.placement.name for i in many) == sorted(
            ["active", "under_caps"] + [f"extra {n}" for n in range(4)]
        )
        for item in many:
            assert read_click_token(item.token) == (item.placement.id, item.program.id)
            assert item.go_url == "/go/" + item.token
            assert item.program.school.name and item.program.campus is None  # loaded for rendering


def test_a_targeted_placement_shows_its_program_and_a_school_wide_one_any_of_the_school(app):
    with app.app_context():
        category = factories.category()
        elsewhere = factories.category()
        school = factories.school()
        chosen = factories.program(school, category, name="Chosen")
        factories.program(school, category, name="Other")
        factories.program(school, elsewhere, name="Wrong field")
        targeted = factories.placement(school, category, program_id=chosen.id, today=TODAY)
        db.session.commit()
        items = sponsored_slots(category.id, today=TODAY, slots=3)
        assert [(i.placement.id, i.program.name) for i in items] == [(targeted.id, "Chosen")]
        targeted.program_id = None
        db.session.commit()
        names = Counter(
            sponsored_slots(category.id, today=TODAY, slots=1, rng=random.Random(n))[0].program.name for n in range(60)
        )
        assert set(names) == {"Chosen", "Other"}


def test_a_placement_with_nothing_listed_to_show_is_skipped(app):
    with app.app_context():
        category = factories.category()
        school = factories.school()
        program = factories.program(school, category, active=False)
        factories.placement(school, category, program_id=program.id, today=TODAY)
        bare = factories.school()
        factories.placement(bare, category, today=TODAY)  # no program at all
        db.session.commit()
        assert sponsored_slots(category.id, today=TODAY) == []


def test_sponsored_programs_labels_targeted_and_school_wide_flights_only(app, market):
    with app.app_context():
        category = db.session.get(Category, market["category"])
        active_school = db.session.get(School, market["active"]["school"])
        second = factories.program(active_school, category, name="Second program")
        other_field = factories.program(active_school, factories.category(), name="Other field")
        under_school = db.session.get(School, market["under_caps"]["school"])
        untargeted = factories.program(under_school, category, name="Not the target")
        placement = db.session.get(Placement, market["under_caps"]["placement"])
        placement.program_id = market["under_caps"]["program"]
        db.session.commit()
        programs = db.session.scalars(sa.select(Program)).all()
        paid = sponsored_programs(programs, today=TODAY)
        assert set(paid) == {
            market["active"]["program"],
            second.id,
            market["under_caps"]["program"],
            market["elsewhere_program"],  # its own school's flight in its own field
        }
        assert other_field.id not in paid and untargeted.id not in paid
        assert paid[second.id].placement.id == market["active"]["placement"]
        assert read_click_token(paid[second.id].token) == (market["active"]["placement"], second.id)


def test_a_targeting_placement_wins_over_a_school_wide_one(app):
    with app.app_context():
        category = factories.category()
        school = factories.school()
        program = factories.program(school, category)
        wide = factories.placement(school, category, price_per_lead_cents=9000)
        narrow = factories.placement(school, category, program_id=program.id, price_per_lead_cents=1000)
        db.session.commit()
        assert sponsored_programs([program])[program.id].placement.id == narrow.id != wide.id


# --- signed tokens ------------------------------------------------------------------------


def test_tokens_round_trip_and_are_not_interchangeable(app):
    with app.test_request_context():
        click = click_token(7, 42)
        attribution = placement_token(7, 42)
        assert read_click_token(click) == (7, 42)
        assert read_placement_token(attribution) == (7, 42)
        assert read_click_token(attribution) is None  # another salt
        assert read_placement_token(click) is None
        assert click_token(8, 42) != click and click_token(7, 43) != click


@pytest.mark.parametrize(
    "token",
    ["", "x", "a" * 2000, "....", "WzcsNDJd", "WzcsNDJd.aaaa.bbbb", "null", "\x00", "é", "%00"],
)
def test_garbage_tokens_read_as_none(app, token):
    with app.test_request_context():
        assert read_click_token(token) is None
        assert read_placement_token(token) is None


def test_a_tampered_or_foreign_token_reads_as_none(app):
    from itsdangerous import URLSafeTimedSerializer

    with app.test_request_context():
        genuine = click_token(7, 42)
        payload, rest = genuine.split(".", 1)
        forged_payload = URLSafeTimedSerializer("x").dump_payload([8, 42]).decode()
        assert read_click_token(forged_payload + "." + rest) is None  # another placement's payload
        flipped = genuine[:-6] + ("A" if genuine[-6] != "A" else "B") + genuine[-5:]
        assert read_click_token(flipped) is None
        other_key = URLSafeTimedSerializer("another-secret", salt="prospectus.sponsored-click.v1").dumps([7, 42])
        assert read_click_token(other_key) is None
        wrong_shape = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="prospectus.sponsored-click.v1")
        for payload in ([7], [7, 42, 1], ["7", "42"], [7, -1], [True, 42], {"p": 7}):
            assert read_click_token(wrong_shape.dumps(payload)) is None


def test_an_old_token_reads_as_none(app):
    with app.test_request_context():
        token = click_token(7, 42)
        assert read_click_token(token, max_age=3600) == (7, 42)
        assert read_click_token(token, max_age=-1) is None
        assert read_placement_token(placement_token(7, 42), max_age=-1) is None


# --- /go/: counting a click, refusing forgeries ---------------------------------------------

READER = {
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
}


@pytest.fixture
def paid_program(app):
    with app.app_context():
        category = factories.category()
        school = factories.school()
        program = factories.program(school, category)
        placement = factories.placement(school, category)
        other = factories.placement(factories.school(), category)
        db.session.commit()
        return {"placement": placement.id, "program": program.id, "other": other.id}


def clicks_of(app, placement_id: int) -> int:
    with app.app_context():
        flush_counters()
        return db.session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(PlacementStat.clicks), 0)).where(
                PlacementStat.placement_id == placement_id
            )
        )


def test_go_counts_the_click_and_lands_on_the_request_form_with_an_attribution_token(app, client, paid_program):
    with app.test_request_context():
        token = click_token(paid_program["placement"], paid_program["program"])
    response = client.get(f"/go/{token}", headers=READER)
    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert target.path == "/request-info"
    query = parse_qs(target.query)
    assert query["program"] == [str(paid_program["program"])]
    with app.test_request_context():
        assert read_placement_token(query["placement"][0]) == (paid_program["placement"], paid_program["program"])
    assert response.headers["Cache-Control"] == "no-store"
    assert "noindex" in response.headers["X-Robots-Tag"]
    assert clicks_of(app, paid_program["placement"]) == 1
    client.get(f"/go/{token}", headers=READER)
    assert clicks_of(app, paid_program["placement"]) == 2


def test_go_refuses_forged_tokens_with_a_friendly_404_and_counts_nothing(app, client, paid_program):
    from itsdangerous import URLSafeTimedSerializer

    with app.test_request_context():
        genuine = click_token(paid_program["placement"], paid_program["program"])
        attribution = placement_token(paid_program["placement"], paid_program["program"])
        payload, rest = genuine.split(".", 1)
        swapped = URLSafeTimedSerializer("x").dump_payload([paid_program["other"], paid_program["program"]]).decode()
    forged = [
        genuine[:-6] + ("A" if genuine[-6] != "A" else "B") + genuine[-5:],  # tampered signature
        swapped + "." + rest,  # another placement's payload under this signature
        attribution,  # a token of the other salt
        URLSafeTimedSerializer("wrong-key", salt="prospectus.sponsored-click.v1").dumps(
            [paid_program["placement"], paid_program["program"]]
        ),
        "not-a-token",
    ]
    for token in forged:
        response = client.get(f"/go/{token}", headers=READER)
        assert response.status_code == 404, token
        assert "This link does not work" in response.text
    assert clicks_of(app, paid_program["placement"]) == 0
    assert clicks_of(app, paid_program["other"]) == 0


@pytest.mark.parametrize(
    "user_agent",
    [
        "",
        "Googlebot/2.1 (+http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0 Safari/537.36",
        "facebookexternalhit/1.1",
        "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
        "curl/8.5.0",
        "python-requests/2.32",
    ],
)
def test_go_redirects_robots_without_counting_them(app, client, paid_program, user_agent):
    with app.test_request_context():
        token = click_token(paid_program["placement"], paid_program["program"])
    response = client.get(f"/go/{token}", headers={"User-Agent": user_agent})
    assert response.status_code == 302
    assert clicks_of(app, paid_program["placement"]) == 0


def test_go_head_request_is_not_a_click(app, client, paid_program):
    with app.test_request_context():
        token = click_token(paid_program["placement"], paid_program["program"])
    assert client.head(f"/go/{token}", headers=READER).status_code == 302
    assert clicks_of(app, paid_program["placement"]) == 0


def test_go_with_a_stale_token_still_reaches_the_program_but_counts_nothing(app, client, paid_program, monkeypatch):
    import listings.sponsorship as sponsorship

    with app.test_request_context():
        token = click_token(paid_program["placement"], paid_program["program"])
    monkeypatch.setattr(sponsorship, "CLICK_TOKEN_MAX_AGE", -1)
    monkeypatch.setattr(sponsorship.read_click_token, "__kwdefaults__", {"max_age": -1})
    response = client.get(f"/go/{token}", headers=READER)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/request-info?program={paid_program['program']}"
    assert clicks_of(app, paid_program["placement"]) == 0


def test_go_links_are_sponsored_nofollow_and_kept_from_crawlers(app, client, paid_program):
    with app.app_context():
        slug = db.session.get(School, db.session.get(Placement, paid_program["placement"]).school_id).slug
    html = client.get(f"/schools/{slug}").text
    links = re.findall(r'<a [^>]*href="(/go/[^"]+)"[^>]*>', html)
    assert links
    assert all('rel="sponsored nofollow"' in tag for tag in re.findall(r'<a [^>]*href="/go/[^"]+"[^>]*>', html))
    assert "Disallow: /go/" in client.get("/robots.txt").text
