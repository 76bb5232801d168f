"""List filters: business-timezone days on a timestamp, and the lead list's filters,
each one indexed condition (a range on created_at, or an EXISTS over the lead's
deliveries or dispatches)."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask import has_app_context
from flask_admin.contrib.sqla.filters import BaseSQLAFilter

from core.extensions import db
from leads.models import Delivery, DeliveryStatus, Dispatch, DispatchStatus, Lead, LeadStatus
from listings.business_time import day_start_utc
from listings.models import Category, Placement, Program, School


class DayFilter(BaseSQLAFilter):
    """A business-timezone day bound on an aware timestamp column (Flask-Admin's own
    datetime filters compare naive times, which the UTC columns refuse)."""

    def __init__(self, column, name: str, on_or_after: bool) -> None:
        super().__init__(column, name, data_type="datepicker")
        self.on_or_after = on_or_after

    def validate(self, value) -> bool:
        try:
            date.fromisoformat(value)
        except (TypeError, ValueError):
            return False
        return True

    def clean(self, value):
        return date.fromisoformat(value)

    def apply(self, query, value, alias=None):
        if self.on_or_after:
            return query.filter(self.column >= day_start_utc(value))
        return query.filter(self.column < day_start_utc(value + timedelta(days=1)))

    def operation(self):
        return "on or after" if self.on_or_after else "on or before"


class _ChoiceFilter(BaseSQLAFilter):
    """Equality on a lead's own column or through an EXISTS; options from a callable so
    they are read when the page is, not when the app starts."""

    def __init__(self, name: str, condition, options, operation: str = "is") -> None:
        super().__init__(Lead.id, name, options=options)
        self.condition = condition
        self._operation = operation

    def get_options(self, view):
        if not has_app_context():  # Flask-Admin asks once at start-up; the page asks again
            return None
        return super().get_options(view)

    def validate(self, value) -> bool:
        return bool(value)

    def apply(self, query, value, alias=None):
        return query.filter(self.condition(value))

    def operation(self):
        return self._operation


def _int(value) -> int:
    return int(value) if str(value).isdigit() else -1


def _delivery_exists(*conditions):
    return sa.exists().where(Delivery.lead_id == Lead.id, *conditions)


def _school_options():
    return [(str(i), name) for i, name in db.session.execute(sa.select(School.id, School.name).order_by(School.name))]


def _category_options():
    rows = db.session.execute(sa.select(Category.id, Category.name).order_by(Category.name))
    return [(str(i), name) for i, name in rows]


def _placement_options():
    rows = db.session.execute(
        sa.select(Placement.id, Placement.name, School.name)
        .join(School, School.id == Placement.school_id)
        .order_by(School.name, Placement.name)
    )
    return [(str(i), f"{school} — {name} (#{i})") for i, name, school in rows]


def lead_filters() -> list[BaseSQLAFilter]:
    return [
        DayFilter(Lead.created_at, "Received", on_or_after=True),
        DayFilter(Lead.created_at, "Received", on_or_after=False),
        _ChoiceFilter("School", lambda v: _delivery_exists(Delivery.school_id == _int(v)), _school_options),
        _ChoiceFilter(
            "Category",
            lambda v: _delivery_exists(
                Delivery.program_id.in_(sa.select(Program.id).where(Program.category_id == _int(v)))
            ),
            _category_options,
        ),
        _ChoiceFilter("Lead status", lambda v: Lead.status == v, [(s.value, s.value) for s in LeadStatus]),
        _ChoiceFilter(
            "Delivery status",
            lambda v: _delivery_exists(Delivery.status == v),
            [(s.value, s.value) for s in DeliveryStatus],
            operation="has one",
        ),
        _ChoiceFilter(
            "Dispatch status",
            lambda v: sa.exists().where(Dispatch.lead_id == Lead.id, Dispatch.status == v),
            [(s.value, s.value) for s in DispatchStatus],
            operation="has one",
        ),
        _ChoiceFilter(
            "Placement",
            lambda v: sa.or_(Lead.placement_id == _int(v), _delivery_exists(Delivery.placement_id == _int(v))),
            _placement_options,
        ),
    ]
