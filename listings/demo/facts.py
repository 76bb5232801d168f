"""Sourced facts for the demo articles, read from careers_facts.csv at run time.

The figures are BLS's, copied as they are: an empty cell means BLS gives no single
value and becomes None (shown to readers as "See source"); "None" is BLS's own answer
and stays the string "None". Nothing here is estimated or filled in."""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib import resources

SOURCE_NAME = "U.S. Bureau of Labor Statistics, Occupational Outlook Handbook"


def _text(cell: str) -> str | None:
    return cell.strip() or None


def _number(cell: str) -> int | None:
    return int(cell) if cell.strip() else None


def edition_years(edition: str) -> str:
    """'OOH 2024-34' → '2024–34', the years of the edition as a citation prints them."""
    return edition.removeprefix("OOH").strip().replace("-", "\u2013")


@cache
def _rows() -> dict[str, dict[str, str]]:
    text = resources.files(__package__).joinpath("careers_facts.csv").read_text(encoding="utf-8")
    return {row["occupation"]: row for row in csv.DictReader(io.StringIO(text))}


def article_facts(occupation: str) -> dict[str, object]:
    """The Article columns filled from the CSV row of `occupation` (KeyError if absent)."""
    row = _rows()[occupation]
    return {
        "occupation": row["occupation"],
        "entry_education": _text(row["entry_education"]),
        "work_experience": _text(row["experience"]),
        "training": _text(row["training"]),
        "job_outlook_pct": _number(row["outlook_pct"]),
        "job_outlook_period": _text(row["outlook_period"]),
        "jobs_count": _number(row["jobs"]),
        "jobs_year": _number(row["jobs_year"]),
        "median_pay_usd": _number(row["median_pay_usd"]),
        "median_pay_year": _number(row["median_pay_year"]),
        "source_name": SOURCE_NAME,
        "source_url": _text(row["ooh_url"]),
        "source_year": edition_years(row["edition"]),
    }
