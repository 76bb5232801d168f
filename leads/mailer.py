"""SMTP through Flask-Mail, with a timeout (Flask-Mail opens smtplib without one) and one
SMTP session kept per worker process, so a message costs its MAIL/RCPT/DATA exchange rather
than a connect, a greeting and a QUIT as well."""

from __future__ import annotations

import smtplib
import threading
import time

from flask import current_app, render_template
from flask_mail import Connection, Message

# A kept session older than this is not trusted: servers drop idle clients after a while.
SESSION_IDLE_SECONDS = 30


class _Session(threading.local):
    host: smtplib.SMTP | None = None
    key: tuple | None = None
    used_at: float = 0.0

    def take(self, key: tuple) -> smtplib.SMTP | None:
        if self.host is not None and (self.key != key or time.monotonic() - self.used_at > SESSION_IDLE_SECONDS):
            self.close()
        return self.host

    def keep(self, host: smtplib.SMTP, key: tuple) -> None:
        self.host, self.key, self.used_at = host, key, time.monotonic()

    def close(self) -> None:
        host, self.host = self.host, None
        if host is not None:
            try:
                host.quit()
            except (OSError, smtplib.SMTPException):
                host.close()


_session = _Session()


def _connect(state) -> smtplib.SMTP:
    timeout = current_app.config["MAIL_TIMEOUT"]
    smtp_class = smtplib.SMTP_SSL if state.use_ssl else smtplib.SMTP
    host = smtp_class(state.server, state.port, timeout=timeout)
    if state.use_tls:
        host.starttls()
    if state.username and state.password:
        host.login(state.username, state.password)
    return host


def _send_over(host: smtplib.SMTP, state, message: Message) -> None:
    connection = Connection(state)
    connection.host = host
    message.send(connection)


def send_message(message: Message) -> None:
    """Send one message; raises on any SMTP or socket error (the caller records and retries).

    A kept session that the server has dropped in the meantime is replaced once; if the drop
    came after the server took the message, it goes again with the same Message-ID."""
    state = current_app.extensions["mail"]
    key = (state.server, state.port, state.username, state.use_tls, state.use_ssl)
    host = _session.take(key)
    try:
        if host is not None:
            try:
                _send_over(host, state, message)
            except smtplib.SMTPServerDisconnected:
                _session.close()
                host = None
        if host is None:
            host = _connect(state)
            _send_over(host, state, message)
    except BaseException:
        if host is not None:
            host.close()
        _session.host = None
        raise
    _session.keep(host, key)


def message_id(idempotency_key: str) -> str:
    """The Message-ID of a dispatch: the same on every resend of it."""
    domain = current_app.config.get("MESSAGE_ID_DOMAIN") or "prospectus.mail"
    return f"<{idempotency_key}@{domain}>"


def send_test_email(school) -> tuple[bool, str]:
    """Send the school's recipients a clearly marked test lead now; returns (ok, what happened)."""
    recipients = school.recipient_list
    if not recipients:
        return False, "This school has no lead recipients."
    message = Message(
        subject="[TEST] Prospectus lead delivery check",
        recipients=recipients,
        body=render_template("emails/test_lead.txt", school=school),
        html=render_template("emails/test_lead.html", school=school),
    )
    try:
        send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        return False, f"The mail server refused or could not be reached: {type(error).__name__}."
    return True, f"A test e-mail went to {len(recipients)} recipient(s): {', '.join(recipients)}."
