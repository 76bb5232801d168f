"""A page of placements with their figures: today's and this month's counters, the
flight's spend, the derived state and cap use — one aggregate statement for the
whole page over the daily counters (PlacementStat), never a query per row."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from core.extensions import db
from listings.business_time import month_bounds
from listings.models import Placement, PlacementStat
from listings.placement_state import PlacementState, placement_state


@dataclass(frozen=True)
class Period:
    impressions: int = 0
    clicks: int = 0
    leads: int = 0
    spend_cents: int = 0

    @property
    def ctr(self) -> float | None:
        """Clicks per impression, or None when nothing was shown."""
        return self.clicks / self.impressions if self.impressions else None


@dataclass(frozen=True)
class Figures:
    today: Period = field(default_factory=Period)
    month: Period = field(default_factory=Period)
    spend_total: int = 0  # over the whole flight, what the budget is held against


@dataclass(frozen=True)
class CapUse:
    used: int
    limit: int | None

    @property
    def share(self) -> float | None:
        return self.used / self.limit if self.limit else None


def placement_figures(placement_ids: Iterable[int], today: date) -> dict[int, Figures]:
    """Figures of each placement as of business day `today`, in one statement."""
    ids = sorted(set(placement_ids))
    if not ids:
        return {}
    month_first, _ = month_bounds(today)
    stat = PlacementStat
    is_today = stat.day == today
    in_month = sa.and_(stat.day >= month_first, stat.day <= today)

    def total(column, condition=None):
        value = column if condition is None else sa.case((condition, column), else_=0)
        return sa.func.coalesce(sa.func.sum(value), 0)

    counters = (stat.impressions, stat.clicks, stat.leads, stat.spend_cents)
    statement = (
        sa.select(
            stat.placement_id,
            *(total(column, is_today) for column in counters),
            *(total(column, in_month) for column in counters),
            total(stat.spend_cents),
        )
        .where(stat.placement_id.in_(ids))
        .group_by(stat.placement_id)
    )
    found = {}
    for row in db.session.execute(statement):
        values = [int(value) for value in row[1:]]
        found[row[0]] = Figures(today=Period(*values[0:4]), month=Period(*values[4:8]), spend_total=values[8])
    return {placement_id: found.get(placement_id, Figures()) for placement_id in ids}


def state_of(placement: Placement, figures: Figures, today: date) -> PlacementState:
    """The derived state, by the one function that decides it."""
    return placement_state(
        placement,
        today=today,
        leads_today=figures.today.leads,
        leads_this_month=figures.month.leads,
        spend_total=figures.spend_total,
    )


def cap_use(placement: Placement, figures: Figures) -> dict[str, CapUse]:
    return {
        "daily": CapUse(figures.today.leads, placement.daily_cap),
        "monthly": CapUse(figures.month.leads, placement.monthly_cap),
        "budget": CapUse(figures.spend_total, placement.budget_cents),
    }
