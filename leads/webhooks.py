"""Signed webhooks to school CRMs.

Each POST carries a JSON body with a `version`, the headers `Idempotency-Key` (the
dispatch's key: the same on every retry), `X-Prospectus-Timestamp` (Unix seconds) and
`X-Prospectus-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>" with the school's
secret>`. 2xx is sent; 408, 429, 5xx, timeouts and connection errors are retried; any other
answer (other 4xx, and 3xx: redirects are never followed) is rejected for good.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import socket
import time
from urllib.parse import urlsplit

import requests
from flask import current_app

from leads.dispatch import PermanentFailure
from leads.emails import lead_fields
from leads.models import Dispatch, DispatchKind

PAYLOAD_VERSION = 1
CONNECT_TIMEOUT = 3.05
READ_TIMEOUT = 10
RETRYABLE_STATUSES = {408, 429}


class UnsafeWebhookURL(ValueError):
    """The URL may not receive webhooks here (see check_webhook_url)."""


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"v1={digest}"


def check_webhook_url(url: str, *, production: bool | None = None) -> None:
    """Refuse what must never receive a lead: anything but http(s); and in production
    anything but https to a public address (no loopback, private, link-local or reserved
    ranges — the webhook must not become a way into our own network)."""
    if production is None:
        production = current_app.config["APP_ENV"] == "production"
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeWebhookURL("The webhook URL must be an http(s) URL with a host.")
    if not production:
        return
    if parts.scheme != "https":
        raise UnsafeWebhookURL("The webhook URL must use https.")
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parts.hostname, parts.port or 443, type=socket.SOCK_STREAM)}
    except socket.gaierror:
        raise UnsafeWebhookURL("The webhook host does not resolve.") from None
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global or ip.is_multicast:
            raise UnsafeWebhookURL("The webhook host resolves to a private or reserved address.")


def payload(dispatch: Dispatch) -> dict:
    """The JSON body of a dispatch: every lead field, the program, the consent proof."""
    lead, delivery = dispatch.lead, dispatch.delivery
    if dispatch.kind == DispatchKind.WITHDRAWAL_NOTICE:
        return {
            "version": PAYLOAD_VERSION,
            "event": "lead.consent_withdrawn",
            "lead_id": lead.public_id,
            "withdrawn_at": lead.withdrawn_at.isoformat() if lead.withdrawn_at else None,
            "school": {"slug": delivery.school.slug, "name": delivery.school.name},
        }
    program = delivery.program
    return {
        "version": PAYLOAD_VERSION,
        "event": "lead.created",
        "lead_id": lead.public_id,
        "created_at": lead.created_at.isoformat(),
        "lead": {
            "first_name": lead.first_name,
            "last_name": lead.last_name,
            "email": lead.email,
            "phone": lead.phone,
            "zip_code": lead.zip_code,
            "education_level": lead.education_level,
            "graduation_year": lead.graduation_year,
            "start_timeframe": lead.start_timeframe,
            "military_affiliation": lead.military_affiliation,
        },
        "labels": dict(lead_fields(lead)),
        "program": {
            "id": program.id,
            "name": program.name,
            "level": program.level,
            "delivery": program.delivery,
            "campus": program.campus.name if program.campus else None,
        }
        if program
        else None,
        "school": {"slug": delivery.school.slug, "name": delivery.school.name},
        "consent": {
            "version": lead.consent.version,
            "text": lead.consent.text,
            "sha256": lead.consent.text_sha256,
            "given_at": lead.consent.created_at.isoformat(),
            "page_url": lead.consent.page_url,
        },
    }


def post_signed(url: str, secret: str, body: dict, idempotency_key: str) -> requests.Response:
    """One signed POST, no redirects, short timeouts."""
    check_webhook_url(url)
    raw = json.dumps(body, separators=(",", ":"), sort_keys=True).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Prospectus-Webhook/1",
        "Idempotency-Key": idempotency_key,
        "X-Prospectus-Timestamp": str(timestamp),
        "X-Prospectus-Signature": sign(secret, timestamp, raw),
    }
    return requests.post(url, data=raw, headers=headers, timeout=(CONNECT_TIMEOUT, READ_TIMEOUT), allow_redirects=False)


def post_webhook(dispatch: Dispatch) -> None:
    """Send a school_webhook dispatch; raises to retry, PermanentFailure to give up."""
    school = dispatch.delivery.school
    if not school.webhook_url:
        raise PermanentFailure("the school no longer has a webhook URL")
    try:
        response = post_signed(school.webhook_url, school.webhook_secret or "", payload(dispatch), dispatch.idempotency_key)
    except UnsafeWebhookURL as error:
        raise PermanentFailure(str(error)) from None
    status = response.status_code
    if 200 <= status < 300:
        return
    reason = f"HTTP {status} {response.reason or ''}".strip()
    if status in RETRYABLE_STATUSES or status >= 500:
        raise RuntimeError(reason)
    if 300 <= status < 400:
        raise PermanentFailure(f"{reason}: redirects are not followed")
    raise PermanentFailure(f"{reason}: {response.text[:200]}")


def send_test_webhook(school) -> tuple[bool, str]:
    """POST a signed test event to the school's webhook now; returns (ok, what happened)."""
    if not school.webhook_url:
        return False, "This school has no webhook URL."
    body = {"version": PAYLOAD_VERSION, "event": "test", "school": {"slug": school.slug, "name": school.name}}
    try:
        response = post_signed(school.webhook_url, school.webhook_secret or "", body, f"test-{int(time.time())}")
    except UnsafeWebhookURL as error:
        return False, str(error)
    except requests.RequestException as error:
        return False, f"Could not reach the webhook: {type(error).__name__}"
    ok = 200 <= response.status_code < 300
    return ok, f"The webhook answered HTTP {response.status_code}."
