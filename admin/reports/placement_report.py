"""The placement report: for a range of business days, per placement (or per placement and
day), impressions, clicks, CTR, leads, billable leads, spend, cost per lead and cap use.

Where the numbers come from, all aggregated by the database in one statement per page:
- impressions, clicks, billable leads and spend: the daily counters (PlacementStat), which
  hold what was reserved against caps and budget, net of returns and dead deliveries;
- leads: the deliveries sold under the placement (Delivery.placement_id), billed or not
  (a lead over a cap is still sent, free), grouped by the business day they were made;
- cap use: a day row's billable leads against the daily cap; a placement row's busiest
  calendar month (whole month, even when the range covers part of it) against the
  monthly cap."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

import sqlalchemy as sa

from admin.reports.periods import DateRange, ReportInputError, parse_id, parse_page, parse_range
from admin.reports.sql import business_day_of, ratio, total
from core.extensions import db
from leads.models import Delivery
from listings.business_time import month_bounds
from listings.models import Placement, PlacementStat, School

BY_PLACEMENT = "placement"
BY_DAY = "day"
GROUPINGS = (BY_PLACEMENT, BY_DAY)

# Sort keys a URL may name, and the direction each one starts in.
SORT_KEYS: dict[str, bool] = {
    "day": True,
    "placement": False,
    "school": False,
    "impressions": True,
    "clicks": True,
    "ctr": True,
    "leads": True,
    "billable": True,
    "spend": True,
    "cpl": True,
    "cap_use": True,
}
DEFAULT_SORT = {BY_PLACEMENT: "spend", BY_DAY: "day"}
PAGE_SIZE = 50

_ZERO = sa.literal_column("0", sa.Integer)


@dataclass(frozen=True)
class Figures:
    impressions: int = 0
    clicks: int = 0
    leads: int = 0  # every lead sold under the placement, billed or not
    billable: int = 0  # what is billed: the counters' leads
    spend_cents: int = 0

    @property
    def ctr(self) -> float | None:
        """Clicks per impression; None when nothing was shown."""
        return self.clicks / self.impressions if self.impressions else None

    @property
    def cpl_cents(self) -> float | None:
        """Spend per lead sent (billed or not); None without leads."""
        return self.spend_cents / self.leads if self.leads else None


@dataclass(frozen=True)
class ReportRow(Figures):
    placement_id: int = 0
    placement: str = ""
    school_id: int = 0
    school: str = ""
    day: date | None = None  # None on a placement row
    cap: int | None = None  # the daily cap on a day row, the monthly cap on a placement row
    cap_used: int = 0  # billable leads held against it

    @property
    def cap_share(self) -> float | None:
        return self.cap_used / self.cap if self.cap else None


@dataclass(frozen=True)
class ReportQuery:
    period: DateRange
    by: str = BY_PLACEMENT
    sort: str = ""
    descending: bool = True
    placement_id: int | None = None
    school_id: int | None = None

    def __post_init__(self) -> None:
        if self.by not in GROUPINGS:
            object.__setattr__(self, "by", BY_PLACEMENT)
        if self.sort not in SORT_KEYS or (self.sort == "day" and self.by != BY_DAY):
            object.__setattr__(self, "sort", DEFAULT_SORT[self.by])
            object.__setattr__(self, "descending", SORT_KEYS[self.sort])

    def sorted_by(self, key: str) -> ReportQuery:
        """This query sorted on `key`: its usual direction first, reversed when already sorted on it."""
        descending = not self.descending if key == self.sort else SORT_KEYS[key]
        return replace(self, sort=key, descending=descending)

    def args(self, **changes) -> dict[str, str]:
        """The query string that asks for this query (with `changes`)."""
        values = {
            **self.period.query(),
            "by": self.by,
            "sort": self.sort,
            "desc": "1" if self.descending else "0",
            "placement": self.placement_id,
            "school": self.school_id,
            **changes,
        }
        return {key: str(value) for key, value in values.items() if value not in (None, "")}


@dataclass(frozen=True)
class ReportPage:
    query: ReportQuery
    rows: list[ReportRow]
    totals: Figures
    page: int
    has_next: bool
    page_size: int = PAGE_SIZE
    first_index: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "first_index", (self.page - 1) * self.page_size + 1)


def _scope(query: ReportQuery) -> Callable[[sa.ColumnElement], list]:
    """Conditions on a placement id column that keep the placements asked for."""

    def conditions(column) -> list:
        found = []
        if query.placement_id is not None:
            found.append(column == query.placement_id)
        if query.school_id is not None:
            found.append(column.in_(sa.select(Placement.id).where(Placement.school_id == query.school_id)))
        return found

    return conditions


def _figures(query: ReportQuery) -> sa.Subquery:
    """(placement_id, [day], impressions, clicks, leads, billable, spend_cents) per group."""
    period, scope, by_day = query.period, _scope(query), query.by == BY_DAY
    stat = PlacementStat
    counters = sa.select(
        stat.placement_id.label("placement_id"),
        *([stat.day.label("day")] if by_day else []),
        stat.impressions.label("impressions"),
        stat.clicks.label("clicks"),
        _ZERO.label("leads"),
        stat.leads.label("billable"),
        stat.spend_cents.label("spend_cents"),
    ).where(stat.day >= period.start, stat.day <= period.end, *scope(stat.placement_id))

    from_utc, until_utc = period.utc_bounds()
    sold = (
        sa.select(
            Delivery.placement_id.label("placement_id"),
            *([business_day_of(Delivery.created_at, period).label("day")] if by_day else []),
        )
        .where(
            Delivery.placement_id.is_not(None),
            Delivery.created_at >= from_utc,
            Delivery.created_at < until_utc,
            *scope(Delivery.placement_id),
        )
        .subquery("sold")
    )
    sold_keys = [sold.c.placement_id, *([sold.c.day] if by_day else [])]
    leads = sa.select(*sold_keys, _ZERO, _ZERO, sa.func.count().label("leads"), _ZERO, _ZERO).group_by(*sold_keys)

    arms = [counters, leads]
    if not by_day:  # a flight running in the range is listed even when nothing happened
        arms.append(
            sa.select(Placement.id, _ZERO, _ZERO, _ZERO, _ZERO, _ZERO).where(
                Placement.starts_on <= period.end, Placement.ends_on >= period.start, *scope(Placement.id)
            )
        )
    activity = sa.union_all(*arms).subquery("activity")
    keys = [activity.c.placement_id, *([activity.c.day] if by_day else [])]
    return (
        sa.select(
            *keys,
            *(
                total(activity.c[name]).label(name)
                for name in ("impressions", "clicks", "leads", "billable", "spend_cents")
            ),
        )
        .group_by(*keys)
        .subquery("figures")
    )


def _busiest_month(query: ReportQuery) -> sa.Subquery:
    """(placement_id, peak): the most billable leads in one calendar month the range touches."""
    months = query.period.months()
    stat = PlacementStat
    if len(months) == 1:
        month = _ZERO
    else:
        month = sa.case(*[(stat.day < first, index) for index, first in enumerate(months[1:])], else_=len(months) - 1)
    rows = (
        sa.select(stat.placement_id.label("placement_id"), month.label("month"), stat.leads.label("leads"))
        .where(
            stat.day >= months[0],
            stat.day <= month_bounds(query.period.end)[1],
            *_scope(query)(stat.placement_id),
        )
        .subquery("month_rows")
    )
    per_month = (
        sa.select(rows.c.placement_id, total(rows.c.leads).label("leads"))
        .group_by(rows.c.placement_id, rows.c.month)
        .subquery("per_month")
    )
    return (
        sa.select(per_month.c.placement_id, sa.func.max(per_month.c.leads).label("peak"))
        .group_by(per_month.c.placement_id)
        .subquery("busiest_month")
    )


def _statement(query: ReportQuery) -> sa.Select:
    figures = _figures(query)
    by_day = query.by == BY_DAY
    if by_day:
        cap, cap_used = Placement.daily_cap, figures.c.billable
    else:
        peak = _busiest_month(query)
        cap, cap_used = Placement.monthly_cap, sa.func.coalesce(peak.c.peak, 0)
    day = figures.c.day if by_day else sa.null()
    statement = (
        sa.select(
            Placement.id,
            Placement.name,
            School.id,
            School.name,
            day.label("day"),
            figures.c.impressions,
            figures.c.clicks,
            figures.c.leads,
            figures.c.billable,
            figures.c.spend_cents,
            cap.label("cap"),
            cap_used.label("cap_used"),
        )
        .select_from(figures)
        .join(Placement, Placement.id == figures.c.placement_id)
        .join(School, School.id == Placement.school_id)
    )
    if not by_day:
        statement = statement.outerjoin(peak, peak.c.placement_id == figures.c.placement_id)
    sort_columns = {
        "day": figures.c.day if by_day else None,
        "placement": sa.func.lower(Placement.name),
        "school": sa.func.lower(School.name),
        "impressions": figures.c.impressions,
        "clicks": figures.c.clicks,
        "ctr": ratio(figures.c.clicks, figures.c.impressions),
        "leads": figures.c.leads,
        "billable": figures.c.billable,
        "spend": figures.c.spend_cents,
        "cpl": ratio(figures.c.spend_cents, figures.c.leads),
        "cap_use": ratio(cap_used, cap),
    }
    key = sort_columns[query.sort]
    ordered = key.desc() if query.descending else key.asc()
    tie_breaks = [sa.func.lower(School.name), sa.func.lower(Placement.name), Placement.id]
    if by_day:
        tie_breaks.insert(0, figures.c.day.desc())
    return statement.order_by(ordered.nulls_last(), *tie_breaks)


def _row(values) -> ReportRow:
    (placement_id, name, school_id, school, day, impressions, clicks, leads, billable, spend, cap, cap_used) = values
    return ReportRow(
        impressions=int(impressions),
        clicks=int(clicks),
        leads=int(leads),
        billable=int(billable),
        spend_cents=int(spend),
        placement_id=placement_id,
        placement=name or f"Placement #{placement_id}",
        school_id=school_id,
        school=school,
        day=day,
        cap=cap,
        cap_used=int(cap_used),
    )


def report_rows(query: ReportQuery, *, limit: int | None = None, offset: int = 0) -> list[ReportRow]:
    """The report's rows in the query's order (all of them without `limit`)."""
    statement = _statement(query)
    if limit is not None:
        statement = statement.limit(limit).offset(offset)
    return [_row(values) for values in db.session.execute(statement)]


def report_totals(query: ReportQuery) -> Figures:
    """The sums over every row of the report, in one statement."""
    figures = _figures(replace(query, by=BY_PLACEMENT))
    values = db.session.execute(
        sa.select(*(total(figures.c[name]) for name in ("impressions", "clicks", "leads", "billable", "spend_cents")))
    ).one()
    return Figures(*(int(value) for value in values))


def report_page(query: ReportQuery, page: int, page_size: int | None = None) -> ReportPage:
    """One page of the report and the totals: two statements, whatever the page or the data.
    One row more than the page tells whether a next page exists, without a COUNT."""
    page_size = page_size or PAGE_SIZE
    rows = report_rows(query, limit=page_size + 1, offset=(page - 1) * page_size)
    return ReportPage(
        query=query,
        rows=rows[:page_size],
        totals=report_totals(query),
        page=page,
        has_next=len(rows) > page_size,
        page_size=page_size,
    )


def top_placements(period: DateRange, by: str = "spend", limit: int = 10) -> list[ReportRow]:
    """The placements with the most spend (or leads) in `period`, for the dashboard."""
    query = ReportQuery(period, BY_PLACEMENT, sort=by, descending=True)
    return [row for row in report_rows(query, limit=limit) if row.leads or row.spend_cents]


def read_query(args: Mapping[str, str], today: date) -> tuple[ReportQuery, int]:
    """The report and page a query string asks for; ReportInputError when it cannot be
    used. An unknown sort key is not an error: the default order is used (keys are
    whitelisted, never passed to SQL)."""
    period = parse_range(args, today)
    by = (args.get("by") or BY_PLACEMENT).strip()
    if by not in GROUPINGS:
        raise ReportInputError("Show the report by placement or by day.")
    sort = (args.get("sort") or "").strip()
    desc = (args.get("desc") or "").strip()
    descending = SORT_KEYS.get(sort, True) if desc not in ("0", "1") else desc == "1"
    query = ReportQuery(
        period=period,
        by=by,
        sort=sort,
        descending=descending,
        placement_id=parse_id(args.get("placement"), "placement"),
        school_id=parse_id(args.get("school"), "school"),
    )
    return query, parse_page(args.get("page"))
