"""Business days: placement dates, caps and daily counters are counted in BUSINESS_TIMEZONE,
not in UTC and not in the reader's zone, so "today" means the same thing to a cap, a counter
and an operator reading a report."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def business_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BUSINESS_TIMEZONE"])


def business_day(at: datetime | None = None) -> date:
    """The business-timezone date at `at` (an aware time; default: this instant)."""
    at = at or datetime.now(UTC)
    if at.tzinfo is None:
        raise ValueError("naive datetime given; pass an aware time")
    return at.astimezone(business_zone()).date()


def business_today() -> date:
    """Today in BUSINESS_TIMEZONE."""
    return business_day()


def month_bounds(day: date) -> tuple[date, date]:
    """The first and last day of `day`'s calendar month."""
    last = calendar.monthrange(day.year, day.month)[1]
    return day.replace(day=1), day.replace(day=last)


def day_start_utc(day: date) -> datetime:
    """The UTC instant at which business day `day` begins (for ranges over UTC timestamps)."""
    return datetime.combine(day, datetime.min.time(), tzinfo=business_zone()).astimezone(UTC)
