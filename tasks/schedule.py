"""Celery beat's schedule: every periodic task, by name, in one place."""

from __future__ import annotations

BEAT_SCHEDULE: dict[str, dict] = {}
