"""Consent: the text a reader agrees to, built on the server from a version and the
schools actually ticked. That server text — not whatever the page showed — is what is
stored and hashed as proof."""

from __future__ import annotations

import hashlib

CONSENT_VERSION = "2026-11"

# {schools} is replaced by the schools' names joined in plain English.
CONSENT_TEMPLATES = {
    "2026-11": (
        "By checking this box, I agree that {schools} may contact me about their programs at the "
        "e-mail address and phone number I gave, by phone call, e-mail or text message, including by "
        "automated means such as autodialers and prerecorded or artificial voice messages. Message and "
        "data rates may apply. My consent is not a condition of enrolling at any school or buying "
        "anything. I can withdraw it at any time with the link on my receipt page or in my receipt e-mail, "
        "or by replying STOP to a text message."
    ),
}


def join_names(names: list[str]) -> str:
    """["A"] -> "A"; ["A", "B"] -> "A and B"; ["A", "B", "C"] -> "A, B, and C"."""
    if len(names) <= 1:
        return "".join(names)
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return ", ".join(names[:-1]) + f", and {names[-1]}"


def consent_text(school_names: list[str], version: str = CONSENT_VERSION) -> str:
    """The exact consent wording for `school_names` under `version`."""
    return CONSENT_TEMPLATES[version].format(schools=join_names(school_names))


def consent_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
