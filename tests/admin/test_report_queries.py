"""Every report page costs the same number of SQL statements on 2 days and 20 deliveries
as on 20 days and 400 deliveries (and five times the schools and placements): the
figures are aggregated by the database, never loaded row by row."""

from __future__ import annotations

from datetime import timedelta

from core.extensions import db
from core.models import utcnow
from listings.business_time import business_today
from tests import factories
from tests.admin.reporting import at, counters, delivery, dispatch, statements_during

STATUSES = ("delivered", "delivered", "delivered", "pending", "returned", "dead", "duplicate", "cancelled")


def seed(days: int, per_day: int, schools: int) -> dict:
    """`per_day` deliveries on each of the last `days` business days, spread over `schools`
    schools with a placement each, daily counters, and dispatches in every state."""
    today = business_today()
    category = factories.category()
    made = []
    for n in range(schools):
        school = factories.school(billing_email=f"billing{n}@example.edu")
        program = factories.program(school, category)
        placement = factories.placement(school, category, today=today, monthly_cap=1000, daily_cap=100)
        made.append((school, program, placement))
    for offset in range(days):
        day = today - timedelta(days=offset)
        for _school, _program, placement in made:
            counters(placement, day, impressions=500, clicks=20, leads=per_day // schools, spend_cents=2500)
        for n in range(per_day):
            school, program, placement = made[n % schools]
            status = STATUSES[n % len(STATUSES)]
            sold = status in ("delivered", "pending", "returned") and n % 3 != 0
            made_delivery = delivery(
                school,
                at(day, 6 + n % 12, n % 60),
                program=program,
                placement=placement if sold or n % 5 == 0 else None,
                status=status,
                price_cents=2500 if sold else 0,
                billable=sold and status != "returned",
                returned_at=at(day, 20) if status == "returned" else None,
                return_reason="Wrong number" if status == "returned" else None,
            )
            dispatch(["sent", "pending", "failed", "dead", "rejected"][n % 5], utcnow(), made_delivery)
    db.session.commit()
    return {
        "school": made[0][0].id,
        "month": today.strftime("%Y-%m"),
        "start": (today - timedelta(days=25)).isoformat(),
    }


def pages(data: dict) -> dict[str, str]:
    today = business_today().isoformat()
    range_ = f"start={data['start']}&end={today}"
    statement = f"school={data['school']}&month={data['month']}"
    return {
        "dashboard": f"/admin/?{range_}",
        "placement report, per placement": f"/admin/reports/placements/?{range_}",
        "placement report, per day": f"/admin/reports/placements/?{range_}&by=day",
        "placement report, sorted by cost per lead": f"/admin/reports/placements/?{range_}&sort=cpl&desc=0",
        "placement report CSV": f"/admin/reports/placements/export.csv?{range_}&by=day",
        "statement": f"/admin/reports/statements/?{statement}",
        "statement CSV": f"/admin/reports/statements/export.csv?{statement}",
    }


def measure(app, client, urls: dict[str, str]) -> dict[str, int]:
    counts = {}
    for name, url in urls.items():
        statements, response = statements_during(app, lambda url=url: client.get(url))
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(statements)
    return counts


def test_report_pages_cost_the_same_statements_on_small_and_large_data(app, admin_client, capsys):
    with app.app_context():
        small = seed(days=2, per_day=10, schools=2)  # 20 deliveries
        urls = pages(small)
    few = measure(app, admin_client, urls)

    with app.app_context():
        seed(days=20, per_day=20, schools=10)  # 400 more deliveries, 10 more schools and placements
        urls_after = pages(small)
    many = measure(app, admin_client, urls_after)

    with capsys.disabled():
        print("\nSQL statements per report page (20 vs 420 deliveries):")
        for name in few:
            print(f"  {name}: {few[name]} / {many[name]}")
    assert many == few
    # And they are few: sign-in check, the figures' aggregates, a picker or two.
    assert max(few.values()) <= 12, few
