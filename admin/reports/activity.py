"""The dashboard's history and rankings: deliveries per business day by status, and the
schools that received the most leads or spend. Each is one GROUP BY over an indexed range
of Delivery.created_at; days are business days (BUSINESS_TIMEZONE)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from admin.reports.periods import DateRange
from admin.reports.sql import business_day_of, total
from core.extensions import db
from leads.models import Delivery, DeliveryStatus
from listings.models import School

HISTORY_DAYS = 30
# Stacked in this order, bottom up: what reached schools first, then what did not.
STATUS_ORDER = (
    DeliveryStatus.DELIVERED,
    DeliveryStatus.PENDING,
    DeliveryStatus.RETURNED,
    DeliveryStatus.DEAD,
    DeliveryStatus.CANCELLED,
    DeliveryStatus.DUPLICATE,
    DeliveryStatus.SUPPRESSED,
)
# Not leads a school received: a repeat within the de-duplication window, or a person
# on the suppression list.
NOT_SENT = (DeliveryStatus.DUPLICATE, DeliveryStatus.SUPPRESSED)
RANKINGS = ("spend", "leads")


@dataclass(frozen=True)
class DailyDeliveries:
    period: DateRange
    counts: dict[tuple[date, str], int]

    @property
    def days(self) -> list[date]:
        return list(self.period.each_day())

    @property
    def statuses(self) -> list[str]:
        return [status.value for status in STATUS_ORDER]

    @property
    def present_statuses(self) -> list[str]:
        """The statuses with at least one delivery in the period (all of them when there is none)."""
        return [status for status in self.statuses if self.status_total(status)] or self.statuses

    def count(self, day: date, status: str) -> int:
        return self.counts.get((day, status), 0)

    def series(self, status: str) -> list[int]:
        return [self.count(day, status) for day in self.days]

    def day_total(self, day: date) -> int:
        return sum(self.count(day, status) for status in self.statuses)

    def status_total(self, status: str) -> int:
        return sum(self.series(status))

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def history_period(today: date, days: int = HISTORY_DAYS) -> DateRange:
    return DateRange(today - timedelta(days=days - 1), today)


def deliveries_per_day(today: date, days: int = HISTORY_DAYS) -> DailyDeliveries:
    """Deliveries made on each of the last `days` business days (today included), by status."""
    period = history_period(today, days)
    from_utc, until_utc = period.utc_bounds()
    made = (
        sa.select(
            business_day_of(Delivery.created_at, period).label("day"),
            Delivery.status.label("status"),
        )
        .where(Delivery.created_at >= from_utc, Delivery.created_at < until_utc)
        .subquery("made")
    )
    rows = db.session.execute(sa.select(made.c.day, made.c.status, sa.func.count()).group_by(made.c.day, made.c.status))
    return DailyDeliveries(period, {(day, status): int(count) for day, status, count in rows})


@dataclass(frozen=True)
class SchoolFigures:
    school_id: int
    school: str
    leads: int  # deliveries to the school, duplicates and suppressed requests aside
    billable: int
    spend_cents: int


def top_schools(period: DateRange, by: str = "spend", limit: int = 10) -> list[SchoolFigures]:
    """The schools with the most spend (or leads) in `period`."""
    from_utc, until_utc = period.utc_bounds()
    leads = sa.func.count(Delivery.id)
    billable = total(sa.case((Delivery.billable, 1), else_=0))
    spend = total(sa.case((Delivery.billable, Delivery.price_cents), else_=0))
    order = [spend.desc(), leads.desc()] if by == "spend" else [leads.desc(), spend.desc()]
    rows = db.session.execute(
        sa.select(School.id, School.name, leads, billable, spend)
        .select_from(Delivery)
        .join(School, School.id == Delivery.school_id)
        .where(
            Delivery.created_at >= from_utc,
            Delivery.created_at < until_utc,
            Delivery.status.not_in([status.value for status in NOT_SENT]),
        )
        .group_by(School.id, School.name)
        .order_by(*order, School.name, School.id)
        .limit(limit)
    )
    return [SchoolFigures(sid, name, int(n), int(b), int(s)) for sid, name, n, b, s in rows]
