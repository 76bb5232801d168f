"""The closed lists a reader picks from on the request form (value, label)."""

from __future__ import annotations

EDUCATION_LEVELS = [
    ("high_school_student", "Still in high school"),
    ("high_school", "High school diploma or GED"),
    ("some_college", "Some college, no degree"),
    ("associate", "Associate degree"),
    ("bachelor", "Bachelor's degree"),
    ("master", "Master's degree or higher"),
]

START_TIMEFRAMES = [
    ("immediately", "As soon as possible"),
    ("1_3_months", "In 1–3 months"),
    ("3_6_months", "In 3–6 months"),
    ("6_12_months", "In 6–12 months"),
    ("undecided", "Not sure yet"),
]

MILITARY_AFFILIATIONS = [
    ("none", "No military affiliation"),
    ("active_duty", "Active duty"),
    ("veteran", "Veteran"),
    ("reserve_guard", "Reserve or National Guard"),
    ("spouse_dependent", "Military spouse or dependent"),
]


def label_of(choices: list[tuple[str, str]], value: str | None) -> str:
    return dict(choices).get(value or "", "—")
