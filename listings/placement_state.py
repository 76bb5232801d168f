"""The one place a placement's state is derived. It is never stored: dates, the pause
flag, caps, budget and the counters decide it, so it can never go stale."""

from __future__ import annotations

import enum
from datetime import date

from listings.models import Placement


class PlacementState(enum.StrEnum):
    SCHEDULED = "scheduled"
    ACTIVE = "active"
    PAUSED = "paused"
    CAPPED_TODAY = "capped_today"
    CAPPED_MONTH = "capped_month"
    BUDGET_SPENT = "budget_spent"
    ENDED = "ended"

    @property
    def label(self) -> str:
        return {
            "scheduled": "Scheduled",
            "active": "Active",
            "paused": "Paused",
            "capped_today": "Capped today",
            "capped_month": "Capped this month",
            "budget_spent": "Budget spent",
            "ended": "Ended",
        }[self.value]


def placement_state(
    placement: Placement, *, today: date, leads_today: int, leads_this_month: int, spend_total: int
) -> PlacementState:
    """The state of `placement` on `today` (a business-timezone date) given its counters.

    Dates come first (an ended flight stays ended even if paused), then the operator's
    pause, then money and caps: the widest limit that is reached is the one reported."""
    if today > placement.ends_on:
        return PlacementState.ENDED
    if today < placement.starts_on:
        return PlacementState.SCHEDULED
    if placement.paused:
        return PlacementState.PAUSED
    # Spent once what is left cannot pay for one more lead: a placement that cannot be
    # billed must not go on being shown as sponsored.
    if placement.budget_cents is not None and placement.budget_cents - spend_total < max(
        placement.price_per_lead_cents, 1
    ):
        return PlacementState.BUDGET_SPENT
    if placement.monthly_cap is not None and leads_this_month >= placement.monthly_cap:
        return PlacementState.CAPPED_MONTH
    if placement.daily_cap is not None and leads_today >= placement.daily_cap:
        return PlacementState.CAPPED_TODAY
    return PlacementState.ACTIVE
