"""Daily placement counters (PlacementStat): one upsert adds to a day's row, creating
it when missing, on SQLite and PostgreSQL alike, without a read-modify-write race."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from core.models import utcnow
from listings.business_time import month_bounds
from listings.models import PlacementStat

COUNTERS = ("impressions", "clicks", "leads", "spend_cents")


def add_to_daily_stats(session: Session, rows: list[dict]) -> None:
    """Add counters to (placement_id, day) rows; each dict holds placement_id, day and any
    of COUNTERS (negative values give a reservation back)."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    now = utcnow()
    for row in rows:
        values = {name: int(row.get(name, 0)) for name in COUNTERS}
        statement = insert(PlacementStat).values(
            placement_id=row["placement_id"], day=row["day"], updated_at=now, **values
        )
        statement = statement.on_conflict_do_update(
            index_elements=[PlacementStat.placement_id, PlacementStat.day],
            set_={
                **{name: getattr(PlacementStat, name) + statement.excluded[name] for name in COUNTERS},
                "updated_at": now,
            },
        )
        session.execute(statement)


def add_to_day(session: Session, placement_id: int, day: date, **counters: int) -> None:
    """add_to_daily_stats for one row."""
    add_to_daily_stats(session, [{"placement_id": placement_id, "day": day, **counters}])


@dataclass(frozen=True)
class Counters:
    """What a placement's state depends on, besides its own fields."""

    leads_today: int = 0
    leads_this_month: int = 0
    spend_total: int = 0


def placement_counters(session: Session, placement_ids: list[int], today: date) -> dict[int, Counters]:
    """Counters of each placement as of business day `today`, in one aggregate statement."""
    if not placement_ids:
        return {}
    month_first, _ = month_bounds(today)
    stat = PlacementStat
    rows = session.execute(
        sa.select(
            stat.placement_id,
            sa.func.coalesce(sa.func.sum(sa.case((stat.day == today, stat.leads), else_=0)), 0),
            sa.func.coalesce(
                sa.func.sum(sa.case((sa.and_(stat.day >= month_first, stat.day <= today), stat.leads), else_=0)), 0
            ),
            sa.func.coalesce(sa.func.sum(stat.spend_cents), 0),
        )
        .where(stat.placement_id.in_(placement_ids))
        .group_by(stat.placement_id)
    )
    found = {pid: Counters(int(a), int(b), int(c)) for pid, a, b, c in rows}
    return {pid: found.get(pid, Counters()) for pid in placement_ids}
