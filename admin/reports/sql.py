"""SQL pieces the reports share: the business day of a UTC timestamp, computed by the
database on SQLite and PostgreSQL alike, and ratios that divide safely.

Expressions here carry bound parameters, and PostgreSQL does not see `f($1)` in a SELECT
and `f($2)` in a GROUP BY as the same expression: group on a subquery's column instead."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from admin.reports.periods import DateRange
from core.extensions import db
from listings.business_time import business_zone, day_start_utc


def dialect_name() -> str:
    return db.session.get_bind().dialect.name


def _offset(at: datetime) -> int:
    return int(at.astimezone(business_zone()).utcoffset().total_seconds())


def _transition(before: datetime, after: datetime) -> datetime:
    """The instant between `before` and `after` (whose offsets differ) where the offset changes, to the second."""
    low, high = before, after
    while (high - low) > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if _offset(middle) == _offset(low):
            low = middle
        else:
            high = middle
    return high.replace(microsecond=0)


def offset_segments(period: DateRange) -> list[tuple[datetime | None, int]]:
    """The business zone's UTC offset over `period`: (until, seconds) pieces, the last open-ended.
    A zone changes offset a couple of times a year, so a range holds a few pieces at most."""
    pieces: list[tuple[datetime | None, int]] = []
    day = period.start - timedelta(days=1)
    instant = day_start_utc(day)
    current = _offset(instant)
    while day <= period.end + timedelta(days=1):
        following = day_start_utc(day + timedelta(days=1))
        if _offset(following) != current:
            pieces.append((_transition(instant, following), current))
            current = _offset(following)
        day, instant = day + timedelta(days=1), following
    pieces.append((None, current))
    return pieces


def business_day_of(column, period: DateRange):
    """The business-timezone date of the aware UTC timestamp `column`, exact for instants
    within `period` (label it in a subquery and group on that)."""
    if dialect_name() == "postgresql":
        return sa.cast(sa.func.timezone(current_app.config["BUSINESS_TIMEZONE"], column), sa.Date)
    # SQLite keeps naive UTC text and knows no time zones: shift by the offset in force,
    # which is constant between the zone's transitions.
    pieces = offset_segments(period)
    shifted = [sa.func.datetime(column, f"{seconds:+d} seconds") for _until, seconds in pieces]
    if len(pieces) == 1:
        local = shifted[0]
    else:
        local = sa.case(
            *[(column < until, value) for (until, _), value in zip(pieces[:-1], shifted[:-1], strict=True)],
            else_=shifted[-1],
        )
    return sa.func.date(local, type_=sa.Date)


def ratio(numerator, denominator):
    """numerator / denominator as a real number, NULL when the denominator is 0 or NULL."""
    return sa.cast(numerator, sa.Float) / sa.func.nullif(denominator, 0)


def total(column):
    """SUM that is 0, not NULL, over no rows."""
    return sa.func.coalesce(sa.func.sum(column), 0)
