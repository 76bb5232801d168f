"""The organic order of a category's listings, kept as a maintained position.

Organic order is alphabetical by school, then program name — never by payment.
Each listed program (active, of an active school) holds its 1-based place in its
category, so page N of a listing is an indexed range scan that costs what page 1
costs, and the category keeps its total so no page ever counts rows. Positions are
renumbered in the same transaction as any change that could move them.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from listings.models import Category, Program, School

_STALE_KEY = "listings_stale_categories"


def organic_order() -> tuple:
    """The ORDER BY of the organic listing: nothing here may depend on payment."""
    return (School.name, Program.name, Program.id)


def renumber_category(session: Session, category_id: int) -> int:
    """Recompute the positions and total of one category; returns the total.

    Only rows whose place changed are written, and their updated_at is left alone: a
    program moving down because another was added is not an edit of that program."""
    rows = session.execute(
        sa.select(Program.id, Program.listing_position, sa.and_(Program.active, School.active))
        .join(School, School.id == Program.school_id)
        .where(Program.category_id == category_id)
        .order_by(*organic_order())
    )
    changes = []
    place = 0
    for program_id, current, listed in rows:
        wanted = None
        if listed:
            place += 1
            wanted = place
        if current != wanted:
            changes.append({"program_id": program_id, "position": wanted})
    if changes:
        table = Program.__table__
        session.execute(
            sa.update(table)
            .where(table.c.id == sa.bindparam("program_id"))
            .values(listing_position=sa.bindparam("position"), updated_at=table.c.updated_at),
            changes,
        )
    session.execute(
        sa.update(Category)
        .where(Category.id == category_id, Category.listing_total != place)
        .values(listing_total=place)
        .execution_options(synchronize_session=False)
    )
    return place


def renumber_all(session: Session) -> None:
    for category_id in session.scalars(sa.select(Category.id)).all():
        renumber_category(session, category_id)


def _changed(obj, *names: str) -> bool:
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _note_listing_changes(session: Session, _flush_context) -> None:
    stale: set[int] = session.info.setdefault(_STALE_KEY, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Program) and (
            obj in session.new or obj in session.deleted or _changed(obj, "name", "active", "category_id", "school_id")
        ):
            history = sa.inspect(obj).attrs.category_id.history
            stale.update(cid for cid in (*history.added, *history.deleted, *history.unchanged) if cid)
        elif isinstance(obj, School) and obj not in session.new and _changed(obj, "name", "active"):
            stale.update(
                session.scalars(sa.select(Program.category_id).where(Program.school_id == obj.id).distinct()).all()
            )
        elif isinstance(obj, School) and obj in session.deleted:
            stale.add(-1)  # categories of a deleted school are no longer knowable: renumber all


def _renumber_before_commit(session: Session) -> None:
    if not session.info.get(_STALE_KEY) and not (session.new or session.dirty or session.deleted):
        return
    session.flush()  # before_commit runs before commit's own flush; collect its changes first
    stale = session.info.pop(_STALE_KEY, None)
    if not stale:
        return
    if -1 in stale:
        renumber_all(session)
        return
    for category_id in sorted(stale):
        renumber_category(session, category_id)


def install_position_upkeep() -> None:
    """Keep positions right whatever changes programs or schools (admin, seed, shell)."""
    if not event.contains(Session, "after_flush", _note_listing_changes):
        event.listen(Session, "after_flush", _note_listing_changes)
        event.listen(Session, "before_commit", _renumber_before_commit)
