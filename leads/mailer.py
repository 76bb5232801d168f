"""SMTP through Flask-Mail, with a timeout (Flask-Mail opens smtplib without one)."""

from __future__ import annotations

import smtplib

from flask import current_app, render_template
from flask_mail import Connection, Message


class _TimedConnection(Connection):
    def configure_host(self):
        timeout = current_app.config["MAIL_TIMEOUT"]
        smtp_class = smtplib.SMTP_SSL if self.mail.use_ssl else smtplib.SMTP
        host = smtp_class(self.mail.server, self.mail.port, timeout=timeout)
        if self.mail.use_tls:
            host.starttls()
        if self.mail.username and self.mail.password:
            host.login(self.mail.username, self.mail.password)
        return host


def send_message(message: Message) -> None:
    """Send one message over a fresh SMTP connection; raises on any SMTP or socket error."""
    state = current_app.extensions["mail"]
    with _TimedConnection(state) as connection:
        message.send(connection)


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
