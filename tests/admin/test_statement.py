"""Monthly statements: charges of the month, returns as credits in the month they are
recorded, month boundaries in the business time zone, the total due, the printable page,
the CSV with its audit entry, and refusals."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from admin.models import AuditEvent
from core.extensions import db
from leads.models import Lead
from listings.business_time import business_today
from tests import factories
from tests.admin.reporting import at, body_cells, delivery, table

URL = "/admin/reports/statements/"


@pytest.fixture
def billing(app):
    with app.app_context():
        category = factories.category(name="Nursing")
        harbor = factories.school(name="Harbor College", billing_email="accounts@harbor.example.edu")
        lakeside = factories.school(name="Lakeside University")
        program = factories.program(harbor, category, name="Nursing RN")
        flight = factories.placement(
            harbor, category, name="Spring flight", starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31)
        )
        sold = {"program": program, "placement": flight, "price_cents": 2500}

        def returned(sold_on, returned_on, reason, price=2500):
            return delivery(
                harbor,
                sold_on,
                program=program,
                placement=flight,
                price_cents=price,
                billable=False,  # a return gives its reservation back
                status="returned",
                returned_at=returned_on,
                return_reason=reason,
            )

        made = {
            "c1": delivery(harbor, at(date(2025, 3, 5)), **sold),
            "c2": returned(at(date(2025, 3, 20)), at(date(2025, 3, 22)), "Wrong number"),
            "c3": returned(at(date(2025, 2, 25)), at(date(2025, 3, 2)), "@SUM(A1) not a real person", price=3000),
            "c4": returned(at(date(2025, 3, 28)), at(date(2025, 4, 3)), "Asked not to be called"),
            # 03:30 UTC on April 1st is 23:30 on March 31st in New York.
            "c5": delivery(harbor, datetime(2025, 4, 1, 3, 30, tzinfo=UTC), **sold),
            # 04:30 UTC on March 1st is 23:30 on February 28th there (standard time).
            "c6": delivery(harbor, datetime(2025, 3, 1, 4, 30, tzinfo=UTC), **sold),
            "pending": delivery(harbor, at(date(2025, 3, 30)), status="pending", **sold),
            "free": delivery(harbor, at(date(2025, 3, 10)), program=program, placement=flight),  # over a cap
            "dead": delivery(harbor, at(date(2025, 3, 11)), status="dead", billable=False, **sold),
            "cancelled": delivery(harbor, at(date(2025, 3, 12)), status="cancelled", billable=False, **sold),
            "organic": delivery(harbor, at(date(2025, 3, 13)), program=program),
            "other": delivery(lakeside, at(date(2025, 3, 5)), price_cents=9900),
        }
        db.session.commit()
        return {
            "harbor": harbor.id,
            "lakeside": lakeside.id,
            **{name: (d.id, db.session.get(Lead, d.lead_id).public_id) for name, d in made.items()},
        }


def test_a_month_with_charges_and_returns(admin_client, billing):
    response = admin_client.get(URL, query_string={"school": billing["harbor"], "month": "2025-03"})
    assert response.status_code == 200
    page = response.text
    assert "Statement for Harbor College: March 2025" in page
    assert 'href="mailto:accounts@harbor.example.edu"' in page
    assert "March 1 to March 31, 2025, America/New_York" in page
    assert "data-month-in-progress" not in page
    totals = table(page, "data-statement-totals")
    assert [row["cells"] for row in totals["body"]] == [
        ["Leads charged", "5", "$125.00"],
        ["Returns credited", "2", "−$55.00"],
    ]
    assert totals["foot"][0]["cells"] == ["Total due", "$70.00"]

    charges = body_cells(page, "data-charge-lines")
    assert [(row[0], row[1]) for row in charges] == [
        ("2025-03-05", billing["c1"][1]),
        ("2025-03-20", billing["c2"][1]),
        ("2025-03-28", billing["c4"][1]),
        ("2025-03-30", billing["pending"][1]),
        ("2025-03-31", billing["c5"][1]),
    ]
    assert charges[0][2:] == ["Nursing RN", "Spring flight", "$25.00"]
    assert charges[1][3] == "Spring flight returned 2025-03-22"
    credits = body_cells(page, "data-credit-lines")
    assert credits == [
        ["2025-03-02", billing["c3"][1], "Nursing RN", "2025-02-25", "@SUM(A1) not a real person", "−$30.00"],
        ["2025-03-22", billing["c2"][1], "Nursing RN", "2025-03-20", "Wrong number", "−$25.00"],
    ]
    for name in ("free", "dead", "cancelled", "organic", "other", "c6"):
        assert billing[name][1] not in page


def test_a_later_return_is_credited_on_the_later_month(admin_client, billing):
    page = admin_client.get(URL, query_string={"school": billing["harbor"], "month": "2025-04"}).text
    assert body_cells(page, "data-charge-lines") == [["No leads sold in April 2025."]]
    assert [row[1] for row in body_cells(page, "data-credit-lines")] == [billing["c4"][1]]
    assert table(page, "data-statement-totals")["foot"][0]["cells"] == ["Total due", "−$25.00"]


def test_february_keeps_its_charges_after_a_return_in_march(admin_client, billing):
    page = admin_client.get(URL, query_string={"school": billing["harbor"], "month": "2025-02"}).text
    assert [row[1] for row in body_cells(page, "data-charge-lines")] == [billing["c3"][1], billing["c6"][1]]
    assert table(page, "data-statement-totals")["foot"][0]["cells"] == ["Total due", "$55.00"]


def test_the_csv_statement_is_neutralised_and_audited(app, admin_client, billing):
    response = admin_client.get(URL + "export.csv", query_string={"school": billing["harbor"], "month": "2025-03"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="statement-' in response.headers["Content-Disposition"]
    assert "-2025-03-" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["Type", "Date", "Lead ID", "Program", "Placement", "Amount (USD)", "Sold on", "Return reason"]
    assert rows[1] == ["charge", "2025-03-05", billing["c1"][1], "Nursing RN", "Spring flight", "25.00", "", ""]
    assert [row[0] for row in rows[1:]] == ["charge"] * 5 + ["credit"] * 2 + [
        "total charges",
        "total credits",
        "total due",
    ]
    assert rows[6] == [
        "credit",
        "2025-03-02",
        billing["c3"][1],
        "Nursing RN",
        "Spring flight",
        "-30.00",  # a number, not text: no apostrophe
        "2025-02-25",
        "'@SUM(A1) not a real person",  # text that a spreadsheet would run: neutralised
    ]
    assert [row[5] for row in rows[-3:]] == ["125.00", "-55.00", "70.00"]
    with app.app_context():
        (event,) = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert (event.entity, event.entity_id) == ("school", str(billing["harbor"]))
    assert event.after == {
        "report": "monthly statement",
        "month": "2025-03",
        "charges": 5,
        "credits": 2,
        "total_due_cents": 7000,
    }


def test_long_statements_are_paged_but_totalled_whole(admin_client, billing, monkeypatch):
    monkeypatch.setattr("admin.views.reports.LINES_PER_PAGE", 2)
    args = {"school": billing["harbor"], "month": "2025-03"}
    second = admin_client.get(URL, query_string={**args, "page": 2}).text
    assert [row[0] for row in body_cells(second, "data-charge-lines")] == ["2025-03-28", "2025-03-30"]
    assert "Lines 3 to 4 of 5 (page 2 of 3; the CSV holds every line)" in second
    assert 'rel="prev"' in second and 'rel="next"' in second
    assert table(second, "data-statement-totals")["foot"][0]["cells"] == ["Total due", "$70.00"]
    assert admin_client.get(URL, query_string={**args, "page": 4}).status_code == 404


def test_the_picker_defaults_to_last_month(app, admin_client, billing):
    with app.app_context():
        today = business_today()
    page = admin_client.get(URL)
    assert page.status_code == 200 and "data-statement " not in page.text
    last_month = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    assert f'value="{last_month}"' in page.text
    assert "Harbor College" in page.text and "Lakeside University" in page.text


def test_a_month_in_progress_and_a_missing_billing_contact_are_said(app, admin_client, billing):
    with app.app_context():
        this_month = business_today().strftime("%Y-%m")
    page = admin_client.get(URL, query_string={"school": billing["lakeside"], "month": this_month}).text
    assert "data-month-in-progress" in page
    assert "No billing e-mail on file." in page


@pytest.mark.parametrize(
    "args,status,message",
    [
        ({"month": "2025-13"}, 400, "is not a month"),
        ({"month": "March"}, 400, "is not a month"),
        ({"month": "1999-12"}, 400, "must fall between"),
        ({"school": "x1"}, 400, "Choose a school"),
        ({"school": "424242", "month": "2025-03"}, 404, "That school does not exist"),
        ({"school": "1", "month": "2025-03", "page": "zero"}, 400, "page number"),
        ({"school": "1", "month": "2025-03", "credits_page": "0"}, 400, "credits page number"),
    ],
)
def test_refusals(admin_client, billing, args, status, message):
    for url in (URL, URL + "export.csv"):
        response = admin_client.get(url, query_string=args)
        assert response.status_code == status, (url, response.status_code)
        assert message in response.text


def test_the_csv_needs_a_school(admin_client, billing):
    response = admin_client.get(URL + "export.csv", query_string={"month": "2025-03"})
    assert response.status_code == 400 and "Choose a school to export its statement." in response.text
