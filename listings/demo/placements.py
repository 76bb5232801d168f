"""Demo sponsored placements: one or more in every derived state, with their counters.

States are derived (listings/placement_state.py), so the demo produces each one the
only honest way: through dates relative to today, the pause flag, caps, budgets and
daily counters. Everything is computed from `today` (a business-timezone date) and a
fixed seed, so re-seeding on another day moves the flights along with it and puts
each placement back into its intended state."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import NamedTuple

from listings.demo.categories import CATEGORIES
from listings.demo.schools import SchoolSpec, demo_schools
from listings.placement_state import PlacementState as S

SEED = "prospectus-demo-placements"
HISTORY_DAYS = 14


class StatSpec(NamedTuple):
    day: date
    impressions: int
    clicks: int
    leads: int
    spend_cents: int


class PlacementSpec(NamedTuple):
    name: str  # the natural key
    school_slug: str
    category: str
    program_name: str | None
    starts_on: date
    ends_on: date
    paused: bool
    price_per_lead_cents: int
    daily_cap: int | None
    monthly_cap: int | None
    budget_cents: int | None
    intended: S  # what placement_state() should say on `today`; the tests hold the seed to it
    stats: tuple[StatSpec, ...]


class _Flight(NamedTuple):
    intended: S
    category: str
    nth_school: int  # which school of those whose primary field is `category`
    label: str
    price: int
    daily_cap: int | None = None
    monthly_cap: int | None = None
    budget: int | None = None
    program: bool = False  # targets one program rather than the whole category


# At least two active flights with different bids in healthcare and technology, so
# the rotation has something to rank; then one flight per other state.
FLIGHTS: tuple[_Flight, ...] = (
    _Flight(S.ACTIVE, "healthcare", 0, "evergreen flight", 4_500, daily_cap=25, monthly_cap=400, budget=2_500_000),
    _Flight(S.ACTIVE, "healthcare", 1, "open-ended flight", 3_800),
    _Flight(S.ACTIVE, "healthcare", 2, "single-program flight", 5_200, daily_cap=15, monthly_cap=250, budget=1_800_000,
            program=True),
    _Flight(S.ACTIVE, "technology", 0, "evergreen flight", 6_000, daily_cap=20, monthly_cap=300, budget=3_000_000),
    _Flight(S.ACTIVE, "technology", 1, "open-ended flight", 4_200),
    _Flight(S.ACTIVE, "legal", 0, "evergreen flight", 3_500, daily_cap=20, budget=1_500_000),
    _Flight(S.SCHEDULED, "healthcare", 3, "next flight", 4_000, daily_cap=20, budget=1_000_000),
    _Flight(S.PAUSED, "business", 0, "held flight", 3_200, daily_cap=15),
    _Flight(S.CAPPED_TODAY, "skilled-trades", 0, "daily-capped flight", 2_800, daily_cap=6, budget=2_000_000),
    _Flight(S.CAPPED_MONTH, "criminal-justice", 0, "monthly-capped flight", 2_500, monthly_cap=40),
    _Flight(S.BUDGET_SPENT, "legal", 1, "spent flight", 3_000, budget=120_000),
    _Flight(S.ENDED, "business", 1, "past flight", 4_000, budget=500_000),
)


def _stat(rng: random.Random, day: date, leads: int, price: int) -> StatSpec:
    """Counters that hang together: impressions ≥ clicks ≥ leads, spend = leads × price."""
    clicks = leads * rng.randint(3, 6) + rng.randint(0, 12)
    impressions = clicks * rng.randint(12, 30) + rng.randint(20, 200)
    return StatSpec(day, impressions, clicks, leads, leads * price)


def _spread(rng: random.Random, total: int, days: list[date]) -> dict[date, int]:
    """`total` leads spread at random over `days`, summing to exactly `total`."""
    counts = dict.fromkeys(days, 0)
    for _ in range(total):
        counts[rng.choice(days)] += 1
    return counts


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def _schedule(flight: _Flight, today: date, rng: random.Random) -> tuple[date, date, dict[date, int]]:
    """Dates and leads per day that put `flight` in its intended state on `today`."""
    recent = _days(today - timedelta(days=HISTORY_DAYS - 1), today)
    match flight.intended:
        case S.ACTIVE:
            # A few leads a day: 14 days at most 5 stays under every cap and budget above.
            return today - timedelta(days=45), today + timedelta(days=60), {d: rng.randint(0, 5) for d in recent}
        case S.SCHEDULED:
            return today + timedelta(days=7), today + timedelta(days=97), {}
        case S.PAUSED:
            ran = _days(today - timedelta(days=20), today - timedelta(days=8))
            return today - timedelta(days=20), today + timedelta(days=40), {d: rng.randint(1, 4) for d in ran}
        case S.CAPPED_TODAY:
            leads = {d: rng.randint(1, flight.daily_cap - 1) for d in recent[:-1]}
            leads[today] = flight.daily_cap
            return today - timedelta(days=30), today + timedelta(days=60), leads
        case S.CAPPED_MONTH:
            # This month's leads add up to the cap exactly. With no daily cap they may all
            # fall on today, which is how the state still shows on the 1st of a month.
            month = _days(today.replace(day=1), today)
            before = [d for d in recent if d < month[0]]
            leads = {d: rng.randint(1, 4) for d in before} | _spread(rng, flight.monthly_cap, month)
            return today - timedelta(days=40), today + timedelta(days=50), leads
        case S.BUDGET_SPENT:
            ran = _days(today - timedelta(days=20), today - timedelta(days=1))
            return today - timedelta(days=20), today + timedelta(days=40), _spread(rng, 40, ran)
        case S.ENDED:
            ran = _days(today - timedelta(days=20), today - timedelta(days=6))
            return today - timedelta(days=75), today - timedelta(days=6), {d: rng.randint(0, 5) for d in ran}
    raise ValueError(f"no demo schedule for {flight.intended}")


def _program_name(school: SchoolSpec, category: str) -> str:
    return next(p.name for p in school.programs if p.category == category and p.active)


def demo_placements(today: date) -> tuple[PlacementSpec, ...]:
    """The demo flights as of `today`, identical for the same day on every run."""
    by_primary: dict[str, list[SchoolSpec]] = {}
    for school in demo_schools():
        by_primary.setdefault(school.primary_category, []).append(school)
    category_names = {spec.slug: spec.name for spec in CATEGORIES}
    placements = []
    for flight in FLIGHTS:
        school = by_primary[flight.category][flight.nth_school]
        name = f"{school.place} — {category_names[flight.category]} — {flight.label} ({flight.intended.label.lower()})"
        rng = random.Random(f"{SEED}:{name}")
        starts_on, ends_on, leads = _schedule(flight, today, rng)
        placements.append(
            PlacementSpec(
                name=name,
                school_slug=school.slug,
                category=flight.category,
                program_name=_program_name(school, flight.category) if flight.program else None,
                starts_on=starts_on,
                ends_on=ends_on,
                paused=flight.intended is S.PAUSED,
                price_per_lead_cents=flight.price,
                daily_cap=flight.daily_cap,
                monthly_cap=flight.monthly_cap,
                budget_cents=flight.budget,
                intended=flight.intended,
                stats=tuple(_stat(rng, day, count, flight.price) for day, count in sorted(leads.items())),
            )
        )
    if len({placement.name for placement in placements}) != len(placements):
        raise AssertionError("demo placement names must be unique")
    return tuple(placements)
