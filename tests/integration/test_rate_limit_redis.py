"""The lead form's per-IP limit held in real Redis, shared by every process that uses it."""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import make_app
from tests.leads.helpers import form_data, small_catalogue
from tests.services import require_env

pytestmark = pytest.mark.integration


def test_the_limit_is_counted_in_redis(template_database, tmp_path):
    import shutil

    import redis

    redis_url = require_env("TEST_REDIS_URL")
    database = tmp_path / "limits.sqlite3"
    shutil.copyfile(template_database, database)
    settings = {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}",  # this run's counters only
        "environ": {"REDIS_URL": redis_url, "LEAD_RATE_LIMIT": "3/minute"},
    }
    # Two app instances, as two gunicorn workers would be, counting in the same Redis.
    first = make_app(database, tmp_path / "instance", **dict(settings, environ=dict(settings["environ"])))
    second = make_app(database, tmp_path / "instance", **dict(settings, environ=dict(settings["environ"])))
    assert first.config["RATELIMIT_STORAGE_URI"] == redis_url
    programs = small_catalogue(first)
    url = f"/request-info?program={programs[0]}"
    answers = [
        app.test_client().post(url, data=form_data(app, programs[:1], website="bot")).status_code
        for app in (first, second, first)
    ]
    assert answers == [303, 303, 303]
    limited = second.test_client().post(url, data=form_data(second, programs[:1]))
    assert limited.status_code == 429 and "Too many requests" in limited.text
    client = redis.Redis.from_url(redis_url)
    keys = client.keys(f"*{settings['RATELIMIT_KEY_PREFIX']}*")
    assert keys, "the counters are not in Redis"
    client.delete(*keys)
