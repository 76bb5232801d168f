"""The test suite's aiosmtpd sink, also noting when each message arrived (by Message-ID)."""

from __future__ import annotations

import time

from tests.mail_sink import MailSink, _Collector


class _TimedCollector(_Collector):
    def __init__(self) -> None:
        super().__init__()
        self.arrivals: dict[str, float] = {}  # Message-ID -> time.monotonic() when DATA ended

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        arrived = time.monotonic()
        reply = await super().handle_DATA(server, session, envelope)
        # aiosmtpd runs handlers on one event loop and the parent appends without awaiting
        # afterwards, so the last message kept is this one.
        with self.lock:
            message_id = self.messages[-1]["Message-ID"]
            self.arrivals.setdefault(message_id, arrived)
        return reply


class TimedSink(MailSink):
    """MailSink plus .arrival(message_id) and .arrivals()."""

    def __init__(self, port: int | None = None) -> None:
        super().__init__(port)
        self.collector = _TimedCollector()

    def arrivals(self) -> dict[str, float]:
        with self.collector.lock:
            return dict(self.collector.arrivals)

    def count(self) -> int:
        with self.collector.lock:
            return len(self.collector.messages)

    def clear(self) -> None:
        with self.collector.lock:
            self.collector.messages.clear()
            self.collector.envelopes.clear()
            self.collector.arrivals.clear()
