"""What a report is asked for — a range of business days, a month, a page, an id — read
from the query string and checked, so bad input becomes a clear message (and a 400),
never a 500 or a scan of years of data."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from listings.business_time import day_start_utc, month_bounds

MAX_RANGE_DAYS = 366  # a year, leap day included: the widest range a report aggregates
EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2099, 12, 31)
MAX_PAGE = 100_000


class ReportInputError(ValueError):
    """A report parameter that cannot be used; its message is shown to the operator."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class DateRange:
    """Business days from `start` to `end`, both included."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def each_day(self) -> Iterator[date]:
        for offset in range(self.days):
            yield self.start + timedelta(days=offset)

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """[from, until) in UTC: the instants the first day begins and the day after the last begins."""
        return day_start_utc(self.start), day_start_utc(self.end + timedelta(days=1))

    def months(self) -> list[date]:
        """The first day of every calendar month the range touches."""
        firsts, month = [], self.start.replace(day=1)
        while month <= self.end:
            firsts.append(month)
            month = month_bounds(month)[1] + timedelta(days=1)
        return firsts

    def query(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}


def parse_day(value: str, label: str) -> date:
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise ReportInputError(f"The {label} date “{value}” is not a date; use the form YYYY-MM-DD.") from None
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ReportInputError(
            f"The {label} date must fall between {EARLIEST_DAY.isoformat()} and {LATEST_DAY.isoformat()}."
        )
    return day


def month_to_date(today: date) -> DateRange:
    return DateRange(today.replace(day=1), today)


def parse_range(args: Mapping[str, str], today: date) -> DateRange:
    """`start` and `end` (YYYY-MM-DD, business days, both included); by default this month so far."""
    start_text, end_text = (args.get("start") or "").strip(), (args.get("end") or "").strip()
    default = month_to_date(today)
    start = parse_day(start_text, "start") if start_text else default.start
    end = parse_day(end_text, "end") if end_text else max(today, start)
    if end < start:
        raise ReportInputError("The start date must be on or before the end date.")
    chosen = DateRange(start, end)
    if chosen.days > MAX_RANGE_DAYS:
        raise ReportInputError(
            f"Choose at most {MAX_RANGE_DAYS} days; {start.isoformat()} to {end.isoformat()} is {chosen.days}."
        )
    return chosen


def previous_month(today: date) -> date:
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def parse_month(value: str | None, today: date) -> date:
    """`YYYY-MM` as the first day of that month; by default last month (the one to bill)."""
    text = (value or "").strip()
    if not text:
        return previous_month(today)
    try:
        first = datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise ReportInputError(f"The month “{text}” is not a month; use the form YYYY-MM.") from None
    if not EARLIEST_DAY <= first <= LATEST_DAY:
        raise ReportInputError(f"The month must fall between {EARLIEST_DAY:%Y-%m} and {LATEST_DAY:%Y-%m}.")
    return first


def parse_page(value: str | None, name: str = "page") -> int:
    text = (value or "").strip()
    if not text:
        return 1
    if not text.isdigit() or not 1 <= int(text) <= MAX_PAGE:
        raise ReportInputError(f"The {name} number must be a whole number from 1 to {MAX_PAGE:,}.")
    return int(text)


def parse_id(value: str | None, label: str) -> int | None:
    text = (value or "").strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 12:
        raise ReportInputError(f"Choose a {label} from the list.")
    return int(text)
