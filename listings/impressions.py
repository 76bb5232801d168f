"""Impression and click counters of sponsored placements, per placement per business day.

A page never writes to the database to count what it shows, and never waits on or fails
because of the counters:

- With REDIS_URL, a page adds its counts to a per-day Redis hash (one pipelined round trip,
  sub-second timeouts). Celery beat runs `listings.flush_impressions` every 30 s, which takes
  each day's hash atomically (RENAMENX to a ":flushing" key), adds it to PlacementStat with
  one upsert per row, commits, then deletes the taken hash. A failed flush leaves the taken
  hash in place and the next flush finishes it first.
- Without Redis — or while Redis is failing — counts go to a small in-process buffer that a
  background thread of this process adds to PlacementStat every few seconds, or sooner when
  it grows, and once more at exit.

Clicks take the same path as impressions: a click is a redirect a reader is waiting on, so
it must not wait for the SQLite write lock either, and one mechanism means one set of
failure modes. The price is that a click shows in reports up to a flush interval late.
"""

from __future__ import annotations

import atexit
import logging
import os
import re
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, timedelta

import redis
import sqlalchemy as sa
from flask import Flask, current_app, has_request_context, request
from redis.backoff import NoBackoff
from redis.retry import Retry

from core.extensions import db
from listings.business_time import business_day
from listings.models import Placement
from listings.stats import add_to_daily_stats

log = logging.getLogger(__name__)

IMPRESSIONS = "impressions"
CLICKS = "clicks"
_FIELD_CODES = {IMPRESSIONS: "i", CLICKS: "c"}
_CODE_FIELDS = {code: name for name, code in _FIELD_CODES.items()}

REDIS_TIMEOUT_SECONDS = 0.25
# After a Redis error, counts go to the local buffer for this long before Redis is tried
# again, so an outage costs a page at most one timeout per interval, not one per page.
REDIS_RETRY_AFTER_SECONDS = 10.0
# Days of Redis hashes a flush looks at: beat may have been down for a while.
FLUSH_LOOKBACK_DAYS = 14
FLUSH_LOCK_SECONDS = 120
DEFAULT_PREFIX = "prospectus:placement-counts"

# User agents that announce a robot, a link previewer, a monitor or a scripted client.
_BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|preview|headless|scan|monitor|fetch|archiv|facebookexternalhit|"
    r"embedly|quora link|whatsapp|lighthouse|pingdom|curl|wget|python-|httpclient|okhttp|"
    r"go-http|java/|libwww|scrapy|phantomjs|selenium|puppeteer|playwright",
    re.IGNORECASE,
)


def is_probably_bot(user_agent: str | None) -> bool:
    """True for an empty user agent or one that says it is a robot, previewer or script."""
    return not user_agent or bool(_BOT_USER_AGENT.search(user_agent))


def counts_this_request() -> bool:
    """Whether the current request is a reader's view that may count: not HEAD, not a bot, not a
    browser's speculative prefetch or prerender (which the reader may never see)."""
    if not has_request_context():
        return False
    headers = request.headers
    prefetch = any("prefetch" in headers.get(name, "").lower() for name in ("Sec-Purpose", "Purpose", "X-Moz"))
    return request.method in ("GET", "POST") and not prefetch and not is_probably_bot(headers.get("User-Agent"))


class _Buffer:
    """Counts held in this process until a batch is written; thread-safe, fork-aware."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.interval = float(app.config.get("PLACEMENT_COUNTER_FLUSH_SECONDS", 5.0))
        self.batch = int(app.config.get("PLACEMENT_COUNTER_BATCH", 1000))
        self.background = bool(app.config.get("PLACEMENT_COUNTER_BACKGROUND", not app.testing))
        self._lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._counts: Counter[tuple[date, int, str]] = Counter()
        self._pending = 0
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid = os.getpid()
        self._atexit = False

    def add(self, day: date, placement_ids: Iterable[int], field: str) -> None:
        with self._lock:
            if self._pid != os.getpid():
                # A forked child inherits its parent's pending counts: they are the parent's to write.
                self._counts.clear()
                self._pending = 0
                self._thread = None
                self._pid = os.getpid()
            for placement_id in placement_ids:
                self._counts[(day, placement_id, field)] += 1
                self._pending += 1
            full = self._pending >= self.batch
        if self.background:
            self._ensure_thread()
            if full:
                self._wake.set()

    def take(self) -> Counter[tuple[date, int, str]]:
        with self._lock:
            counts, self._counts, self._pending = self._counts, Counter(), 0
        return counts

    def give_back(self, counts: Counter[tuple[date, int, str]]) -> None:
        with self._lock:
            self._counts.update(counts)
            self._pending += sum(counts.values())

    def flush(self) -> int:
        """Write what is buffered; on failure keep it for the next try. Returns rows written."""
        with self._flush_lock:
            counts = self.take()
            if not counts:
                return 0
            try:
                with self.app.app_context():
                    return write_counts(counts)
            except Exception:
                log.warning("placement counters: buffered flush failed; will retry", exc_info=True)
                self.give_back(counts)
                return 0

    def _ensure_thread(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._thread = threading.Thread(target=self._run, name="placement-counters", daemon=True)
            self._thread.start()
            if not self._atexit:
                atexit.register(self.flush)
                self._atexit = True

    def _run(self) -> None:
        while True:
            self._wake.wait(self.interval)
            self._wake.clear()
            self.flush()


class PlacementCounters:
    """The counters of one app: Redis when configured (with the buffer as its fallback)."""

    def __init__(self, app: Flask) -> None:
        self.buffer = _Buffer(app)
        self.prefix = app.config.get("PLACEMENT_COUNTER_PREFIX", DEFAULT_PREFIX)
        self.redis: redis.Redis | None = None
        if app.config.get("REDIS_URL"):
            self.redis = redis.Redis.from_url(
                app.config["REDIS_URL"],
                socket_timeout=REDIS_TIMEOUT_SECONDS,
                socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
                retry=Retry(NoBackoff(), 0),
            )
        self._redis_down_until = 0.0

    def _day_key(self, day: date) -> str:
        return f"{self.prefix}:{day.isoformat()}"

    def add(self, placement_ids: list[int], field: str, day: date) -> None:
        """Count one `field` for each id (an id given twice counts twice). Never raises."""
        if not placement_ids:
            return
        if self.redis is not None and time.monotonic() >= self._redis_down_until:
            try:
                pipe = self.redis.pipeline(transaction=False)
                for placement_id, n in Counter(placement_ids).items():
                    pipe.hincrby(self._day_key(day), f"{placement_id}:{_FIELD_CODES[field]}", n)
                pipe.execute()
                return
            except (redis.RedisError, OSError) as error:
                self._redis_down_until = time.monotonic() + REDIS_RETRY_AFTER_SECONDS
                log.warning("placement counters: Redis unavailable (%s); buffering in process", type(error).__name__)
        self.buffer.add(day, placement_ids, field)

    def flush(self, today: date) -> int:
        """Write everything pending (the Redis hashes and this process's buffer); rows written."""
        written = self.buffer.flush()
        if self.redis is not None:
            try:
                written += self._flush_redis(today)
            except (redis.RedisError, OSError) as error:
                # Nothing is lost: the counts stay in Redis for the next flush.
                log.warning("placement counters: Redis flush failed (%s); will retry", type(error).__name__)
        return written

    def _flush_redis(self, today: date) -> int:
        lock_key, token = f"{self.prefix}:flush-lock", uuid.uuid4().hex
        if not self.redis.set(lock_key, token, nx=True, ex=FLUSH_LOCK_SECONDS):
            return 0  # another flush is running; it will take these counts
        try:
            days = [today - timedelta(days=back) for back in range(FLUSH_LOOKBACK_DAYS)]
            taken = [self._day_key(day) + ":flushing" for day in days]
            pipe = self.redis.pipeline(transaction=False)
            for day, flushing in zip(days, taken, strict=False):
                # Fails harmlessly when the day has no counts, or when a previous flush's
                # taken hash is still there (it is written below, and this day's next time).
                pipe.renamenx(self._day_key(day), flushing)
            pipe.execute(raise_on_error=False)
            pipe = self.redis.pipeline(transaction=False)
            for flushing in taken:
                pipe.hgetall(flushing)
            hashes = pipe.execute()
            counts: Counter[tuple[date, int, str]] = Counter()
            for day, fields in zip(days, hashes, strict=False):
                for raw_field, raw_value in fields.items():
                    parsed = _parse_field(raw_field, raw_value)
                    if parsed:
                        placement_id, field, n = parsed
                        counts[(day, placement_id, field)] += n
            non_empty = [flushing for flushing, fields in zip(taken, hashes, strict=False) if fields]
            written = write_counts(counts) if counts else 0
            if non_empty:
                self.redis.delete(*non_empty)
            return written
        finally:
            # Release only our own lock (compare and delete, atomically).
            self.redis.eval(
                "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0",
                1,
                lock_key,
                token,
            )


def _parse_field(raw_field: bytes, raw_value: bytes) -> tuple[int, str, int] | None:
    try:
        placement_part, code = raw_field.decode().split(":")
        return int(placement_part), _CODE_FIELDS[code], int(raw_value)
    except (ValueError, KeyError, UnicodeDecodeError):
        log.warning("placement counters: ignoring malformed field %r", raw_field)
        return None


def write_counts(counts: Counter[tuple[date, int, str]]) -> int:
    """Add counts to PlacementStat (one upsert per placement and day) and commit.

    Counts of a placement deleted since are dropped: there is no row left to count for."""
    existing = set(db.session.scalars(sa.select(Placement.id).where(Placement.id.in_({pid for _d, pid, _f in counts}))))
    rows: dict[tuple[int, date], dict] = {}
    for (day, placement_id, field), n in counts.items():
        if placement_id in existing and n:
            row = rows.setdefault((placement_id, day), {"placement_id": placement_id, "day": day})
            row[field] = row.get(field, 0) + n
    try:
        add_to_daily_stats(db.session, list(rows.values()))
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return len(rows)


def init_counters(app: Flask) -> PlacementCounters:
    counters = PlacementCounters(app)
    app.extensions["placement_counters"] = counters
    return counters


def _counters() -> PlacementCounters:
    return current_app.extensions["placement_counters"]


def count_impressions(placement_ids: Iterable[int], *, now: datetime | None = None) -> None:
    """Count one impression per id given, on the business day at `now`. Never raises."""
    _count(list(placement_ids), IMPRESSIONS, now)


def count_shown(items: Iterable) -> None:
    """Count a page view's paid items (SponsoredItem): one impression per placement shown,
    however many of its programs the page shows; nothing for robots or HEAD requests."""
    placement_ids = {item.placement.id for item in items}
    if placement_ids and counts_this_request():
        count_impressions(placement_ids)


def count_click(placement_id: int, *, now: datetime | None = None) -> None:
    """Count one click of a placement on the business day at `now`. Never raises."""
    _count([placement_id], CLICKS, now)


def _count(placement_ids: list[int], field: str, now: datetime | None) -> None:
    try:
        _counters().add(placement_ids, field, business_day(now))
    except Exception:  # counting must never cost the reader the page
        log.exception("placement counters: could not count %s", field)


def flush_counters(*, today: date | None = None) -> int:
    """Write pending counts to PlacementStat; the beat task's work. Returns rows written."""
    return _counters().flush(today or business_day())
