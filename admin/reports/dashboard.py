"""Everything the dashboard shows, gathered in one place: the headline figures, delivery
health, 30 days of deliveries by status, and the top schools and placements of a range,
each chart with the rows of the table beside it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from admin.overview import Overview, overview
from admin.reports import charts
from admin.reports.activity import RANKINGS, DailyDeliveries, SchoolFigures, deliveries_per_day, top_schools
from admin.reports.delivery_health import DeliveryHealth, delivery_health
from admin.reports.periods import DateRange
from admin.reports.placement_report import ReportRow, top_placements

TOP = 10


@dataclass(frozen=True)
class Rankings:
    period: DateRange
    by: str
    schools: list[SchoolFigures]
    placements: list[ReportRow]
    schools_chart: str | None  # a data: URI, None when there is nothing to draw
    placements_chart: str | None


@dataclass(frozen=True)
class Dashboard:
    today: date
    overview: Overview
    health: DeliveryHealth
    daily: DailyDeliveries
    daily_chart: str
    rankings: Rankings | None  # None when the range asked for was refused


def rankings(period: DateRange, by: str) -> Rankings:
    by = by if by in RANKINGS else RANKINGS[0]
    schools = top_schools(period, by, TOP)
    placements = top_placements(period, by, TOP)
    return Rankings(
        period=period,
        by=by,
        schools=schools,
        placements=placements,
        schools_chart=charts.data_uri(charts.top_schools_chart(schools, by)) if schools else None,
        placements_chart=charts.data_uri(charts.top_placements_chart(placements, by)) if placements else None,
    )


def dashboard(today: date, period: DateRange | None, by: str) -> Dashboard:
    daily = deliveries_per_day(today)
    return Dashboard(
        today=today,
        overview=overview(today),
        health=delivery_health(),
        daily=daily,
        daily_chart=charts.data_uri(charts.deliveries_chart(daily)),
        rankings=rankings(period, by) if period is not None else None,
    )
