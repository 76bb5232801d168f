"""Fixtures: each test gets its own SQLite file copied from a migrated template, so
tests are isolated and fast; integration tests add real services (tests/integration)."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade

from core import create_app
from core.extensions import db
from tests.mail_sink import MailSink

IN_CI = os.environ.get("CI", "").lower() == "true"


_SINK = MailSink()


def make_app(database_path: Path, instance_path: Path, **overrides) -> Flask:
    """An app in testing mode on `database_path`, CSRF off unless a test turns it on, sending
    mail to the test run's SMTP sink (fixture `mail_sink`)."""
    environ = {
        "APP_ENV": "testing",
        "DATABASE_URL": f"sqlite:///{database_path}",
        "INSTANCE_PATH": str(instance_path),
        "SITE_URL": "http://prospectus.test",
        "RETRY_SCHEDULE": "1,2,3",
        "MAIL_PORT": str(_SINK.port),
        "MAIL_TIMEOUT": "3",
    }
    environ.update(overrides.pop("environ", {}))
    settings = {"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}
    settings.update(overrides)
    return create_app(environ, settings)


def _checkpointed(path: Path) -> Path:
    """Fold the WAL into the main file so a plain file copy is a complete database."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return path


@pytest.fixture(scope="session")
def template_database(tmp_path_factory) -> Path:
    """A database migrated to head (schema and ZIP codes), built once per run."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.sqlite3"
    app = make_app(path, folder / "instance")
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return _checkpointed(path)


@pytest.fixture(scope="session")
def demo_database(template_database, tmp_path_factory) -> Path:
    """The template plus `flask seed-demo`, built once per run."""
    folder = tmp_path_factory.mktemp("demo")
    path = folder / "demo.sqlite3"
    shutil.copyfile(template_database, path)
    app = make_app(path, folder / "instance")
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        db.engine.dispose()
    return _checkpointed(path)


def _app_on_copy(source: Path, tmp_path: Path, request) -> Flask:
    path = tmp_path / "test.sqlite3"
    shutil.copyfile(source, path)
    marker = request.node.get_closest_marker("app_config")
    overrides = dict(marker.kwargs) if marker else {}
    return make_app(path, tmp_path / "instance", **overrides)


@pytest.fixture
def app(template_database, tmp_path, request) -> Flask:
    """An app on an empty, migrated database (ZIP codes loaded). Configure with
    @pytest.mark.app_config(KEY=value, environ={...})."""
    application = _app_on_copy(template_database, tmp_path, request)
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def demo_app(demo_database, tmp_path, request) -> Flask:
    """An app on a database holding the demo data."""
    application = _app_on_copy(demo_database, tmp_path, request)
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def demo_client(demo_app):
    return demo_app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def _running_sink():
    _SINK.start()
    yield _SINK
    _SINK.stop()


@pytest.fixture
def mail_sink(_running_sink) -> MailSink:
    """The real SMTP server every test app sends to, emptied for this test."""
    _running_sink.clear()
    return _running_sink
