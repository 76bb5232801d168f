"""Catalogue tasks: thin, named, calling services in listings/."""

from __future__ import annotations

from celery import shared_task

from listings.impressions import flush_counters


@shared_task(name="listings.flush_impressions", ignore_result=True)
def flush_impressions() -> int:
    """Add the impressions and clicks counted since the last flush to PlacementStat."""
    return flush_counters()
