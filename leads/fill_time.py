"""The form's signed start time: a submission sent sooner than MIN_FILL_SECONDS after the
form was served (or with no valid start time) is treated as a bot."""

from __future__ import annotations

import time

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer

MIN_FILL_SECONDS = 3
MAX_FORM_AGE_SECONDS = 24 * 3600


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="request-info-started")


def issue_started_token(now: float | None = None) -> str:
    return _serializer().dumps(round(now if now is not None else time.time(), 3))


def filled_too_fast(token: str | None, now: float | None = None) -> bool:
    """True when the form came back too fast to be a person, or without a genuine start time."""
    try:
        started = float(_serializer().loads(token or ""))
    except (BadData, TypeError, ValueError):
        return True
    elapsed = (now if now is not None else time.time()) - started
    minimum = current_app.config.get("LEAD_MIN_FILL_SECONDS", MIN_FILL_SECONDS)
    return not minimum <= elapsed <= MAX_FORM_AGE_SECONDS
