"""The Redis transport, failing fast.

redis-py retries a refused connection with back-off (about four seconds in all) before it
gives up. The web must hand a lead's ids over at once or not at all — the outbox relay is
our retry — so this transport's connections make a single attempt. The worker's own
reconnection is Celery's (broker_connection_retry), unaffected.
"""

from __future__ import annotations

from kombu.transport import redis as kombu_redis
from redis.backoff import NoBackoff
from redis.retry import Retry


class FailFastChannel(kombu_redis.Channel):
    def _connparams(self, asynchronous: bool = False) -> dict:
        params = super()._connparams(asynchronous)
        params["retry"] = Retry(NoBackoff(), 0)
        return params


class FailFastRedisTransport(kombu_redis.Transport):
    Channel = FailFastChannel
