"""The placement report on known data (March 2025, across the switch to daylight saving
time): rows per placement and per day, totals, CTR / cost per lead / cap use, sorting,
pagination, the CSV export with its audit entry, and bad input answered with a 400."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from admin.models import AuditEvent
from core.extensions import db
from listings.models import Placement
from tests import factories
from tests.admin.reporting import at, body_cells, counters, delivery, table

MARCH = {"start": "2025-03-01", "end": "2025-03-31"}


@pytest.fixture
def flights(app):
    with app.app_context():
        category = factories.category(name="Nursing")
        harbor, lakeside = factories.school(name="Harbor College"), factories.school(name="Lakeside University")
        program = factories.program(harbor, category, name="Nursing RN")
        spring = factories.placement(
            harbor,
            category,
            name="Spring flight",
            starts_on=date(2025, 3, 1),
            ends_on=date(2025, 4, 30),
            daily_cap=4,
            monthly_cap=40,
            price_per_lead_cents=2500,
        )
        evening = factories.placement(
            lakeside,
            category,
            name="Evening flight",
            starts_on=date(2025, 3, 1),
            ends_on=date(2025, 3, 31),
            price_per_lead_cents=1000,
        )
        quiet = factories.placement(
            lakeside,
            category,
            name="Quiet flight",
            starts_on=date(2025, 3, 20),
            ends_on=date(2025, 5, 1),
            monthly_cap=10,
        )
        january = factories.placement(
            harbor, category, name="January flight", starts_on=date(2025, 1, 1), ends_on=date(2025, 1, 31)
        )
        counters(spring, date(2025, 3, 3), impressions=1000, clicks=50, leads=2, spend_cents=5000)
        counters(spring, date(2025, 3, 10), impressions=500, clicks=10, leads=4, spend_cents=10000)
        counters(spring, date(2025, 4, 2), impressions=100, clicks=1, leads=1, spend_cents=2500)
        counters(evening, date(2025, 3, 3), impressions=200, clicks=20, leads=1, spend_cents=1000)
        counters(january, date(2025, 1, 15), impressions=999, clicks=99, leads=9, spend_cents=9999)

        sold = {"program": program, "placement": spring, "price_cents": 2500}
        delivery(harbor, at(date(2025, 3, 3)), **sold)
        delivery(harbor, at(date(2025, 3, 3)), **sold)
        delivery(harbor, at(date(2025, 3, 3)), program=program, placement=spring)  # over the cap: sent, free
        for _ in range(3):
            delivery(harbor, at(date(2025, 3, 10)), **sold)
        # 03:30 UTC on the 11th is 23:30 on the 10th in New York (daylight time since the 9th).
        delivery(harbor, datetime(2025, 3, 11, 3, 30, tzinfo=UTC), **sold)
        # 03:30 UTC on April 1st is still March 31st there: inside the range.
        delivery(harbor, datetime(2025, 4, 1, 3, 30, tzinfo=UTC), program=program, placement=spring)
        delivery(lakeside, at(date(2025, 3, 3)), placement=evening, price_cents=1000)
        delivery(harbor, at(date(2025, 3, 3)), program=program)  # organic: no placement
        db.session.commit()
        return {"spring": spring.id, "evening": evening.id, "quiet": quiet.id, "harbor": harbor.id}


def _rows(page: str) -> list[list[str]]:
    return body_cells(page, "data-placement-report")


def test_one_row_per_placement_with_ctr_cost_per_lead_and_monthly_cap_use(admin_client, flights):
    response = admin_client.get("/admin/reports/placements/", query_string=MARCH)
    assert response.status_code == 200
    report = table(response.text, "data-placement-report")
    assert report["head"][0]["cells"] == [
        "Placement",
        "School",
        "Impressions",
        "Clicks",
        "CTR",
        "Leads",
        "Billable",
        "Spend ▼",
        "Cost per lead",
        "Monthly cap use",
    ]
    assert _rows(response.text) == [  # by spend, most first; a running flight with nothing is listed too
        [
            f"Spring flight #{flights['spring']}",
            "Harbor College",
            "1,500",
            "60",
            "4.0%",
            "8",
            "6",
            "$150.00",
            "$18.75",
            "6 of 40 (15.0%)",
        ],
        [
            f"Evening flight #{flights['evening']}",
            "Lakeside University",
            "200",
            "20",
            "10.0%",
            "1",
            "1",
            "$10.00",
            "$10.00",
            "no cap",
        ],
        [
            f"Quiet flight #{flights['quiet']}",
            "Lakeside University",
            "0",
            "0",
            "—",
            "0",
            "0",
            "$0.00",
            "—",
            "0 of 10 (0.0%)",
        ],
    ]
    assert report["foot"][0]["cells"] == ["Total, every row", "1,700", "80", "4.7%", "9", "7", "$160.00", "$17.78", ""]


def test_one_row_per_placement_and_day_with_daily_cap_use(admin_client, flights):
    page = admin_client.get("/admin/reports/placements/", query_string={**MARCH, "by": "day"}).text
    assert _rows(page) == [  # latest day first
        [
            "Mon 2025-03-31",
            f"Spring flight #{flights['spring']}",
            "Harbor College",
            "0",
            "0",
            "—",
            "1",
            "0",
            "$0.00",
            "$0.00",
            "0 of 4 (0.0%)",
        ],
        [
            "Mon 2025-03-10",
            f"Spring flight #{flights['spring']}",
            "Harbor College",
            "500",
            "10",
            "2.0%",
            "4",
            "4",
            "$100.00",
            "$25.00",
            "4 of 4 (100.0%)",
        ],
        [
            "Mon 2025-03-03",
            f"Spring flight #{flights['spring']}",
            "Harbor College",
            "1,000",
            "50",
            "5.0%",
            "3",
            "2",
            "$50.00",
            "$16.67",
            "2 of 4 (50.0%)",
        ],
        [
            "Mon 2025-03-03",
            f"Evening flight #{flights['evening']}",
            "Lakeside University",
            "200",
            "20",
            "10.0%",
            "1",
            "1",
            "$10.00",
            "$10.00",
            "no cap",
        ],
    ]
    assert table(page, "data-placement-report")["foot"][0]["cells"][1:8] == [
        "1,700",
        "80",
        "4.7%",
        "9",
        "7",
        "$160.00",
        "$17.78",
    ]


def test_cap_use_counts_the_whole_busiest_month(admin_client, flights):
    page = admin_client.get(
        "/admin/reports/placements/", query_string={"start": "2025-03-15", "end": "2025-04-05"}
    ).text
    spring = [row for row in _rows(page) if row[0].startswith("Spring flight")][0]
    # In range: the April counters and the lead of March 31; cap use: all of March (6) beats April (1).
    assert spring[2:9] == ["100", "1", "1.0%", "1", "1", "$25.00", "$25.00"]
    assert spring[9] == "6 of 40 (15.0%)"


def test_one_placement_or_one_school(admin_client, flights):
    page = admin_client.get(
        "/admin/reports/placements/", query_string={**MARCH, "by": "day", "placement": flights["evening"]}
    ).text
    assert [row[1] for row in _rows(page)] == [f"Evening flight #{flights['evening']}"]
    assert "show every placement" in page
    page = admin_client.get("/admin/reports/placements/", query_string={**MARCH, "school": flights["harbor"]}).text
    assert [row[0] for row in _rows(page)] == [f"Spring flight #{flights['spring']}"]


@pytest.mark.parametrize(
    "sort,desc,expected",
    [
        ("ctr", "1", ["Evening", "Spring", "Quiet"]),
        ("ctr", "0", ["Spring", "Evening", "Quiet"]),  # no CTR (nothing shown) is last either way
        ("placement", "0", ["Evening", "Quiet", "Spring"]),
        ("impressions", "0", ["Quiet", "Evening", "Spring"]),
        ("cpl", "1", ["Spring", "Evening", "Quiet"]),
        ("cap_use", "1", ["Spring", "Quiet", "Evening"]),
        ("spend; DROP TABLE lead", "0", ["Spring", "Evening", "Quiet"]),  # not a key: the default order
        ("day", "1", ["Spring", "Evening", "Quiet"]),  # day is a key of day rows only
    ],
)
def test_sorting_on_whitelisted_keys(admin_client, flights, sort, desc, expected):
    response = admin_client.get("/admin/reports/placements/", query_string={**MARCH, "sort": sort, "desc": desc})
    assert response.status_code == 200
    assert [row[0].split()[0] for row in _rows(response.text)] == expected


def test_a_column_header_sorts_and_reverses(admin_client, flights):
    page = admin_client.get("/admin/reports/placements/", query_string=MARCH).text
    head = table(page, "data-placement-report")["head"][0]
    assert head["cells"][7] == "Spend ▼"
    assert 'data-sort-key="spend"\n      aria-sort="descending"' in page
    assert "sort=spend&amp;desc=0" in page and "sort=ctr&amp;desc=1" in page


def test_pages_without_a_count(admin_client, flights, monkeypatch):
    monkeypatch.setattr("admin.reports.placement_report.PAGE_SIZE", 2)
    first = admin_client.get("/admin/reports/placements/", query_string=MARCH).text
    assert len(_rows(first)) == 2 and 'rel="next"' in first and 'rel="prev"' not in first
    second = admin_client.get("/admin/reports/placements/", query_string={**MARCH, "page": 2}).text
    assert [row[0].split()[0] for row in _rows(second)] == ["Quiet"]
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert table(second, "data-placement-report")["foot"][0]["cells"][6] == "$160.00"  # totals cover every page
    assert admin_client.get("/admin/reports/placements/", query_string={**MARCH, "page": 3}).status_code == 404


def test_csv_export_neutralises_cells_and_is_audited(app, admin_client, flights):
    with app.app_context():
        db.session.execute(
            sa.update(Placement)
            .where(Placement.id == flights["evening"])
            .values(name='=HYPERLINK("http://evil.example","click")')
        )
        db.session.commit()
    response = admin_client.get("/admin/reports/placements/export.csv", query_string=MARCH)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="placement-report-by-placement-2025-03-01-to-2025-03-31'
    )
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == [
        "Placement id",
        "Placement",
        "School",
        "Impressions",
        "Clicks",
        "CTR (%)",
        "Leads",
        "Billable leads",
        "Spend (USD)",
        "Cost per lead (USD)",
        "Monthly cap",
        "Cap use (%) in the busiest month",
    ]
    assert rows[1] == [
        str(flights["spring"]),
        "Spring flight",
        "Harbor College",
        "1500",
        "60",
        "4.00",
        "8",
        "6",
        "150.00",
        "18.75",
        "40",
        "15.00",
    ]
    assert rows[2][1] == '\'=HYPERLINK("http://evil.example","click")'
    assert rows[3][5] == "" and rows[3][9] == ""  # no CTR, no cost per lead: empty, not 0
    with app.app_context():
        (event,) = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "export")).all()
        assert event.entity == "placement" and event.after["report"] == "placement report"
        assert event.after["rows"] == 3 and event.after["query"]["start"] == "2025-03-01"


def test_csv_export_per_day(admin_client, flights):
    response = admin_client.get("/admin/reports/placements/export.csv", query_string={**MARCH, "by": "day"})
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(row["Day"], row["Placement"], row["Leads"], row["Cap use (%) of the day"]) for row in rows] == [
        ("2025-03-31", "Spring flight", "1", "0.00"),
        ("2025-03-10", "Spring flight", "4", "100.00"),
        ("2025-03-03", "Spring flight", "3", "50.00"),
        ("2025-03-03", "Evening flight", "1", ""),
    ]


@pytest.mark.parametrize(
    "args,message",
    [
        ({"start": "2025-13-01"}, "is not a date"),
        ({"start": "yesterday"}, "is not a date"),
        ({"start": "2025-03-10", "end": "2025-03-01"}, "on or before the end date"),
        ({"start": "2024-01-01", "end": "2025-03-01"}, "at most 366 days"),
        ({"start": "1999-12-31", "end": "2000-01-01"}, "must fall between"),
        ({"start": "9999-12-31"}, "must fall between"),
        ({**MARCH, "by": "week"}, "by placement or by day"),
        ({**MARCH, "school": "abc"}, "Choose a school"),
        ({**MARCH, "placement": "-1"}, "Choose a placement"),
        ({**MARCH, "page": "0"}, "page number"),
        ({**MARCH, "page": "x"}, "page number"),
    ],
)
def test_bad_input_is_a_clear_400(admin_client, flights, args, message):
    for url in ("/admin/reports/placements/", "/admin/reports/placements/export.csv"):
        response = admin_client.get(url, query_string=args)
        assert response.status_code == 400, url
        assert "data-report-error" in response.text and message in response.text


def test_a_whole_year_is_accepted(admin_client, flights):
    response = admin_client.get("/admin/reports/placements/", query_string={"start": "2024-04-01", "end": "2025-03-31"})
    assert response.status_code == 200
    assert "366 days" in response.text


def test_the_default_range_is_this_month_so_far(app, admin_client, flights):
    from listings.business_time import business_today

    with app.app_context():
        today = business_today()
    page = admin_client.get("/admin/reports/placements/").text
    assert f'value="{today.replace(day=1).isoformat()}"' in page and f'value="{today.isoformat()}"' in page
    assert "Nothing in this range." in page
