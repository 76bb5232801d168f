"""The migrations build the schema on PostgreSQL, and the seeded site serves from it."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from core.extensions import db
from listings.models import Category, Program, ZipCode

pytestmark = pytest.mark.integration


def test_migrations_build_the_schema_and_load_zip_codes(pg_app):
    with pg_app.app_context():
        assert db.engine.dialect.name == "postgresql"
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {"lead", "delivery", "dispatch", "placement", "placement_stat", "zip_code"} <= tables
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ZipCode)) > 40_000
        assert db.session.get(ZipCode, "60601").state == "IL"


def test_migrations_match_the_models(pg_app):
    """Autogenerate finds nothing to do: the migrations and the models agree on PostgreSQL."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with pg_app.app_context():
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
    assert diff == [], diff


def test_seeded_site_serves_from_postgresql(pg_app):
    runner = pg_app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["seed-demo"]).exit_code == 0  # idempotent on PostgreSQL too
    with pg_app.app_context():
        category = db.session.scalars(sa.select(Category).order_by(Category.id)).first()
        listed = db.session.scalar(
            sa.select(sa.func.count()).select_from(Program).where(
                Program.category_id == category.id, Program.listing_position.is_not(None)
            )
        )
        assert category.listing_total == listed >= 45
    client = pg_app.test_client()
    home = client.get("/")
    assert home.status_code == 200
    slug = re.search(r'href="/careers/([a-z0-9-]+)"', home.text).group(1)
    page2 = client.get(f"/careers/{slug}?page=2")
    assert page2.status_code == 200
    assert len(re.findall(r"data-listing", page2.text)) >= 20
