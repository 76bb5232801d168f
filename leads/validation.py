"""Field rules of the request form, as plain functions: each returns the clean value or
raises ValueError with the message the reader sees."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import phonenumbers
import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email

from core.extensions import db
from listings.models import ZipCode

NAME_MAX = 50
# NANP regions a US school can call without international dialling.
US_PHONE_REGIONS = {"US", "PR", "VI", "GU", "AS", "MP"}
_ZIP = re.compile(r"([0-9]{5})(?:-?[0-9]{4})?")


def clean_name(value: str, what: str) -> str:
    name = unicodedata.normalize("NFC", " ".join((value or "").split()))
    if not name:
        raise ValueError(f"Enter your {what}.")
    if len(name) > NAME_MAX:
        raise ValueError(f"Your {what} can be at most {NAME_MAX} characters.")
    if any(unicodedata.category(ch)[0] == "C" for ch in name) or any(ch in name for ch in '<>"@/\\{}[]=;'):
        raise ValueError(f"Your {what} can only contain letters, spaces, hyphens, apostrophes and periods.")
    if not any(ch.isalpha() for ch in name) or any(ch.isdigit() for ch in name):
        raise ValueError(f"Your {what} can only contain letters, spaces, hyphens, apostrophes and periods.")
    return name


def clean_email(value: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValueError("Enter your e-mail address.")
    try:
        # Syntax only: no DNS look-ups while a reader waits.
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError:
        raise ValueError("Enter a valid e-mail address, like name@example.com.") from None


def clean_phone(value: str) -> str:
    """A US phone number, returned in E.164."""
    value = (value or "").strip()
    if not value:
        raise ValueError("Enter your phone number.")
    if len(value) > 30:
        raise ValueError("Enter a valid US phone number, like (555) 201-0123.")
    try:
        number = phonenumbers.parse(value, "US")
    except phonenumbers.NumberParseException:
        raise ValueError("Enter a valid US phone number, like (555) 201-0123.") from None
    if not phonenumbers.is_valid_number(number) or phonenumbers.region_code_for_number(number) not in US_PHONE_REGIONS:
        raise ValueError("Enter a valid US phone number, like (555) 201-0123.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def clean_zip(value: str) -> str:
    match = _ZIP.fullmatch((value or "").strip())
    if not match:
        raise ValueError("Enter a 5-digit US ZIP code.")
    zip_code = match.group(1)
    if db.session.scalar(sa.select(ZipCode.zip).where(ZipCode.zip == zip_code)) is None:
        raise ValueError("We do not know that ZIP code. Check it and try again.")
    return zip_code


def graduation_year_bounds(today: date | None = None) -> tuple[int, int]:
    year = (today or date.today()).year
    return year - 80, year + 8


def clean_graduation_year(value: str) -> int:
    value = (value or "").strip()
    low, high = graduation_year_bounds()
    if not re.fullmatch(r"[0-9]{4}", value) or not low <= int(value) <= high:
        raise ValueError(f"Enter the year you finished (or will finish) high school, between {low} and {high}.")
    return int(value)


def clean_choice(value: str, choices: list[tuple[str, str]], what: str, required: bool = True) -> str | None:
    value = (value or "").strip()
    if not value:
        if required:
            raise ValueError(f"Choose your {what}.")
        return None
    if value not in dict(choices):
        raise ValueError(f"Choose one of the listed options for {what}.")
    return value
