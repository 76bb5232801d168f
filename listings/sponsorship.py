"""Sponsorship: which paid placements may be shown now, which programs they show, and the
signed links that count a click and attribute a lead. The one place this rule lives;
every surface that shows programs (article listings, search, school pages, the request
form's similar programs) asks here.

A placement is shown only while its derived state (listings/placement_state.py) is ACTIVE.
Sponsored slots are drawn at random for each page view, without replacement, with a weight
equal to the bid (price per lead), so over many views each eligible placement is shown in
proportion to its bid. Payment never touches the organic order (listings/positions.py)."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

import sqlalchemy as sa
from flask import current_app, url_for
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import contains_eager, joinedload, raiseload

from core.extensions import db
from listings.business_time import business_today
from listings.catalogue import listing_options
from listings.models import Placement, Program, School
from listings.placement_state import PlacementState, placement_state
from listings.stats import placement_counters

# A click link lives as long as a page is plausibly left open; a replayed link stops counting after that.
CLICK_TOKEN_MAX_AGE = 24 * 3600
# The attribution link is carried by the request form until the reader sends it.
PLACEMENT_TOKEN_MAX_AGE = 3 * 24 * 3600
_CLICK_SALT = "prospectus.sponsored-click.v1"
_PLACEMENT_SALT = "prospectus.placement-attribution.v1"


@dataclass(frozen=True)
class PlacementView:
    """A placement (school and target program loaded) with its counters and derived state."""

    placement: Placement
    state: PlacementState
    leads_today: int
    leads_this_month: int
    spend_total: int

    @property
    def weight(self) -> int:
        """Its share of the rotation: the bid, at least 1 so a free placement still rotates."""
        return max(self.placement.price_per_lead_cents, 1)


@dataclass(frozen=True)
class SponsoredItem:
    """A paid program shown on a page: what to render, under which placement, how to link it."""

    program: Program
    placement: Placement
    token: str

    @property
    def go_url(self) -> str:
        return url_for("listings.go", token=self.token)


class TokenClaim(NamedTuple):
    placement_id: int
    program_id: int


def placement_views(
    *,
    category_ids: Iterable[int] | None = None,
    school_ids: Iterable[int] | None = None,
    placement_ids: Iterable[int] | None = None,
    today: date | None = None,
    running_only: bool = True,
) -> list[PlacementView]:
    """Placements matching the filters with their derived state, in two statements (the
    placements with school and program, then their counters aggregated in one query).

    `running_only` narrows the SQL to flights whose dates include `today` — a prefilter that
    keeps years of ended flights out of every page; the state itself is still decided by
    placement_state()."""
    today = today or business_today()
    statement = (
        sa.select(Placement)
        .join(School, School.id == Placement.school_id)
        .where(School.active.is_(True))
        .order_by(Placement.id)
        .options(
            contains_eager(Placement.school).raiseload("*"),
            joinedload(Placement.program).raiseload("*"),
            raiseload("*"),
        )
    )
    if category_ids is not None:
        statement = statement.where(Placement.category_id.in_(list(category_ids)))
    if school_ids is not None:
        statement = statement.where(Placement.school_id.in_(list(school_ids)))
    if placement_ids is not None:
        statement = statement.where(Placement.id.in_(list(placement_ids)))
    if running_only:
        statement = statement.where(Placement.starts_on <= today, Placement.ends_on >= today)
    placements = db.session.scalars(statement).unique().all()
    counters = placement_counters(db.session, [p.id for p in placements], today)
    views = []
    for placement in placements:
        count = counters[placement.id]
        state = placement_state(
            placement,
            today=today,
            leads_today=count.leads_today,
            leads_this_month=count.leads_this_month,
            spend_total=count.spend_total,
        )
        views.append(PlacementView(placement, state, count.leads_today, count.leads_this_month, count.spend_total))
    return views


def eligible_placements(category_id: int, *, today: date | None = None) -> list[PlacementView]:
    """The placements of `category_id` that may be shown now (state ACTIVE, school active)."""
    return [
        view for view in placement_views(category_ids=[category_id], today=today) if view.state is PlacementState.ACTIVE
    ]


def _weighted_order(views: list[PlacementView], rng: random.Random) -> list[PlacementView]:
    """A weighted random permutation (Efraimidis–Spirakis): each view's key is u^(1/weight),
    largest first. Taking the first k is weighted sampling without replacement; the first
    place goes to each view with probability weight / total weight."""
    keyed = [(rng.random() ** (1.0 / view.weight), view.placement.id, view) for view in views]
    keyed.sort(key=lambda entry: (entry[0], entry[1]), reverse=True)
    return [view for _key, _id, view in keyed]


def _showable_programs(category_id: int, views: list[PlacementView]) -> dict[int, list[Program]]:
    """The listed programs each placement may show, keyed by placement id (one statement).

    A placement that targets a program shows that program while it is listed; one that
    targets none shows any listed program of its school in the category."""
    if not views:
        return {}
    targeted = {v.placement.program_id for v in views if v.placement.program_id is not None}
    school_wide = {v.placement.school_id for v in views if v.placement.program_id is None}
    conditions = []
    if targeted:
        conditions.append(Program.id.in_(targeted))
    if school_wide:
        conditions.append(sa.and_(Program.school_id.in_(school_wide), Program.category_id == category_id))
    programs = db.session.scalars(
        sa.select(Program)
        .where(sa.or_(*conditions), Program.listing_position.is_not(None))
        .order_by(Program.listing_position)
        .options(*listing_options())
    ).all()
    by_id = {program.id: program for program in programs}
    by_school: dict[int, list[Program]] = {}
    for program in programs:
        if program.category_id == category_id:
            by_school.setdefault(program.school_id, []).append(program)
    showable: dict[int, list[Program]] = {}
    for view in views:
        placement = view.placement
        if placement.program_id is not None:
            program = by_id.get(placement.program_id)
            # A targeted program must still belong to the school and the category bought.
            if program and program.school_id == placement.school_id and program.category_id == category_id:
                showable[placement.id] = [program]
        elif by_school.get(placement.school_id):
            showable[placement.id] = by_school[placement.school_id]
    return showable


def sponsored_slots(
    category_id: int, *, slots: int | None = None, rng: random.Random | None = None, today: date | None = None
) -> list[SponsoredItem]:
    """Up to `slots` (default SPONSORED_SLOTS) paid programs to head a page of `category_id`,
    drawn for this page view: weighted by bid, no placement twice, no program twice."""
    slots = current_app.config["SPONSORED_SLOTS"] if slots is None else slots
    if slots <= 0:
        return []
    views = eligible_placements(category_id, today=today)
    chosen = choose_slots(views, _showable_programs(category_id, views), slots, rng or random.Random())
    return [SponsoredItem(program, placement, click_token(placement.id, program.id)) for placement, program in chosen]


def choose_slots(
    views: list[PlacementView], showable: dict[int, list[Program]], slots: int, rng: random.Random
) -> list[tuple[Placement, Program]]:
    """The rotation itself, free of the database: up to `slots` (placement, program) pairs
    drawn by weight without replacement, skipping a placement whose programs are all shown."""
    chosen: list[tuple[Placement, Program]] = []
    shown: set[int] = set()
    for view in _weighted_order([v for v in views if showable.get(v.placement.id)], rng):
        candidates = [p for p in showable[view.placement.id] if p.id not in shown]
        if not candidates:
            continue
        # A school-wide placement rotates evenly among its school's programs in the category.
        program = candidates[0] if len(candidates) == 1 else rng.choice(candidates)
        shown.add(program.id)
        chosen.append((view.placement, program))
        if len(chosen) == slots:
            break
    return chosen


def sponsored_programs(programs: Iterable[Program], *, today: date | None = None) -> dict[int, SponsoredItem]:
    """Which of `programs` are paid placements now, keyed by program id.

    A program is paid when its school has an ACTIVE placement in the program's category
    that targets this program or no program; a targeting placement wins, then the higher
    bid. Surfaces that show a given set of programs label these "Sponsored"."""
    programs = [p for p in programs if p.listing_position is not None]
    if not programs:
        return {}
    views = placement_views(
        category_ids={p.category_id for p in programs}, school_ids={p.school_id for p in programs}, today=today
    )
    candidates: dict[tuple[int, int], list[Placement]] = {}
    for view in views:
        if view.state is PlacementState.ACTIVE:
            candidates.setdefault((view.placement.school_id, view.placement.category_id), []).append(view.placement)
    paid: dict[int, SponsoredItem] = {}
    for program in programs:
        fitting = [
            placement
            for placement in candidates.get((program.school_id, program.category_id), [])
            if placement.program_id in (None, program.id)
        ]
        if not fitting:
            continue
        best = min(fitting, key=lambda p: (p.program_id is None, -p.price_per_lead_cents, p.id))
        paid[program.id] = SponsoredItem(program, best, click_token(best.id, program.id))
    return paid


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def _claim(payload: object) -> TokenClaim | None:
    if (
        isinstance(payload, list)
        and len(payload) == 2
        and all(isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in payload)
    ):
        return TokenClaim(payload[0], payload[1])
    return None


def _read(salt: str, token: str, max_age: int) -> TokenClaim | None:
    if not isinstance(token, str) or len(token) > 512:
        return None
    try:
        return _claim(_serializer(salt).loads(token, max_age=max_age))
    except BadData:  # bad signature, expired, malformed: all mean "not a valid link"
        return None


def click_token(placement_id: int, program_id: int) -> str:
    """The signed token of a sponsored item's /go/ link."""
    return _serializer(_CLICK_SALT).dumps([placement_id, program_id])


def read_click_token(token: str, *, max_age: int = CLICK_TOKEN_MAX_AGE) -> TokenClaim | None:
    """(placement_id, program_id) of a genuine, unexpired click token; None otherwise."""
    return _read(_CLICK_SALT, token, max_age)


def expired_click_program(token: str) -> int | None:
    """The program of a genuine click token that is too old to count: the reader still
    gets to the program, the click is not counted."""
    if not isinstance(token, str) or len(token) > 512:
        return None
    serializer = _serializer(_CLICK_SALT)
    try:
        serializer.loads(token, max_age=CLICK_TOKEN_MAX_AGE)
    except SignatureExpired as error:
        # The signature was checked before the age: the payload is genuine, only old.
        try:
            claim = _claim(serializer.load_payload(error.payload))
        except BadData:
            return None
        return claim.program_id if claim else None
    except BadData:
        return None
    return None


def placement_token(placement_id: int, program_id: int) -> str:
    """The signed token that carries a placement to the request form for attribution."""
    return _serializer(_PLACEMENT_SALT).dumps([placement_id, program_id])


def read_placement_token(token: str, *, max_age: int = PLACEMENT_TOKEN_MAX_AGE) -> TokenClaim | None:
    """(placement_id, program_id) of a genuine, unexpired placement token; None otherwise."""
    return _read(_PLACEMENT_SALT, token, max_age)
