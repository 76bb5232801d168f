"""The report tests again on PostgreSQL, whose SQL differs (the business day by
timezone(), sums that come back as numeric, NULLS LAST, GROUP BY rules): the same data
must give the same rows, totals, statements and statement counts as on SQLite."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from admin.reports.periods import DateRange
from admin.reports.sql import business_day_of
from core import create_app
from core.extensions import db
from leads.models import Delivery
from listings.business_time import business_day
from tests import factories
from tests.admin.reporting import delivery
from tests.admin.test_dashboard import (  # noqa: F401 - collected again here, on PostgreSQL
    known,
    test_dead_or_rejected_dispatches_raise_a_warning,
    test_deliveries_per_day_by_status,
    test_every_chart_is_an_svg_without_script_or_external_url,
    test_stuck_dispatches_raise_a_warning_linking_to_them,
    test_top_schools_and_placements_of_a_range,
)
from tests.admin.test_placement_report import (  # noqa: F401
    flights,
    test_cap_use_counts_the_whole_busiest_month,
    test_csv_export_neutralises_cells_and_is_audited,
    test_csv_export_per_day,
    test_one_placement_or_one_school,
    test_one_row_per_placement_and_day_with_daily_cap_use,
    test_one_row_per_placement_with_ctr_cost_per_lead_and_monthly_cap_use,
    test_pages_without_a_count,
    test_sorting_on_whitelisted_keys,
)
from tests.admin.test_report_parts import _instants_around_transitions
from tests.admin.test_report_queries import (  # noqa: F401
    test_report_pages_cost_the_same_statements_on_small_and_large_data,
)
from tests.admin.test_statement import (  # noqa: F401
    billing,
    test_a_later_return_is_credited_on_the_later_month,
    test_a_month_with_charges_and_returns,
    test_february_keeps_its_charges_after_a_return_in_march,
    test_long_statements_are_paged_but_totalled_whole,
    test_the_csv_statement_is_neutralised_and_audited,
)
from tests.services import postgres_schema, require_env

pytestmark = pytest.mark.integration


def _pg_app(tmp_path, **environ):
    return create_app(
        {
            "APP_ENV": "testing",
            "DATABASE_URL": environ.pop("url"),
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SITE_URL": "http://prospectus.test",
            **environ,
        },
        {"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False},
    )


@pytest.fixture
def app(tmp_path):
    """Overrides the SQLite app of tests/conftest.py: a freshly migrated PostgreSQL schema."""
    with postgres_schema(require_env("TEST_DATABASE_URL")) as url:
        application = _pg_app(tmp_path, url=url)
        with application.app_context():
            upgrade()
        yield application
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.mark.parametrize("zone", ["America/New_York", "Australia/Sydney", "Asia/Kolkata"])
def test_postgresql_finds_the_business_day_python_finds(tmp_path, zone):
    with postgres_schema(require_env("TEST_DATABASE_URL")) as url:
        application = _pg_app(tmp_path, url=url, BUSINESS_TIMEZONE=zone)
        with application.app_context():
            upgrade()
            school = factories.school()
            instants = _instants_around_transitions()
            for instant in instants:
                delivery(school, instant)
            db.session.commit()
            day = business_day_of(Delivery.created_at, DateRange(instants[0].date(), instants[-1].date())).label("d")
            found = db.session.execute(sa.select(Delivery.created_at, day).order_by(Delivery.id)).all()
            assert len(found) == len(instants)
            for created_at, computed in found:
                assert computed == business_day(created_at), (zone, created_at)
            db.session.remove()
            db.engine.dispose()
