"""Impression and click counters: buffered without Redis, flushed in batches, counted from
pages (not for robots), and a Redis outage never fails a page."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from core.extensions import db
from listings import impressions as counters_module
from listings.impressions import count_click, count_impressions, flush_counters, is_probably_bot
from listings.models import Placement, PlacementStat
from tests import factories

READER = {
    "User-Agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15"
}


def stats(app) -> dict[tuple[int, date], tuple[int, int]]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(PlacementStat.placement_id, PlacementStat.day, PlacementStat.impressions, PlacementStat.clicks)
        )
        return {(pid, day): (impressions, clicks) for pid, day, impressions, clicks in rows}


@pytest.fixture
def flights(app):
    """Three running placements in one category, with an article listing them."""
    with app.app_context():
        category = factories.category()
        article = factories.article(category)
        ids = []
        for n in range(3):
            school = factories.school()
            factories.program(school, category)
            ids.append(factories.placement(school, category, price_per_lead_cents=1000 * (n + 1)).id)
        db.session.commit()
        return {"ids": ids, "slug": article.slug, "category": category.id}


def test_counts_wait_in_the_buffer_until_a_flush_adds_them_up(app, flights):
    a, b, _ = flights["ids"]
    with app.app_context():
        count_impressions([a, b])
        count_impressions([a])
        count_click(a)
        assert stats(app) == {}  # nothing written per page
        assert flush_counters() == 2
        today = counters_module.business_day()
        assert stats(app) == {(a, today): (2, 1), (b, today): (1, 0)}
        count_impressions([a, a])
        flush_counters()
        assert stats(app)[(a, today)] == (4, 1)  # added to the day's row, not replacing it
        assert flush_counters() == 0


def test_counts_fall_on_the_business_day_they_happened(app, flights):
    a = flights["ids"][0]
    with app.app_context():
        count_impressions([a], now=datetime(2026, 3, 10, 3, 59, tzinfo=UTC))  # 23:59 on the 9th, New York
        count_impressions([a], now=datetime(2026, 3, 10, 4, 1, tzinfo=UTC))  # 00:01 on the 10th
        flush_counters()
    assert stats(app) == {(a, date(2026, 3, 9)): (1, 0), (a, date(2026, 3, 10)): (1, 0)}


def test_counts_of_a_deleted_placement_are_dropped_without_failing_the_flush(app, flights):
    a, b, _ = flights["ids"]
    with app.app_context():
        count_impressions([a, b])
        db.session.delete(db.session.get(Placement, b))
        db.session.commit()
        assert flush_counters() == 1
    assert {pid for pid, _day in stats(app)} == {a}


def test_a_failed_flush_keeps_the_counts_for_the_next_one(app, flights, monkeypatch):
    a = flights["ids"][0]
    with app.app_context():
        count_impressions([a, a, a])

        def broken(*_args, **_kwargs):
            raise sa.exc.OperationalError("INSERT", {}, Exception("database is locked"))

        monkeypatch.setattr(counters_module, "add_to_daily_stats", broken)
        assert flush_counters() == 0
        monkeypatch.undo()
        assert flush_counters() == 1
    assert list(stats(app).values()) == [(3, 0)]


@pytest.mark.app_config(
    PLACEMENT_COUNTER_BACKGROUND=True, PLACEMENT_COUNTER_FLUSH_SECONDS=60, PLACEMENT_COUNTER_BATCH=5
)
def test_a_full_buffer_is_written_by_the_background_thread_at_once(app, flights):
    a = flights["ids"][0]
    with app.app_context():
        count_impressions([a] * 4)
        time.sleep(0.3)
        assert stats(app) == {}  # below the batch size and long before the interval
        count_impressions([a])
    deadline = time.monotonic() + 5
    while not stats(app) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(stats(app).values()) == [(5, 0)]


@pytest.mark.app_config(PLACEMENT_COUNTER_BACKGROUND=True, PLACEMENT_COUNTER_FLUSH_SECONDS=0.1)
def test_the_background_thread_writes_every_interval(app, flights):
    a = flights["ids"][0]
    with app.app_context():
        count_impressions([a])
    deadline = time.monotonic() + 5
    while not stats(app) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(stats(app).values()) == [(1, 0)]


def test_a_page_counts_one_impression_per_sponsored_placement_shown(app, client, flights):
    response = client.get(f"/careers/{flights['slug']}", headers=READER)
    assert response.status_code == 200
    assert response.text.count('data-sponsored="true"') == 3
    with app.app_context():
        flush_counters()
    assert sorted(impressions for impressions, _clicks in stats(app).values()) == [1, 1, 1]
    client.get(f"/careers/{flights['slug']}?page=1", headers=READER)
    with app.app_context():
        flush_counters()
    assert sorted(impressions for impressions, _clicks in stats(app).values()) == [2, 2, 2]


@pytest.mark.parametrize(
    "user_agent",
    ["", "Googlebot/2.1 (+http://www.google.com/bot.html)", "Mozilla/5.0 HeadlessChrome/131.0", "Twitterbot/1.0"],
)
def test_robots_see_sponsored_items_but_are_not_counted(app, client, flights, user_agent):
    response = client.get(f"/careers/{flights['slug']}", headers={"User-Agent": user_agent})
    assert response.status_code == 200 and 'data-sponsored="true"' in response.text
    with app.app_context():
        flush_counters()
    assert stats(app) == {}


def test_head_requests_and_prefetches_are_not_counted(app, client, flights):
    assert client.head(f"/careers/{flights['slug']}", headers=READER).status_code == 200
    for header in ({"Sec-Purpose": "prefetch;prerender"}, {"Purpose": "prefetch"}, {"X-Moz": "prefetch"}):
        assert client.get(f"/careers/{flights['slug']}", headers={**READER, **header}).status_code == 200
    with app.app_context():
        flush_counters()
    assert stats(app) == {}


def test_bot_detection():
    assert is_probably_bot(None) and is_probably_bot("")
    assert is_probably_bot("Mozilla/5.0 (compatible; YandexBot/3.0)")
    assert is_probably_bot(
        "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X) Chrome/131 Mobile Safari (compatible; Googlebot/2.1)"
    )
    assert not is_probably_bot(READER["User-Agent"])
    assert not is_probably_bot(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148"
    )


def test_counting_never_raises_even_when_the_counters_are_broken(app, client, flights, monkeypatch):
    def explode(*_args, **_kwargs):
        raise RuntimeError("counter backend on fire")

    monkeypatch.setattr(app.extensions["placement_counters"], "add", explode)
    assert client.get(f"/careers/{flights['slug']}", headers=READER).status_code == 200


# A closed port: every Redis call fails at once with "connection refused".
@pytest.mark.app_config(environ={"REDIS_URL": "redis://127.0.0.1:1/0"})
def test_a_redis_outage_never_fails_a_page_and_loses_no_count(app, client, flights):
    with app.app_context():
        school_slug = db.session.scalars(sa.select(factories.School.slug)).first()
        category_slug = db.session.get(factories.Category, flights["category"]).slug
    for url in (
        f"/careers/{flights['slug']}",
        f"/careers/{flights['slug']}?page=1",
        f"/careers/category/{category_slug}",
        f"/schools/?category={category_slug}",
        "/schools/?q=program&zip=60601&radius=50",
        f"/schools/{school_slug}",
        "/",
        "/sitemap.xml",
    ):
        started = time.monotonic()
        response = client.get(url, headers=READER)
        assert response.status_code == 200, url
        assert time.monotonic() - started < 2, url
    with app.app_context():
        flush_counters()  # the outage diverted counts to the process's buffer, written now
    assert sum(impressions for impressions, _clicks in stats(app).values()) >= 3
