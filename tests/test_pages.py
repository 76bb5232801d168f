"""Reader pages: every page, every bad parameter, and the cost of a listing page."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from core.extensions import db
from listings.models import Program
from tests import factories


@pytest.fixture
def catalogue(app):
    with app.app_context():
        category, article = factories.catalogue(programs=45)
        return {"category_id": category.id, "slug": article.slug}


def listed_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-program-id="(\d+)"', html)]


def test_home_and_careers_index(client, catalogue):
    for url in ("/", "/careers/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "How can I become a tester" in response.text


def test_article_shows_facts_body_and_first_page(client, catalogue):
    response = client.get(f"/careers/{catalogue['slug']}")
    assert response.status_code == 200
    html = response.text
    assert "data-facts" in html and "$50,250" in html and "Occupational Outlook Handbook" in html
    assert "<h2>What they do</h2>" in html
    assert len(listed_ids(html)) == 20
    assert 'aria-label="Pagination"' in html and 'rel="next"' in html and 'rel="prev"' not in html
    assert 'data-sponsored="false"' in html


def test_pages_partition_the_listing_in_organic_order(app, client, catalogue):
    seen = []
    for number in (1, 2, 3):
        url = f"/careers/{catalogue['slug']}" + (f"?page={number}" if number > 1 else "")
        response = client.get(url)
        assert response.status_code == 200
        seen += listed_ids(response.text)
    with app.app_context():
        expected = db.session.scalars(
            sa.select(Program.id)
            .where(Program.category_id == catalogue["category_id"])
            .order_by(Program.listing_position)
        ).all()
    assert seen == expected and len(seen) == 45
    last = client.get(f"/careers/{catalogue['slug']}?page=3").text
    assert 'rel="prev"' in last and 'rel="next"' not in last


def test_page_past_the_end_is_404(client, catalogue):
    assert client.get(f"/careers/{catalogue['slug']}?page=4").status_code == 404
    assert client.get(f"/careers/{catalogue['slug']}?page=999999999").status_code == 404


@pytest.mark.parametrize("bad", ["abc", "0", "-1", "1.5", "", "99999999999999999999", "1%00", "２"])
def test_bad_page_redirects_to_page_one(client, catalogue, bad):
    response = client.get(f"/careers/{catalogue['slug']}", query_string={"page": bad})
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert response.headers["Location"].endswith(f"/careers/{catalogue['slug']}")


def test_unknown_and_unpublished_article_is_404(app, client, catalogue):
    assert client.get("/careers/no-such-career").status_code == 404
    with app.app_context():
        draft = factories.article(factories.category(), published=False)
        db.session.commit()
        slug = draft.slug
    assert client.get(f"/careers/{slug}").status_code == 404


def test_school_page_lists_campuses_and_programs(app, client):
    with app.app_context():
        cat = factories.category(name="Healthcare")
        school = factories.school(name="Lakeshore Test College")
        home = factories.campus(school, "10001")
        factories.program(school, cat, home, name="Medical Coding Certificate")
        factories.program(school, cat, None, name="Online Health Records A.A.S.")
        db.session.commit()
        slug = school.slug
    response = client.get(f"/schools/{slug}")
    assert response.status_code == 200
    assert "Lakeshore Test College" in response.text and "New York, NY" in response.text
    assert "Medical Coding Certificate" in response.text and "Online" in response.text
    assert client.get("/schools/nope").status_code == 404


def test_inactive_school_and_programs_are_not_listed(app, client, catalogue):
    with app.app_context():
        program = db.session.scalar(sa.select(Program).where(Program.listing_position == 1))
        program.active = False
        db.session.commit()
        hidden = program.id
        total = db.session.scalar(
            sa.select(sa.func.count()).select_from(Program).where(Program.listing_position.is_not(None))
        )
    assert total == 44
    assert hidden not in listed_ids(client.get(f"/careers/{catalogue['slug']}").text)


def test_listing_page_costs_the_same_statements_whatever_the_page(app, client, catalogue):
    """Page 3 issues the same statements as page 1 (no OFFSET, no COUNT, no N+1)."""
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    # Requests run outside the test's app context, each with its own session, as in production.
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        counts = []
        for number in (1, 3):
            statements.clear()
            assert client.get(f"/careers/{catalogue['slug']}?page={number}").status_code == 200
            counts.append(len(statements))
            assert not any("count(" in s.lower() or "offset" in s.lower() for s in statements), statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    assert counts[0] == counts[1] <= 6, counts


def test_unknown_url_gets_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.text


def test_500_page_rolls_back_and_is_friendly(app):
    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = app.test_client().get("/boom")
    assert response.status_code == 500
    assert "Something went wrong" in response.text


def test_security_headers(client):
    response = client.get("/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["database"]["ok"] is True and body["broker"]["ok"] is True


@pytest.mark.app_config(environ={"CELERY_BROKER_URL": "redis://127.0.0.1:1/0"})
def test_healthz_reports_a_dead_broker_as_degraded(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["broker"]["ok"] is False
