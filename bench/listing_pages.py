"""Listing pages: does page N cost what page 1 costs?

Builds a category with many programs (default 20,000) on a fresh SQLite database (or on a
fresh PostgreSQL schema with --postgres URL), then times GET /careers/<slug>?page=N for the first, a
middle and the last page through the Flask test client, and counts their SQL statements.
Run by hand: .venv/bin/python -m bench.listing_pages [--programs N] [--postgres URL]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

from core import create_app
from core.extensions import db
from listings.models import Article, Category, Program, School
from listings.positions import renumber_category

PER_PAGE = 20


def build(app, programs: int) -> str:
    with app.app_context():
        upgrade()
        category = Category(slug="bench", name="Bench")
        db.session.add(category)
        db.session.flush()
        db.session.add(
            Article(
                slug="bench-career",
                title="How can I become a bencher?",
                category_id=category.id,
                published=True,
                summary="",
                body="",
            )
        )
        schools = [
            School(slug=f"bench-school-{n}", name=f"Bench School {n:05d}") for n in range(max(1, programs // 20))
        ]
        db.session.add_all(schools)
        db.session.flush()
        db.session.execute(
            sa.insert(Program),
            [
                {
                    "school_id": schools[n % len(schools)].id,
                    "category_id": category.id,
                    "name": f"Program {n:06d}",
                    "level": "certificate",
                    "delivery": "online",
                    "active": True,
                }
                for n in range(programs)
            ],
        )
        renumber_category(db.session, category.id)
        db.session.commit()
        return "bench-career"


def measure(app, slug: str, page: int, repeats: int) -> tuple[float, int]:
    """Median milliseconds and SQL statements of one page view."""
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", record)
    client = app.test_client()
    url = f"/careers/{slug}" + (f"?page={page}" if page > 1 else "")
    timings = []
    for _ in range(repeats):
        statements.clear()
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    sa.event.remove(engine, "before_cursor_execute", record)
    return statistics.median(timings), len(statements)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--programs", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--postgres", metavar="URL", help="run on a fresh schema of this PostgreSQL database")
    args = parser.parse_args()
    if args.postgres:
        from tests.services import postgres_schema

        with postgres_schema(args.postgres) as url:
            run(args, url)
    else:
        run(args, None)


def run(args, url: str | None) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-listing-"))
    url = url or f"sqlite:///{folder / 'bench.sqlite3'}"
    app = create_app(
        {"APP_ENV": "testing", "DATABASE_URL": url, "INSTANCE_PATH": str(folder / "instance")},
        {"RATELIMIT_ENABLED": False},
    )
    slug = build(app, args.programs)
    last = -(-args.programs // PER_PAGE)
    rows = []
    for page in (1, last // 2, last):
        ms, statements = measure(app, slug, page, args.repeats)
        rows.append((page, ms, statements))
    base = rows[0][1]
    print(
        f"{args.programs} programs, {last} pages, {args.repeats} requests each ({app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]})"
    )
    print(f"{'page':>8} {'median ms':>10} {'× page 1':>9} {'statements':>11}")
    for page, ms, statements in rows:
        print(f"{page:>8} {ms:>10.2f} {ms / base:>9.2f} {statements:>11}")
    with app.app_context():
        db.engine.dispose()


if __name__ == "__main__":
    main()
