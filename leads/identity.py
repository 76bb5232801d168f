"""A person's identity for de-duplication and suppression: normalised e-mail and
phone, kept only as keyed hashes so they survive the erasure of the address itself."""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app


def normalise_email(email: str) -> str:
    return email.strip().lower()


def identity_hash(kind: str, value: str) -> str:
    """HMAC-SHA256 of a normalised e-mail or E.164 phone, keyed by the app's secret so the
    list cannot be reversed by hashing every phone number."""
    key = hashlib.sha256(("identity:" + current_app.config["SECRET_KEY"]).encode()).digest()
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()


def email_hash(email: str) -> str:
    return identity_hash("email", normalise_email(email))


def phone_hash(phone_e164: str) -> str:
    return identity_hash("phone", phone_e164)
