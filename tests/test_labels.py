"""No surface shows a paid item unlabelled.

Every surface that shows programs is walked on the demo data (placements in every state),
and on each page:
- every item in the sponsored group is flagged data-sponsored="true";
- every flagged item shows the word "Sponsored", links with rel="sponsored" and through /go/;
- on surfaces that label paid programs where they stand (search results, school pages, the
  request form's similar programs), every program that is a paid placement right now is flagged.

A new surface is one line in SURFACES."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from core.extensions import db
from listings.models import Article, Category, Program, School
from listings.placement_state import PlacementState
from listings.sponsorship import placement_views, sponsored_programs
from tests.listing_items import listing_items

READER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"}


@dataclass(frozen=True)
class Demo:
    article_slugs: list[str]
    category_slugs: list[str]
    school_slugs: list[str]
    paid_program_id: int


@dataclass(frozen=True)
class Surface:
    name: str
    urls: Callable[[Demo], list[str]]
    labels_in_place: bool  # paid programs are labelled wherever they stand on this surface
    endpoint: str | None = None  # only walked once this endpoint exists


SURFACES = [
    Surface(
        "article listings", lambda d: [f"/careers/{s}{p}" for s in d.article_slugs for p in ("", "?page=2")], False
    ),
    Surface("category pages", lambda d: [f"/careers/category/{s}" for s in d.category_slugs], False),
    Surface("search by field", lambda d: [f"/schools/?category={s}" for s in d.category_slugs], True),
    Surface(
        "search by words", lambda d: ["/schools/", "/schools/?q=certificate", "/schools/?zip=60601&radius=500"], True
    ),
    Surface("school pages", lambda d: [f"/schools/{s}" for s in d.school_slugs], True),
    Surface("request form", lambda d: [f"/request-info?program={d.paid_program_id}"], True, "leads.request_info"),
]


@pytest.fixture
def demo(demo_app) -> Demo:
    with demo_app.app_context():
        running = [
            v.placement for v in placement_views() if v.state is PlacementState.ACTIVE and v.placement.program_id
        ]
        paid_program = running[0].program_id if running else db.session.scalar(sa.select(Program.id).limit(1))
        paid_schools = {v.placement.school_id for v in placement_views()}
        return Demo(
            article_slugs=list(db.session.scalars(sa.select(Article.slug).where(Article.published.is_(True)))),
            category_slugs=list(db.session.scalars(sa.select(Category.slug))),
            # every school with a placement in any state, and a few without
            school_slugs=list(
                db.session.scalars(sa.select(School.slug).where(School.id.in_(paid_schools) | (School.id % 10 == 0)))
            ),
            paid_program_id=paid_program,
        )


def paid_now(app, program_ids: list[int]) -> set[int]:
    with app.app_context():
        programs = db.session.scalars(sa.select(Program).where(Program.id.in_(program_ids))).all()
        return set(sponsored_programs(programs))


@pytest.mark.parametrize("surface", SURFACES, ids=lambda s: s.name)
def test_no_surface_shows_a_paid_item_unlabelled(demo_app, demo_client, demo, surface):
    if surface.endpoint and surface.endpoint not in demo_app.view_functions:
        pytest.skip(f"{surface.endpoint} is not built yet")
    urls = surface.urls(demo)
    assert urls
    labelled_somewhere = 0
    for url in urls:
        response = demo_client.get(url, headers=READER)
        assert response.status_code == 200, url
        items = listing_items(response.text)
        for item in items:
            if item.in_sponsored_group:
                assert item.sponsored, (url, item.program_id)
            if item.sponsored:
                labelled_somewhere += 1
                assert "Sponsored" in item.text, (url, item.program_id)
                # Every link of the paid item, except our own "why am I seeing this", is marked paid.
                links = [link for link in re.findall(r"<a\b[^>]*>", item.html) if "/advertising-disclosure" not in link]
                assert links and all('rel="sponsored' in link for link in links), (url, item.program_id)
                # A way to the request form from a paid item goes through the click counter.
                for link in links:
                    if "request-info" in link or "/go/" in link:
                        assert re.search(r'href="/go/[^"]+"', link) and 'rel="sponsored nofollow"' in link, (url, link)
        if any(item.sponsored for item in items):
            assert "/advertising-disclosure" in response.text, url
        if surface.labels_in_place:
            should_be_labelled = paid_now(demo_app, [item.program_id for item in items])
            unlabelled = {item.program_id for item in items if not item.sponsored} & should_be_labelled
            assert not unlabelled, (url, unlabelled)
    assert labelled_somewhere, f"no paid item seen on {surface.name}: the walk proves nothing"
