"""Impression and click counters on a real Redis: counted in per-day hashes, flushed to
PlacementStat by the beat task, nothing lost when a flush fails half-way."""

from __future__ import annotations

import shutil
import uuid
from datetime import UTC, date, datetime

import pytest
import redis
import sqlalchemy as sa

from core.extensions import db
from listings import impressions as counters_module
from listings.impressions import count_click, count_impressions, flush_counters
from listings.models import PlacementStat
from tests import factories
from tests.conftest import make_app
from tests.services import require_env

pytestmark = pytest.mark.integration

READER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"}


@pytest.fixture
def redis_url():
    return require_env("TEST_REDIS_URL")


@pytest.fixture
def prefix(redis_url):
    """A key prefix of this test's own, and every key under it removed afterwards."""
    value = f"test:{uuid.uuid4().hex[:12]}"
    yield value
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(f"{value}*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def redis_app(template_database, tmp_path, redis_url, prefix):
    path = tmp_path / "test.sqlite3"
    shutil.copyfile(template_database, path)
    app = make_app(
        path,
        tmp_path / "instance",
        environ={"REDIS_URL": redis_url},
        PLACEMENT_COUNTER_PREFIX=f"{prefix}:counts",
        CACHE_KEY_PREFIX=f"{prefix}:cache:",
    )
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def raw(redis_url):
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    yield client
    client.close()


@pytest.fixture
def flights(redis_app):
    with redis_app.app_context():
        category = factories.category()
        article = factories.article(category)
        ids = []
        for _ in range(2):
            school = factories.school()
            factories.program(school, category)
            ids.append(factories.placement(school, category).id)
        db.session.commit()
        return {"ids": ids, "slug": article.slug}


def stats(app):
    with app.app_context():
        rows = db.session.execute(
            sa.select(PlacementStat.placement_id, PlacementStat.day, PlacementStat.impressions, PlacementStat.clicks)
        )
        return {(pid, day): (i, c) for pid, day, i, c in rows}


def test_counts_go_to_a_per_day_hash_and_the_flush_moves_them_to_the_database(redis_app, flights, raw, prefix):
    a, b = flights["ids"]
    with redis_app.app_context():
        count_impressions([a, b, a], now=datetime(2026, 3, 10, 3, 59, tzinfo=UTC))  # 23:59 on the 9th in New York
        count_impressions([b], now=datetime(2026, 3, 10, 4, 1, tzinfo=UTC))  # 00:01 on the 10th
        count_click(a, now=datetime(2026, 3, 10, 3, 59, tzinfo=UTC))
        assert raw.hgetall(f"{prefix}:counts:2026-03-09") == {f"{a}:i": "2", f"{b}:i": "1", f"{a}:c": "1"}
        assert raw.hgetall(f"{prefix}:counts:2026-03-10") == {f"{b}:i": "1"}
        assert stats(redis_app) == {}
        assert flush_counters(today=date(2026, 3, 10)) == 3
    assert stats(redis_app) == {
        (a, date(2026, 3, 9)): (2, 1),
        (b, date(2026, 3, 9)): (1, 0),
        (b, date(2026, 3, 10)): (1, 0),
    }
    assert list(raw.scan_iter(f"{prefix}:counts:*")) == []  # taken and deleted, lock released
    with redis_app.app_context():
        assert flush_counters(today=date(2026, 3, 10)) == 0


def test_a_flush_that_fails_leaves_its_counts_for_the_next_one(redis_app, flights, raw, prefix, monkeypatch):
    a, _ = flights["ids"]
    today = date(2026, 3, 10)
    now = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    with redis_app.app_context():
        count_impressions([a, a], now=now)

        def broken(_counts):
            raise sa.exc.OperationalError("INSERT", {}, Exception("database is down"))

        monkeypatch.setattr(counters_module, "write_counts", broken)
        with pytest.raises(sa.exc.OperationalError):
            flush_counters(today=today)
        monkeypatch.undo()
        assert raw.hgetall(f"{prefix}:counts:2026-03-10:flushing") == {f"{a}:i": "2"}
        assert raw.get(f"{prefix}:counts:flush-lock") is None  # the lock was released
        count_impressions([a], now=now)  # counted meanwhile, into a fresh hash
        flush_counters(today=today)  # finishes the taken hash; the fresh one waits its turn
        flush_counters(today=today)
    assert stats(redis_app) == {(a, today): (3, 0)}
    assert list(raw.scan_iter(f"{prefix}:counts:*")) == []


def test_only_one_flush_runs_at_a_time(redis_app, flights, raw, prefix):
    a, _ = flights["ids"]
    with redis_app.app_context():
        count_impressions([a])
        raw.set(f"{prefix}:counts:flush-lock", "another-worker", ex=30)
        assert flush_counters() == 0
        assert stats(redis_app) == {}
        raw.delete(f"{prefix}:counts:flush-lock")
        assert flush_counters() == 1


def test_pages_count_into_redis_and_the_beat_task_flushes(redis_app, flights, raw, prefix):
    from tasks.listings import flush_impressions

    client = redis_app.test_client()
    assert client.get(f"/careers/{flights['slug']}", headers=READER).status_code == 200
    assert client.get(f"/careers/{flights['slug']}", headers=READER).status_code == 200
    # Search results label both paid programs in their rows: one more impression each.
    assert client.get("/schools/?q=program", headers=READER).status_code == 200
    assert list(raw.scan_iter(f"{prefix}:cache:*"))  # the search cache is on Redis too
    with redis_app.app_context():
        flush_impressions.run()
    assert sorted(i for i, _c in stats(redis_app).values()) == [3, 3]
