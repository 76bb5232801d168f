"""Form checks of the back office: slugs, e-mail lists, webhook URLs, ZIP codes."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from wtforms.validators import ValidationError

from core.extensions import db
from listings.models import ZipCode

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def check_slug(form, field) -> None:
    if field.data and not SLUG.match(field.data):
        raise ValidationError("Use lowercase letters, digits and single hyphens, e.g. medical-coding.")


def split_addresses(text: str | None) -> list[str]:
    return [part.strip() for part in re.split(r"[\s,;]+", text or "") if part.strip()]


def normalise_addresses(text: str | None) -> tuple[list[str], list[str]]:
    """(valid addresses, normalised and without repeats; the entries that are not addresses)."""
    valid: list[str] = []
    invalid: list[str] = []
    for entry in split_addresses(text):
        try:
            address = validate_email(entry, check_deliverability=False).normalized
        except EmailNotValidError:
            invalid.append(entry)
            continue
        if address.lower() not in {known.lower() for known in valid}:
            valid.append(address)
    return valid, invalid


def check_recipients(form, field) -> None:
    valid, invalid = normalise_addresses(field.data)
    if invalid:
        raise ValidationError("Not an e-mail address: %s" % ", ".join(invalid[:5]))
    if not valid:
        raise ValidationError("Give at least one address to receive this school's leads.")
    field.data = "\n".join(valid)


def check_optional_email(form, field) -> None:
    if not field.data:
        field.data = None
        return
    try:
        field.data = validate_email(field.data.strip(), check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise ValidationError(str(error)) from None


def _private_host(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain") or host.endswith((".localhost", ".local", ".internal")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global


def webhook_url_problem(url: str, production: bool) -> str | None:
    """Why `url` cannot take leads, or None. Production: https only, no private or local
    hosts (the delivery engine checks resolved addresses again when it sends)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "Give a full URL, e.g. https://crm.example.edu/leads."
    if parts.username or parts.password:
        return "Put credentials in the school's CRM settings, not in the URL."
    if production and parts.scheme != "https":
        return "Webhooks must use https."
    if production and _private_host(parts.hostname.lower()):
        return "Webhooks cannot point to a private or local address."
    return None


def check_webhook_url(form, field) -> None:
    if not field.data or not field.data.strip():
        field.data = None
        return
    field.data = field.data.strip()
    problem = webhook_url_problem(field.data, current_app.config["APP_ENV"] == "production")
    if problem:
        raise ValidationError(problem)


def check_zip_known(form, field) -> None:
    code = (field.data or "").strip()
    if not re.fullmatch(r"\d{5}", code):
        raise ValidationError("Give a five-digit US ZIP code.")
    if db.session.get(ZipCode, code) is None:
        raise ValidationError("Unknown ZIP code: %s." % code)
    field.data = code
