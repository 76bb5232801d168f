"""Matching: which programs a request can go to, and the similar programs of other
schools offered beside the one the reader chose."""

from __future__ import annotations

import sqlalchemy as sa

from core.extensions import db
from listings.catalogue import listing_options
from listings.geo import miles_between
from listings.models import Program, School

SIMILAR_LIMIT = 4
# An online program counts as this many miles away: a good nearby campus comes first,
# but online options are still offered to everyone.
ONLINE_AS_MILES = 30.0


def _open_programs():
    return (
        sa.select(Program)
        .join(School, School.id == Program.school_id)
        .where(Program.active.is_(True), School.active.is_(True))
        .options(*listing_options())
    )


def active_programs(ids: list[int]) -> list[Program]:
    """The open programs among `ids`, in the order given (one statement)."""
    if not ids:
        return []
    found = {p.id: p for p in db.session.scalars(_open_programs().where(Program.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def program_or_none(program_id: str | None) -> Program | None:
    if not program_id or not program_id.isdigit() or len(program_id) > 9:
        return None
    programs = active_programs([int(program_id)])
    return programs[0] if programs else None


def similar_programs(chosen: Program, limit: int = SIMILAR_LIMIT) -> list[Program]:
    """Up to `limit` programs of OTHER schools in the same category and level, nearest to
    the chosen program's campus first (online ones included), one per school."""
    candidates = db.session.scalars(
        _open_programs().where(
            Program.category_id == chosen.category_id,
            Program.level == chosen.level,
            Program.school_id != chosen.school_id,
        )
    ).all()
    origin = chosen.campus

    def distance(program: Program) -> float:
        if program.campus is None:
            return ONLINE_AS_MILES
        if origin is None:  # the chosen program is online: no place to measure from
            return ONLINE_AS_MILES + 1
        return miles_between(origin.latitude, origin.longitude, program.campus.latitude, program.campus.longitude)

    chosen_schools: set[int] = set()
    similar: list[Program] = []
    for program in sorted(candidates, key=lambda p: (distance(p), p.school.name, p.id)):
        if program.school_id in chosen_schools:
            continue
        chosen_schools.add(program.school_id)
        similar.append(program)
        if len(similar) == limit:
            break
    return similar


def school_names(school_ids: list[int]) -> list[str]:
    """Names of the given schools, in the order given."""
    names = dict(db.session.execute(sa.select(School.id, School.name).where(School.id.in_(school_ids))).all())
    return [names[i] for i in school_ids if i in names]
