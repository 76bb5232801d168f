"""Celery beat's schedule: every periodic task, by name, in one place."""

from __future__ import annotations

BEAT_SCHEDULE: dict[str, dict] = {
    # Sponsored impressions and clicks counted in Redis, added to PlacementStat; a run that
    # waited longer than the interval is dropped, the next one takes its counts.
    "listings.flush_impressions": {
        "task": "listings.flush_impressions",
        "schedule": 30.0,
        "options": {"expires": 25},
    },
}
