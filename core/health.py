"""/healthz: is the database reachable, is the broker reachable. JSON for probes."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Blueprint, current_app, jsonify

from core.extensions import db

log = logging.getLogger(__name__)
bp = Blueprint("health", __name__)

# Health checks hang only as long as a probe is willing to wait.
BROKER_TIMEOUT_SECONDS = 1.0


def register_health_check(app, name: str, check) -> None:
    """Let a feature package add a figure to /healthz (e.g. the oldest pending dispatch)."""
    app.extensions.setdefault("health_checks", {})[name] = check


def database_status() -> dict:
    try:
        db.session.execute(sa.text("SELECT 1"))
        return {"ok": True, "backend": db.engine.dialect.name}
    except Exception as error:  # any driver error means "not reachable"
        db.session.rollback()
        log.warning("health: database unreachable: %s", type(error).__name__)
        return {"ok": False, "backend": db.engine.dialect.name, "error": type(error).__name__}


def broker_status() -> dict:
    celery_app = current_app.extensions["celery"]
    transport = celery_app.conf.broker_url.split(":", 1)[0]
    try:
        with celery_app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT_SECONDS)
        return {"ok": True, "transport": transport}
    except Exception as error:
        log.warning("health: broker unreachable: %s", type(error).__name__)
        return {"ok": False, "transport": transport, "error": type(error).__name__}


@bp.get("/healthz")
def healthz():
    report = {"database": database_status(), "broker": broker_status()}
    for name, check in current_app.extensions.get("health_checks", {}).items():
        report[name] = check()
    healthy = report["database"]["ok"] and report["broker"]["ok"]
    report["status"] = "ok" if healthy else "degraded"
    return jsonify(report), 200 if healthy else 503
