"""Engine tuning that depends on the backend.

SQLite is the embedded default, shared by two gunicorn workers, a Celery worker
and beat: WAL lets readers run beside a writer, the busy timeout makes a writer
wait instead of failing, and BEGIN IMMEDIATE takes the write lock when the
transaction starts, so a read-then-write transaction can never hit the
"database is locked" error SQLite raises when a deferred reader tries to upgrade.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

SQLITE_BUSY_TIMEOUT_MS = 15_000


def configure_sqlite(engine: Engine) -> None:
    """Install the WAL / busy timeout / BEGIN IMMEDIATE hooks on a SQLite engine."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not the driver, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=%d" % SQLITE_BUSY_TIMEOUT_MS)
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def init_database(app: Flask) -> None:
    """Hook backend-specific settings onto the app's engine."""
    from core.extensions import db

    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            configure_sqlite(engine)


def is_postgresql() -> bool:
    from core.extensions import db

    return db.engine.dialect.name == "postgresql"
