"""Every field rule of the request form, good and bad, on the plain functions."""

from __future__ import annotations

from datetime import date

import pytest

from leads import validation
from leads.consent import consent_sha256, consent_text, join_names
from leads.vocabularies import EDUCATION_LEVELS


@pytest.mark.parametrize(
    "raw, clean",
    [("  Ada ", "Ada"), ("Mary  Ann", "Mary Ann"), ("O'Brien", "O'Brien"), ("Jean-Luc", "Jean-Luc"), ("Zoë", "Zoë"),
     ("José María", "José María"), ("St. John", "St. John")],
)
def test_names_are_trimmed_and_kept(raw, clean):
    assert validation.clean_name(raw, "first name") == clean


@pytest.mark.parametrize("raw", ["", "   ", "x" * 51, "R2D2", "<script>", "a\x00b", "Bob@home", "---", "a\u202eb"])
def test_bad_names_are_refused(raw):
    with pytest.raises(ValueError):
        validation.clean_name(raw, "first name")


@pytest.mark.parametrize("raw, clean", [("Ada@Example.COM ", "Ada@example.com"), ("a.b+c@sub.example.org", "a.b+c@sub.example.org")])
def test_emails_are_normalised(raw, clean):
    assert validation.clean_email(raw) == clean


@pytest.mark.parametrize("raw", ["", "ada", "ada@", "@example.com", "ada@@example.com", "ada example@x.com", "ada@exa mple.com"])
def test_bad_emails_are_refused(raw):
    with pytest.raises(ValueError):
        validation.clean_email(raw)


@pytest.mark.parametrize(
    "raw, e164",
    [("(312) 555-0142", "+13125550142"), ("312.555.0142", "+13125550142"), ("+1 312 555 0142", "+13125550142"),
     ("1-787-555-0100", "+17875550100")],
)
def test_us_phones_become_e164(raw, e164):
    assert validation.clean_phone(raw) == e164


@pytest.mark.parametrize("raw", ["", "555-0142", "123", "+44 20 7946 0958", "(012) 555-0142", "phone", "1" * 31])
def test_bad_phones_are_refused(raw):
    with pytest.raises(ValueError):
        validation.clean_phone(raw)


def test_zip_codes_must_exist(app):
    with app.app_context():
        assert validation.clean_zip("60601") == "60601"
        assert validation.clean_zip("60601-1234") == "60601"
        for bad in ("", "6060", "606011", "ABCDE", "00000", "99999"):
            with pytest.raises(ValueError):
                validation.clean_zip(bad)


def test_graduation_year_range():
    low, high = validation.graduation_year_bounds()
    assert low == date.today().year - 80 and high == date.today().year + 8
    assert validation.clean_graduation_year(str(low)) == low
    assert validation.clean_graduation_year(str(high)) == high
    for bad in ("", str(low - 1), str(high + 1), "20x5", "15", "2015.0", "-2015"):
        with pytest.raises(ValueError):
            validation.clean_graduation_year(bad)


def test_vocabularies():
    assert validation.clean_choice("high_school", EDUCATION_LEVELS, "education") == "high_school"
    assert validation.clean_choice("", EDUCATION_LEVELS, "education", required=False) is None
    for bad in ("", "phd", "HIGH_SCHOOL"):
        with pytest.raises(ValueError):
            validation.clean_choice(bad, EDUCATION_LEVELS, "education")


def test_consent_text_names_every_school_and_the_rules():
    text = consent_text(["Alpha College", "Beta Institute", "Gamma School"])
    assert "Alpha College, Beta Institute, and Gamma School may contact me" in text
    for required in ("phone", "e-mail", "text", "automated", "not a condition", "withdraw"):
        assert required in text
    assert join_names(["A", "B"]) == "A and B" and join_names(["A"]) == "A"
    assert consent_sha256(text) == consent_sha256(consent_text(["Alpha College", "Beta Institute", "Gamma School"]))
    assert consent_sha256(text) != consent_sha256(consent_text(["Alpha College"]))
