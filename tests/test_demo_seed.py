"""`flask seed-demo`: enough believable data, sourced facts, real ZIP codes, every
placement state, and a second run that changes nothing."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import event

import listings.demo
from core.extensions import db
from listings.demo import business_today, seed_demo
from listings.models import (
    Article,
    Campus,
    Category,
    DeliveryMode,
    Level,
    Placement,
    PlacementStat,
    Program,
    School,
    ZipCode,
    article_related,
)
from listings.placement_state import PlacementState, placement_state

CSV_PATH = Path(listings.demo.__file__).parent / "careers_facts.csv"
SEEDED_TABLES = ("category", "article", "article_related", "school", "campus", "program", "placement", "placement_stat")


@contextmanager
def recorded_statements() -> Iterator[list[str]]:
    """The SQL the app's engine sends while the block runs (inside an app context)."""
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement.lstrip().upper())

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def run_seed(app) -> str:
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    return result.output


def seed_on(app, today: date) -> None:
    with app.app_context():
        seed_demo(db.session, today=today)
        db.session.commit()


def snapshot() -> dict[str, list[tuple]]:
    """Every seeded table's rows, bar updated_at: renumbering listing positions rewrites
    Program.updated_at on each commit, and only the data itself must stay put."""
    tables = {}
    for name in SEEDED_TABLES:
        table = db.metadata.tables[name]
        columns = [column for column in table.columns if column.name != "updated_at"]
        tables[name] = db.session.execute(sa.select(*columns).order_by(*table.primary_key.columns)).all()
    return tables


def csv_facts() -> dict[str, dict[str, str]]:
    with CSV_PATH.open(newline="", encoding="utf-8") as handle:
        return {row["occupation"]: row for row in csv.DictReader(handle)}


def states_on(today: date) -> dict[str, PlacementState]:
    """Each placement's derived state, its counters summed straight from PlacementStat."""
    month_start = today.replace(day=1)
    totals = {
        row.placement_id: row
        for row in db.session.execute(
            sa.select(
                PlacementStat.placement_id,
                sa.func.sum(sa.case((PlacementStat.day == today, PlacementStat.leads), else_=0)).label("today"),
                sa.func.sum(
                    sa.case((PlacementStat.day.between(month_start, today), PlacementStat.leads), else_=0)
                ).label("month"),
                sa.func.sum(PlacementStat.spend_cents).label("spend"),
            ).group_by(PlacementStat.placement_id)
        )
    }
    states = {}
    for placement in db.session.scalars(sa.select(Placement)):
        row = totals.get(placement.id)
        states[placement.name] = placement_state(
            placement,
            today=today,
            leads_today=row.today if row else 0,
            leads_this_month=row.month if row else 0,
            spend_total=row.spend if row else 0,
        )
    return states


def assert_every_state(today: date) -> None:
    states = states_on(today)
    assert set(states.values()) == set(PlacementState)
    for name, state in states.items():
        assert name.endswith(f"({state.label.lower()})"), (name, state)  # the intended state is the derived one
    active = db.session.execute(
        sa.select(Placement.category_id, Placement.price_per_lead_cents).where(
            Placement.name.in_([name for name, state in states.items() if state is PlacementState.ACTIVE])
        )
    ).all()
    bids_by_category: dict[int, set[int]] = {}
    for category_id, bid in active:
        bids_by_category.setdefault(category_id, set()).add(bid)
    competitive = [bids for bids in bids_by_category.values() if len(bids) >= 2]
    assert len(competitive) >= 2, "two categories need at least two active flights with different bids"


def test_seed_demo_meets_the_minimums(app):
    output = run_seed(app)
    assert "84 schools" in output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(School.id))) >= 80
        assert db.session.scalar(sa.select(sa.func.count(Program.id))) >= 300
        per_category = dict(
            db.session.execute(
                sa.select(Category.slug, sa.func.count(Program.id)).join(Program).group_by(Category.slug)
            ).all()
        )
        assert len(per_category) >= 4 and min(per_category.values()) >= 45, per_category
        assert {row for row in db.session.scalars(sa.select(Program.level).distinct())} == set(Level)
        assert {row for row in db.session.scalars(sa.select(Program.delivery).distinct())} == set(DeliveryMode)

        articles = db.session.scalars(sa.select(Article)).all()
        assert len(articles) >= 8 and all(article.published for article in articles)
        assert len({article.category_id for article in articles}) >= 4
        assert 3 <= sum(article.featured for article in articles) <= 4

        cities = db.session.execute(sa.select(Campus.city, Campus.state).distinct()).all()
        assert len(cities) >= 15
        assert len({state for _city, state in cities}) >= 10


def test_schools_are_fictional_and_reachable_only_at_demo_addresses(app):
    run_seed(app)
    with app.app_context():
        schools = db.session.scalars(sa.select(School)).all()
        recipients = Counter(len(school.recipient_list) for school in schools)
        assert {1, 3} <= set(recipients)
        for school in schools:
            assert school.website.startswith(f"https://{school.slug}.") and school.website.endswith(
                (".example.org",)
            )
            assert all(address.endswith((".example.org",)) for address in school.recipient_list)
            assert school.billing_email.endswith((".example.org",))
            assert school.webhook_url is None and school.description and school.accreditor
        with_campus = set(db.session.scalars(sa.select(Campus.school_id).distinct()))
        assert any(school.id not in with_campus for school in schools), "some schools should be online-only"


def test_every_campus_stands_at_a_real_zip_code(app):
    run_seed(app)
    with app.app_context():
        rows = db.session.execute(
            sa.select(Campus, ZipCode).outerjoin(ZipCode, ZipCode.zip == Campus.zip_code)
        ).all()
        assert rows
        for campus, place in rows:
            assert place is not None, campus.zip_code
            assert (campus.city, campus.state, campus.latitude, campus.longitude) == (
                place.city,
                place.state,
                place.latitude,
                place.longitude,
            )


def test_programs_are_online_or_at_their_own_schools_campus(app):
    run_seed(app)
    with app.app_context():
        rows = db.session.execute(
            sa.select(Program.delivery, Program.school_id, Campus.school_id).outerjoin(
                Campus, Campus.id == Program.campus_id
            )
        ).all()
        for delivery, school_id, campus_school_id in rows:
            if delivery == DeliveryMode.ONLINE:
                assert campus_school_id is None
            else:
                assert campus_school_id == school_id


def test_article_facts_are_the_csv_figures(app):
    run_seed(app)
    facts = csv_facts()

    def number(cell: str) -> int | None:
        return int(cell) if cell else None

    with app.app_context():
        articles = db.session.scalars(sa.select(Article)).all()
        related = db.session.execute(sa.select(article_related)).all()
        for article in articles:
            row = facts[article.occupation]
            assert (
                article.entry_education,
                article.work_experience,
                article.training,
                article.job_outlook_pct,
                article.job_outlook_period,
                article.jobs_count,
                article.jobs_year,
                article.median_pay_usd,
                article.median_pay_year,
                article.source_url,
            ) == (
                row["entry_education"] or None,
                row["experience"] or None,
                row["training"] or None,
                number(row["outlook_pct"]),
                row["outlook_period"] or None,
                number(row["jobs"]),
                number(row["jobs_year"]),
                number(row["median_pay_usd"]),
                number(row["median_pay_year"]),
                row["ooh_url"],
            ), article.slug
            assert article.source_name == "U.S. Bureau of Labor Statistics, Occupational Outlook Handbook"
            assert article.source_year and article.source_year.replace("\u2013", "-") in row["edition"]
            assert article.title.startswith("How can I become") and article.title.endswith("?")
            assert 250 <= len(article.body.split()) <= 420, (article.slug, len(article.body.split()))
            assert 2 <= sum(1 for article_id, _ in related if article_id == article.id) <= 3
        # BLS's own "None" survives as a word; only an empty cell becomes None.
        assert any(article.work_experience == "None" for article in articles)
        assert any(article.entry_education is None for article in articles)


def test_seeding_twice_changes_nothing(app):
    run_seed(app)
    with app.app_context():
        before = snapshot()
    with app.app_context(), recorded_statements() as statements:
        output = run_seed(app)
    assert "(0 rows created)" in output
    writes = {
        statement.split(" SET ")[0] for statement in statements if statement.startswith(("INSERT", "UPDATE", "DELETE"))
    }
    assert writes <= {"UPDATE PROGRAM", "UPDATE CATEGORY"}  # only renumber_all's writes
    with app.app_context():
        assert snapshot() == before


def test_listing_totals_count_the_listed_programs(app):
    run_seed(app)
    with app.app_context():
        listed = dict(
            db.session.execute(
                sa.select(Program.category_id, sa.func.count(Program.id))
                .join(School, School.id == Program.school_id)
                .where(Program.active.is_(True), School.active.is_(True))
                .group_by(Program.category_id)
            ).all()
        )
        for category in db.session.scalars(sa.select(Category)):
            assert category.listing_total == listed[category.id]
            positions = db.session.scalars(
                sa.select(Program.listing_position)
                .where(Program.category_id == category.id, Program.listing_position.is_not(None))
                .order_by(Program.listing_position)
            ).all()
            assert positions == list(range(1, listed[category.id] + 1))


def test_placements_cover_every_state_today(app):
    run_seed(app)
    with app.app_context():
        assert_every_state(business_today())


@pytest.mark.parametrize("today", [date(2025, 3, 1), date(2025, 2, 28), date(2024, 12, 31)])
def test_placements_cover_every_state_on_awkward_days(app, today):
    seed_on(app, today)
    with app.app_context():
        assert_every_state(today)


def test_reseeding_later_puts_placements_back_in_their_states(app):
    first = date(2025, 5, 28)
    later = first + timedelta(days=20)  # into the next month: last run's counters must not count
    seed_on(app, first)
    seed_on(app, later)
    with app.app_context():
        assert_every_state(later)
        days = db.session.scalars(sa.select(PlacementStat.day)).all()
        assert max(days) == later


def test_active_flights_have_history_without_reaching_their_limits(app):
    run_seed(app)
    with app.app_context():
        today = business_today()
        states = states_on(today)
        for placement in db.session.scalars(sa.select(Placement)):
            stats = db.session.scalars(sa.select(PlacementStat).where(PlacementStat.placement_id == placement.id)).all()
            for stat in stats:
                assert stat.impressions >= stat.clicks >= stat.leads >= 0
                assert stat.spend_cents == stat.leads * placement.price_per_lead_cents
                assert placement.starts_on <= stat.day <= min(placement.ends_on, today)
            if states[placement.name] is PlacementState.ACTIVE:
                assert len(stats) >= 10


def test_seed_reads_each_table_a_bounded_number_of_times(app):
    """Looked up in one query per table: hundreds of rows must not mean hundreds of reads."""
    with app.app_context(), recorded_statements() as statements:
        seed_demo(db.session)
        db.session.commit()
    selects = [statement for statement in statements if statement.startswith("SELECT")]
    assert len(selects) < 30, selects
