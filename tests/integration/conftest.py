"""Integration fixtures: a PostgreSQL app on a schema of its own."""

from __future__ import annotations

import pytest
from flask_migrate import upgrade

from core import create_app
from core.extensions import db
from tests.services import postgres_schema, require_env


@pytest.fixture
def pg_url():
    with postgres_schema(require_env("TEST_DATABASE_URL")) as url:
        yield url


@pytest.fixture
def pg_app(pg_url, tmp_path):
    """An app on a freshly migrated PostgreSQL schema."""
    app = create_app(
        {
            "APP_ENV": "testing",
            "DATABASE_URL": pg_url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SITE_URL": "http://prospectus.test",
        },
        {"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False},
    )
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
