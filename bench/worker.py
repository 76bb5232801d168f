"""The benchmark's worker entry: `celery -A bench.worker worker`.

The real app and every real task (tasks.worker), plus one no-op task, so the no-op's rate
is measured on exactly the worker that drains the leads: same settings, same app context
per task, same broker."""

from __future__ import annotations

import os

import redis

from tasks.worker import celery, flask_app  # noqa: F401  (the worker's app and its real tasks)

NOOP_TASK = "bench.noop"
NOOP_COUNTER = "bench:noop:done"

_client: redis.Redis | None = None


def _redis() -> redis.Redis:
    # One connection per worker process, opened after the fork.
    global _client
    if _client is None:
        _client = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])
    return _client


@celery.task(name=NOOP_TASK, ignore_result=True)
def noop() -> None:
    """Do nothing but count, so the bench can tell when every no-op has run."""
    _redis().incr(NOOP_COUNTER)
