"""Program.search_text: the words a text search matches for a program — its name, its
school's name, its field, and its campus town and state (or "Online").

They live in four tables; search needs them in one column so that "nursing lakeshore" can
match one program, and so PostgreSQL can keep one GIN index on it. Like the listing
positions, the column is recomputed in the same transaction as any change that could
alter it (a SQLAlchemy session hook), by one UPDATE computed in SQL."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from listings.models import Campus, Category, Program, School

_STALE_KEY = "listings_stale_search_text"
_WATCHED = {
    Program: ("name", "school_id", "category_id", "campus_id"),
    School: ("name",),
    Category: ("name",),
    Campus: ("city", "state"),
}


def search_text_expression() -> sa.ColumnElement[str]:
    """search_text computed in SQL from the program's row and its school, field and campus."""
    school = sa.select(School.name).where(School.id == Program.school_id).scalar_subquery()
    category = sa.select(Category.name).where(Category.id == Program.category_id).scalar_subquery()
    place = sa.select(Campus.city + " " + Campus.state).where(Campus.id == Program.campus_id).scalar_subquery()
    return (
        Program.name
        + " "
        + sa.func.coalesce(school, "")
        + " "
        + sa.func.coalesce(category, "")
        + " "
        + sa.func.coalesce(place, "Online")
    )


def refresh_search_text(session: Session, *, program_ids=(), school_ids=(), category_ids=(), campus_ids=()) -> None:
    """Recompute search_text of the programs touched by these ids (one UPDATE)."""
    conditions = []
    for column, ids in (
        (Program.id, program_ids),
        (Program.school_id, school_ids),
        (Program.category_id, category_ids),
        (Program.campus_id, campus_ids),
    ):
        if ids:
            conditions.append(column.in_(sorted(ids)))
    if conditions:
        session.execute(
            sa.update(Program)
            .where(sa.or_(*conditions))
            .values(search_text=search_text_expression())
            .execution_options(synchronize_session=False)
        )


def refresh_all(session: Session) -> None:
    session.execute(
        sa.update(Program).values(search_text=search_text_expression()).execution_options(synchronize_session=False)
    )


def _note_changes(session: Session, _flush_context) -> None:
    stale: dict[type, set[int]] = session.info.setdefault(_STALE_KEY, {})
    for obj in (*session.new, *session.dirty):
        names = _WATCHED.get(type(obj))
        if names is None or obj.id is None:
            continue
        state = sa.inspect(obj)
        if obj in session.new or any(state.attrs[name].history.has_changes() for name in names):
            stale.setdefault(type(obj), set()).add(obj.id)


def _refresh_before_commit(session: Session) -> None:
    if not session.info.get(_STALE_KEY) and not (session.new or session.dirty):
        return
    session.flush()
    stale = session.info.pop(_STALE_KEY, None)
    if stale:
        refresh_search_text(
            session,
            program_ids=stale.get(Program, ()),
            school_ids=stale.get(School, ()),
            category_ids=stale.get(Category, ()),
            campus_ids=stale.get(Campus, ()),
        )


def install_search_text_upkeep() -> None:
    """Keep search_text right whatever changes programs, schools, fields or campuses."""
    if not event.contains(Session, "after_flush", _note_changes):
        event.listen(Session, "after_flush", _note_changes)
        event.listen(Session, "before_commit", _refresh_before_commit)
