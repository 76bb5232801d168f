"""Celery beat's schedule: every periodic task, by name, in one place."""

from __future__ import annotations

from collections.abc import Mapping


def beat_schedule(config: Mapping) -> dict[str, dict]:
    """The periodic tasks; intervals that drills shorten come from the app config."""
    relay_every = float(config.get("RELAY_INTERVAL_SECONDS", 30))
    return {
        # The outbox relay: what saves a lead whose hand-off failed, retries that are due,
        # and rows whose worker died. A run that waited past the next one is dropped.
        "leads.relay": {
            "task": "leads.relay",
            "schedule": relay_every,
            "options": {"expires": max(relay_every - 1, 1)},
        },
        # Sponsored impressions and clicks counted in Redis, added to PlacementStat; a run that
        # waited longer than the interval is dropped, the next one takes its counts.
        "listings.flush_impressions": {
            "task": "listings.flush_impressions",
            "schedule": 30.0,
            "options": {"expires": 25},
        },
        # Login attempts past every throttling window are deleted.
        "admin.purge_login_attempts": {
            "task": "admin.purge_login_attempts",
            "schedule": 6 * 3600.0,
            "options": {"expires": 3600},
        },
        # Retention: personal fields of leads older than LEAD_RETENTION_DAYS are erased.
        "leads.erase_expired": {
            "task": "leads.erase_expired",
            "schedule": 3600.0,
            "options": {"expires": 3000},
        },
    }
