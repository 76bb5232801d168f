"""The monthly statement of a school, for its billing contact.

A month is a calendar month in BUSINESS_TIMEZONE. Returns are credits, so a statement,
once handed over, stays true:
- charges: the leads sold to the school that month (made in the month, with a price, and
  billable or later returned) at the price they were sold at;
- credits: the returns recorded that month (a returned lead's price comes off the month
  of the return, whichever month it was sold in);
- total due: charges minus credits.
A lead returned in the month it was sold appears in both, so it nets to nothing; a lead
returned later stays charged here and is credited on the later month's statement.
A delivery that died (never reached the school) or was cancelled before it was sent is
not billable and is not charged.

Totals come from one aggregate statement; the lines are read a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from admin.reports.periods import DateRange
from admin.reports.sql import total
from core.extensions import db
from leads.models import Delivery, DeliveryStatus, Lead
from listings.business_time import month_bounds
from listings.models import Placement, Program, School

LINES_PER_PAGE = 200


@dataclass(frozen=True)
class StatementTotals:
    charges: int
    charges_cents: int
    credits: int
    credits_cents: int

    @property
    def total_due_cents(self) -> int:
        return self.charges_cents - self.credits_cents


@dataclass(frozen=True)
class StatementLine:
    delivery_id: int
    sold_at: datetime
    lead_public_id: str
    program: str | None
    placement: str | None
    price_cents: int
    returned_at: datetime | None
    return_reason: str | None


def month_period(first: date) -> DateRange:
    return DateRange(*month_bounds(first))


def _charged(school_id: int, period: DateRange) -> list:
    from_utc, until_utc = period.utc_bounds()
    return [
        Delivery.school_id == school_id,
        Delivery.created_at >= from_utc,
        Delivery.created_at < until_utc,
        Delivery.price_cents > 0,
        sa.or_(Delivery.billable.is_(True), Delivery.status == DeliveryStatus.RETURNED),
    ]


def _credited(school_id: int, period: DateRange) -> list:
    from_utc, until_utc = period.utc_bounds()
    return [
        Delivery.school_id == school_id,
        Delivery.returned_at >= from_utc,
        Delivery.returned_at < until_utc,
        Delivery.status == DeliveryStatus.RETURNED,
        Delivery.price_cents > 0,
    ]


def statement_totals(school_id: int, month: date) -> StatementTotals:
    """Counts and sums of the month's charges and credits, in one statement."""
    period = month_period(month)
    charges = (
        sa.select(sa.func.count().label("n"), total(Delivery.price_cents).label("cents"))
        .where(*_charged(school_id, period))
        .subquery("charges")
    )
    credits = (
        sa.select(sa.func.count().label("n"), total(Delivery.price_cents).label("cents"))
        .where(*_credited(school_id, period))
        .subquery("credits")
    )
    row = db.session.execute(
        sa.select(charges.c.n, charges.c.cents, credits.c.n, credits.c.cents).select_from(
            charges.join(credits, sa.true())
        )
    ).one()
    return StatementTotals(*(int(value) for value in row))


def _lines(conditions: list, order, limit: int | None, offset: int) -> list[StatementLine]:
    statement = (
        sa.select(
            Delivery.id,
            Delivery.created_at,
            Lead.public_id,
            Program.name,
            Placement.name,
            Delivery.price_cents,
            Delivery.returned_at,
            Delivery.return_reason,
        )
        .select_from(Delivery)
        .join(Lead, Lead.id == Delivery.lead_id)
        .outerjoin(Program, Program.id == Delivery.program_id)
        .outerjoin(Placement, Placement.id == Delivery.placement_id)
        .where(*conditions)
        .order_by(order, Delivery.id)
    )
    if limit is not None:
        statement = statement.limit(limit).offset(offset)
    return [StatementLine(*values) for values in db.session.execute(statement)]


def charge_lines(school_id: int, month: date, *, limit: int | None = None, offset: int = 0) -> list[StatementLine]:
    """The month's charges, oldest first (all of them without `limit`)."""
    return _lines(_charged(school_id, month_period(month)), Delivery.created_at, limit, offset)


def credit_lines(school_id: int, month: date, *, limit: int | None = None, offset: int = 0) -> list[StatementLine]:
    """The month's returns, in the order they were recorded."""
    return _lines(_credited(school_id, month_period(month)), Delivery.returned_at, limit, offset)


def billing_school(school_id: int) -> School | None:
    return db.session.get(School, school_id)


def school_choices() -> list[tuple[int, str]]:
    """Every school, by name, for the picker (one statement)."""
    return [
        tuple(row) for row in db.session.execute(sa.select(School.id, School.name).order_by(School.name, School.id))
    ]
