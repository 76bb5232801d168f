"""Small builders for test data; each returns flushed objects with ids."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from core.extensions import db
from listings.models import Article, Campus, Category, Placement, Program, School

_seq = itertools.count(1)


def category(**fields) -> Category:
    n = next(_seq)
    obj = Category(slug=fields.pop("slug", f"field-{n}"), name=fields.pop("name", f"Field {n}"), **fields)
    db.session.add(obj)
    db.session.flush()
    return obj


def school(**fields) -> School:
    n = next(_seq)
    defaults = {
        "slug": f"school-{n}",
        "name": f"Test School {n:04d}",
        "lead_recipients": f"admissions@school-{n}.example.edu",
    }
    obj = School(**{**defaults, **fields})
    db.session.add(obj)
    db.session.flush()
    return obj


def campus(school_obj: School, zip_code: str = "60601", **fields) -> Campus:
    from listings.models import ZipCode

    place = db.session.get(ZipCode, zip_code)
    obj = Campus(
        school_id=school_obj.id,
        name=fields.pop("name", f"{place.city} campus"),
        city=place.city,
        state=place.state,
        zip_code=zip_code,
        latitude=place.latitude,
        longitude=place.longitude,
        **fields,
    )
    db.session.add(obj)
    db.session.flush()
    return obj


def program(school_obj: School, category_obj: Category, campus_obj: Campus | None = None, **fields) -> Program:
    n = next(_seq)
    defaults = {
        "name": f"Program {n:04d}",
        "level": "certificate",
        "delivery": "campus" if campus_obj else "online",
    }
    obj = Program(
        school_id=school_obj.id,
        category_id=category_obj.id,
        campus_id=campus_obj.id if campus_obj else None,
        **{**defaults, **fields},
    )
    db.session.add(obj)
    db.session.flush()
    return obj


def article(category_obj: Category, **fields) -> Article:
    n = next(_seq)
    defaults = {
        "slug": f"article-{n}",
        "title": f"How can I become a tester {n}?",
        "summary": "A test article.",
        "body": "## What they do\n\nThey test things.",
        "published": True,
        "occupation": "Testers",
        "median_pay_usd": 50250,
        "median_pay_year": 2024,
        "source_name": "U.S. Bureau of Labor Statistics, Occupational Outlook Handbook",
        "source_year": "2024–34",
    }
    obj = Article(category_id=category_obj.id, **{**defaults, **fields})
    db.session.add(obj)
    db.session.flush()
    return obj


def placement(school_obj: School, category_obj: Category, **fields) -> Placement:
    today = fields.pop("today", date.today())
    defaults = {
        "name": "Test flight",
        "starts_on": today - timedelta(days=10),
        "ends_on": today + timedelta(days=20),
        "price_per_lead_cents": 2500,
    }
    obj = Placement(school_id=school_obj.id, category_id=category_obj.id, **{**defaults, **fields})
    db.session.add(obj)
    db.session.flush()
    return obj


def catalogue(programs: int = 45, schools: int = 9) -> tuple[Category, Article]:
    """A category with an article and `programs` programs spread over `schools` schools."""
    cat = category()
    art = article(cat)
    made = [school() for _ in range(schools)]
    home = campus(made[0])
    for i in range(programs):
        owner = made[i % schools]
        program(owner, cat, home if owner is made[0] else None)
    db.session.commit()
    return cat, art
