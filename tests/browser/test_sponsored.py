"""A reader follows a sponsored item to the request form: the click is counted and the
form is reached with the program and a token that attributes the lead to the placement."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from core.extensions import db
from listings.impressions import flush_counters
from listings.models import Article, PlacementStat
from listings.placement_state import PlacementState
from listings.sponsorship import placement_views, read_placement_token

pytestmark = pytest.mark.browser

# Headless Chromium says "HeadlessChrome", which the counters rightly take for a robot;
# this reader presents an ordinary desktop browser.
READER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"


@pytest.fixture
def reader(browser):
    context = browser.new_context(user_agent=READER_AGENT)
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


def totals(app, placement_id: int) -> tuple[int, int]:
    with app.app_context():
        flush_counters()
        row = db.session.execute(
            sa.select(
                sa.func.coalesce(sa.func.sum(PlacementStat.impressions), 0),
                sa.func.coalesce(sa.func.sum(PlacementStat.clicks), 0),
            ).where(PlacementStat.placement_id == placement_id)
        ).one()
        return int(row[0]), int(row[1])


def test_follow_a_sponsored_item_to_the_request_link(reader, live_server, live_app):
    with live_app.app_context():
        views = placement_views()
        running = {v.placement.category_id for v in views if v.state is PlacementState.ACTIVE}
        slug = db.session.scalar(
            sa.select(Article.slug).where(Article.published.is_(True), Article.category_id.in_(running)).limit(1)
        )
        placement_ids = [v.placement.id for v in views]
    before = {placement_id: totals(live_app, placement_id) for placement_id in placement_ids}

    reader.goto(f"{live_server}/careers/{slug}")
    group = reader.locator("[data-sponsored-group]")
    assert group.is_visible()
    assert (
        group.get_by_role("link", name="How sponsored listings work").get_attribute("href") == "/advertising-disclosure"
    )
    item = group.locator('[data-listing][data-sponsored="true"]').first
    assert "Sponsored" in item.text_content()  # (shown in capitals by CSS)
    program_id = item.get_attribute("data-program-id")
    link = item.get_by_role("link", name=re.compile("Request information"))
    assert link.get_attribute("rel") == "sponsored nofollow"
    assert link.get_attribute("href").startswith("/go/")

    link.click()
    reader.wait_for_url(re.compile(r"/request-info\?"))
    landed = urlsplit(reader.url)
    query = parse_qs(landed.query)
    assert landed.path == "/request-info"
    assert query["program"] == [program_id]
    with live_app.app_context():
        claim = read_placement_token(query["placement"][0])
    assert claim is not None and claim.program_id == int(program_id)

    impressions, clicks = totals(live_app, claim.placement_id)
    assert clicks == before[claim.placement_id][1] + 1
    assert impressions >= before[claim.placement_id][0] + 1
