"""Money: which placement a delivery is sold under, and the atomic reservation of its
cap and budget. The one place that decides whether a lead is billable."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Session

from listings.business_time import business_day
from listings.models import Placement, Program
from listings.placement_state import PlacementState, placement_state
from listings.stats import add_to_day, placement_counters


@dataclass(frozen=True)
class Sale:
    placement_id: int | None
    price_cents: int
    billable: bool


NOT_SOLD = Sale(None, 0, False)


def _running_placements(session: Session, program: Program, hinted_id: int | None, today: date) -> list[Placement]:
    """The school's flights that could sell this lead today, in order of preference: the one
    of the page the reader came through (when it is this school's, for this category), then
    one targeting this program, then the highest bid. Locked (SELECT … FOR UPDATE, in id
    order so two requests never deadlock) on PostgreSQL; on SQLite the transaction began
    IMMEDIATE and already holds the write lock."""
    placements = session.scalars(
        sa.select(Placement)
        .where(
            Placement.school_id == program.school_id,
            Placement.category_id == program.category_id,
            sa.or_(Placement.program_id.is_(None), Placement.program_id == program.id),
            Placement.starts_on <= today,
            Placement.ends_on >= today,
            Placement.paused.is_(False),
        )
        .order_by(Placement.id)
        .with_for_update()
    ).all()
    return sorted(
        placements,
        key=lambda p: (p.id != hinted_id, p.program_id is None, -p.price_per_lead_cents, p.id),
    )


def sell(session: Session, program: Program, hinted_placement_id: int | None = None) -> Sale:
    """Reserve one lead of cap and budget for `program`'s school, inside the caller's transaction.

    With the candidate placements locked, their counters are read and the first one still
    active takes the lead, so concurrent leads are counted one at a time and can never push
    a placement past a cap or its budget. When none can take it the lead is still delivered
    — the reader asked for it — but not billed, and it stays attributed to the first one."""
    today = business_day()
    candidates = _running_placements(session, program, hinted_placement_id, today)
    if not candidates:
        return NOT_SOLD
    counters = placement_counters(session, [p.id for p in candidates], today)
    for placement in candidates:
        state = placement_state(
            placement,
            today=today,
            leads_today=counters[placement.id].leads_today,
            leads_this_month=counters[placement.id].leads_this_month,
            spend_total=counters[placement.id].spend_total,
        )
        if state is PlacementState.ACTIVE:
            add_to_day(session, placement.id, today, leads=1, spend_cents=placement.price_per_lead_cents)
            return Sale(placement.id, placement.price_per_lead_cents, True)
    return Sale(candidates[0].id, 0, False)


def give_back(session: Session, delivery) -> None:
    """Return a billable delivery's reservation (dead or returned): the day it was sold on
    loses one lead and its price, and the delivery is no longer billable."""
    if not delivery.billable or delivery.placement_id is None:
        return
    add_to_day(
        session,
        delivery.placement_id,
        business_day(delivery.created_at),
        leads=-1,
        spend_cents=-delivery.price_cents,
    )
    delivery.billable = False
