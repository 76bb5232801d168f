"""A real SMTP server for tests (aiosmtpd), keeping what it receives in memory."""

from __future__ import annotations

import email
import threading
import time
from email.message import Message

from aiosmtpd.controller import Controller

from tests.services import free_port


class _Collector:
    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay  # seconds to hold each message: a slow server, for crash drills
        self.messages: list[Message] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        if self.delay:
            import asyncio

            await asyncio.sleep(self.delay)
        message = email.message_from_bytes(envelope.original_content or envelope.content)
        with self.lock:
            self.messages.append(message)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"


class MailSink:
    """Start with .start(); .port, .messages(), .wait_for(n), .clear(), .stop()."""

    def __init__(self, port: int | None = None, delay: float = 0.0) -> None:
        self.port = port or free_port()
        self.collector = _Collector(delay)
        self.controller: Controller | None = None

    def start(self) -> MailSink:
        self.controller = Controller(self.collector, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def message_ids(self) -> list[str]:
        return [message["Message-ID"] for message in self.messages()]

    def messages(self) -> list[Message]:
        with self.collector.lock:
            return list(self.collector.messages)

    def envelopes(self) -> list[tuple[str, list[str]]]:
        with self.collector.lock:
            return list(self.collector.envelopes)

    def clear(self) -> None:
        with self.collector.lock:
            self.collector.messages.clear()
            self.collector.envelopes.clear()

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Message]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.messages()) >= count:
                return self.messages()
            time.sleep(0.05)
        return self.messages()
