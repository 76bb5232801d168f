"""The dashboard's headline figures: leads received today and the placements running,
each from a plain aggregate statement (delivery health: admin/reports/delivery_health.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from admin.placement_figures import placement_figures, state_of
from core.extensions import db
from leads.models import Lead
from listings.business_time import day_start_utc
from listings.models import Placement
from listings.placement_state import PlacementState


@dataclass(frozen=True)
class Overview:
    today: date
    leads_today: int
    active_placements: int
    in_flight_placements: int


def leads_since(day: date) -> int:
    return db.session.scalar(sa.select(sa.func.count(Lead.id)).where(Lead.created_at >= day_start_utc(day))) or 0


def placement_counts(today: date) -> tuple[int, int]:
    """(active, in flight): flights between their dates and not paused, and how many of
    them are active once caps and budget are applied."""
    in_flight = db.session.scalars(
        sa.select(Placement).where(
            Placement.starts_on <= today, Placement.ends_on >= today, Placement.paused.is_(False)
        )
    ).all()
    figures = placement_figures([placement.id for placement in in_flight], today)
    active = sum(1 for p in in_flight if state_of(p, figures[p.id], today) is PlacementState.ACTIVE)
    return active, len(in_flight)


def overview(today: date) -> Overview:
    active, in_flight = placement_counts(today)
    return Overview(
        today=today,
        leads_today=leads_since(today),
        active_placements=active,
        in_flight_placements=in_flight,
    )
