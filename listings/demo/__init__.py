"""`flask seed-demo`: a believable catalogue for development and demos, safe to run again.

Every row is found by its natural key — slug for categories, articles and schools;
school + ZIP for campuses; school + name for programs; name for placements; placement
+ day for their counters — and a column is written only where its value differs, so a
second run on the same day creates nothing and updates nothing. Each table is read
once and flushed once, which keeps the whole seed well under a few seconds."""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from listings.business_time import business_today
from listings.demo.articles import ARTICLES
from listings.demo.categories import CATEGORIES
from listings.demo.facts import article_facts
from listings.demo.metros import ALL_ZIPS
from listings.demo.placements import PlacementSpec, demo_placements
from listings.demo.schools import demo_schools
from listings.models import (
    Article,
    Campus,
    Category,
    Placement,
    PlacementStat,
    Program,
    School,
    ZipCode,
)
from listings.positions import renumber_all

__all__ = ["seed_demo"]

M = TypeVar("M")


class _Upsert:
    """Creates missing rows and brings existing ones in line, counting what it created."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.created = 0

    def __call__(self, model: type[M], existing: dict[Hashable, M], key: Hashable, values: dict[str, Any]) -> M:
        row = existing.get(key)
        if row is None:
            row = model(**values)
            self.session.add(row)
            existing[key] = row
            self.created += 1
            return row
        for name, value in values.items():
            # Assigning an equal value would still mark the row dirty for the position hook.
            if getattr(row, name) != value:
                setattr(row, name, value)
        return row


def seed_demo(session: Session, *, today: date | None = None) -> dict[str, int]:
    """Create or refresh the demo data in `session` (not committed); returns row counts.

    `today` is a BUSINESS_TIMEZONE date (default: now); placement dates and counters
    are laid out relative to it."""
    today = today or business_today()
    upsert = _Upsert(session)
    categories = _seed_categories(session, upsert)
    articles = _seed_articles(session, upsert, categories)
    schools = _seed_schools(session, upsert)
    campuses = _seed_campuses(session, upsert, schools)
    programs = _seed_programs(session, upsert, schools, campuses, categories)
    placements = _seed_placements(session, upsert, today, schools, programs, categories)
    stats = _seed_placement_stats(session, upsert, placements)
    # The commit hook renumbers too, but only the categories it saw change; say it outright.
    renumber_all(session)
    return {
        "categories": len(categories),
        "articles": len(articles),
        "schools": len(schools),
        "campuses": len(campuses),
        "programs": len(programs),
        "placements": len(placements),
        "placement_stats": stats,
        "created": upsert.created,
    }


def _seed_categories(session: Session, upsert: _Upsert) -> dict[str, Category]:
    existing: dict[Hashable, Category] = {
        row.slug: row
        for row in session.scalars(sa.select(Category).where(Category.slug.in_([c.slug for c in CATEGORIES])))
    }
    for spec in CATEGORIES:
        upsert(Category, existing, spec.slug, {"slug": spec.slug, "name": spec.name, "description": spec.description})
    session.flush()
    return existing  # type: ignore[return-value]


def _seed_articles(session: Session, upsert: _Upsert, categories: dict[str, Category]) -> dict[str, Article]:
    existing: dict[Hashable, Article] = {
        row.slug: row
        for row in session.scalars(
            sa.select(Article)
            .where(Article.slug.in_([a.slug for a in ARTICLES]))
            .options(selectinload(Article.related))  # compared below; the relationship never lazy-loads
        )
    }
    loaded = set(existing)
    for spec in ARTICLES:
        upsert(
            Article,
            existing,
            spec.slug,
            {
                "slug": spec.slug,
                "title": spec.title,
                "summary": spec.summary,
                "body": spec.body,
                "category_id": categories[spec.category].id,
                "published": True,
                "featured": spec.featured,
                "field_of_study": spec.field_of_study,
                "key_skills": spec.key_skills,
                "certification": spec.certification,
                **article_facts(spec.occupation),
            },
        )
    for spec in ARTICLES:
        article = existing[spec.slug]
        wanted = [existing[slug] for slug in spec.related]
        # A new article's collection is assigned before its first flush, while it has nothing to load.
        if spec.slug not in loaded or {a.slug for a in article.related} != set(spec.related):
            article.related = wanted
    session.flush()
    return existing  # type: ignore[return-value]


def _seed_schools(session: Session, upsert: _Upsert) -> dict[str, School]:
    specs = demo_schools()
    existing: dict[Hashable, School] = {
        row.slug: row for row in session.scalars(sa.select(School).where(School.slug.in_([s.slug for s in specs])))
    }
    for spec in specs:
        upsert(
            School,
            existing,
            spec.slug,
            {
                "slug": spec.slug,
                "name": spec.name,
                "website": spec.website,
                "control": spec.control,
                "accreditor": spec.accreditor,
                "description": spec.description,
                "active": True,
                "lead_recipients": spec.lead_recipients,
                "billing_email": spec.billing_email,
            },
        )
    session.flush()
    return existing  # type: ignore[return-value]


def _seed_campuses(session: Session, upsert: _Upsert, schools: dict[str, School]) -> dict[tuple[int, str], Campus]:
    zips = {row.zip: row for row in session.scalars(sa.select(ZipCode).where(ZipCode.zip.in_(sorted(ALL_ZIPS))))}
    if missing := ALL_ZIPS - zips.keys():
        raise RuntimeError(f"ZIP codes {sorted(missing)} are not loaded; run `flask db upgrade` first")
    existing: dict[Hashable, Campus] = {
        (row.school_id, row.zip_code): row
        for row in session.scalars(sa.select(Campus).where(Campus.school_id.in_([s.id for s in schools.values()])))
    }
    seeded: dict[tuple[int, str], Campus] = {}
    for spec in demo_schools():
        school_id = schools[spec.slug].id
        for zip_code in spec.campus_zips:
            place = zips[zip_code]
            key = (school_id, zip_code)
            seeded[key] = upsert(
                Campus,
                existing,
                key,
                {
                    "school_id": school_id,
                    "name": f"{place.city} Campus",
                    "city": place.city,
                    "state": place.state,
                    "zip_code": zip_code,
                    "latitude": place.latitude,
                    "longitude": place.longitude,
                },
            )
    session.flush()
    return seeded


def _seed_programs(
    session: Session,
    upsert: _Upsert,
    schools: dict[str, School],
    campuses: dict[tuple[int, str], Campus],
    categories: dict[str, Category],
) -> dict[tuple[int, str], Program]:
    existing: dict[Hashable, Program] = {
        (row.school_id, row.name): row
        for row in session.scalars(sa.select(Program).where(Program.school_id.in_([s.id for s in schools.values()])))
    }
    seeded: dict[tuple[int, str], Program] = {}
    for school_spec in demo_schools():
        school_id = schools[school_spec.slug].id
        for spec in school_spec.programs:
            key = (school_id, spec.name)
            seeded[key] = upsert(
                Program,
                existing,
                key,
                {
                    "school_id": school_id,
                    "campus_id": campuses[(school_id, spec.campus_zip)].id if spec.campus_zip else None,
                    "category_id": categories[spec.category].id,
                    "name": spec.name,
                    "level": spec.level,
                    "delivery": spec.delivery,
                    "active": spec.active,
                    "tuition_usd": spec.tuition_usd,
                    "length_months": spec.length_months,
                },
            )
    session.flush()
    return seeded


def _seed_placements(
    session: Session,
    upsert: _Upsert,
    today: date,
    schools: dict[str, School],
    programs: dict[tuple[int, str], Program],
    categories: dict[str, Category],
) -> dict[str, tuple[Placement, PlacementSpec]]:
    specs = demo_placements(today)
    existing: dict[Hashable, Placement] = {
        row.name: row
        for row in session.scalars(sa.select(Placement).where(Placement.name.in_([p.name for p in specs])))
    }
    seeded: dict[str, tuple[Placement, PlacementSpec]] = {}
    for spec in specs:
        school_id = schools[spec.school_slug].id
        placement = upsert(
            Placement,
            existing,
            spec.name,
            {
                "name": spec.name,
                "school_id": school_id,
                "category_id": categories[spec.category].id,
                "program_id": programs[(school_id, spec.program_name)].id if spec.program_name else None,
                # Dates move with today on every run: that is what keeps each flight in its state.
                "starts_on": spec.starts_on,
                "ends_on": spec.ends_on,
                "paused": spec.paused,
                "price_per_lead_cents": spec.price_per_lead_cents,
                "daily_cap": spec.daily_cap,
                "monthly_cap": spec.monthly_cap,
                "budget_cents": spec.budget_cents,
            },
        )
        seeded[spec.name] = (placement, spec)
    session.flush()
    return seeded


def _seed_placement_stats(
    session: Session, upsert: _Upsert, placements: dict[str, tuple[Placement, PlacementSpec]]
) -> int:
    """Lay down each demo placement's counters and drop any others it has.

    A demo flight's state is defined by its counters, so counters left from an earlier
    run (or from demo traffic) would push it out of the state it exists to show."""
    existing: dict[Hashable, PlacementStat] = {
        (row.placement_id, row.day): row
        for row in session.scalars(
            sa.select(PlacementStat).where(PlacementStat.placement_id.in_([p.id for p, _ in placements.values()]))
        )
    }
    wanted: set[tuple[int, date]] = set()
    for placement, spec in placements.values():
        for stat in spec.stats:
            key = (placement.id, stat.day)
            wanted.add(key)
            upsert(PlacementStat, existing, key, {"placement_id": placement.id, **stat._asdict()})
    for key, row in existing.items():
        if key not in wanted:
            session.delete(row)
    session.flush()
    return len(wanted)
