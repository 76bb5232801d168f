"""The report pages, admins only: the placement report and the monthly statements, each a
page and a CSV export (audited, every cell neutralised). A parameter that cannot be used
is answered with the form, a clear message and a 400."""

from __future__ import annotations

from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from flask import abort, request
from flask_admin import BaseView, expose

from admin.access import RoleRequired
from admin.audit import record_audit
from admin.csv_safety import csv_response
from admin.reports.periods import MAX_RANGE_DAYS, ReportInputError, parse_id, parse_month, parse_page
from admin.reports.placement_report import (
    BY_DAY,
    ReportRow,
    read_query,
    report_page,
    report_rows,
)
from admin.reports.statement import (
    LINES_PER_PAGE,
    StatementLine,
    billing_school,
    charge_lines,
    credit_lines,
    month_period,
    school_choices,
    statement_totals,
)
from core.extensions import db
from core.models import utcnow
from core.templating import local_time
from listings.business_time import business_today
from listings.models import Placement

CENT = Decimal("0.01")


def dollars(cents: float | int | None) -> Decimal | None:
    """Cents as a dollar amount with two decimals (a number in the CSV, never text)."""
    if cents is None:
        return None
    return (Decimal(cents) / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def percent(share: float | None) -> Decimal | None:
    if share is None:
        return None
    return (Decimal(share) * 100).quantize(CENT, rounding=ROUND_HALF_UP)


def stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


class ReportView(RoleRequired, BaseView):
    """A report page in the back office's look, under the "Reports" menu."""

    def __init__(self, *, name: str, endpoint: str, url: str) -> None:
        super().__init__(name=name, category="Reports", endpoint=endpoint, url=url)


class PlacementReportView(ReportView):
    template = "admin/placement_report.html"

    def __init__(self) -> None:
        super().__init__(name="Placement report", endpoint="placement_report", url="reports/placements")

    def _refuse(self, message: str):
        """The form again with what was wrong, and a 400."""
        page = self.render(self.template, error=message, schools=school_choices(), report=None, max_days=MAX_RANGE_DAYS)
        return page, 400

    @expose("/")
    def index(self):
        try:
            query, page = read_query(request.args, business_today())
        except ReportInputError as error:
            return self._refuse(error.message)
        report = report_page(query, page)
        if page > 1 and not report.rows:
            abort(404)
        placement = db.session.get(Placement, query.placement_id) if query.placement_id else None
        return self.render(
            self.template,
            error=None,
            schools=school_choices(),
            report=report,
            placement=placement,
            max_days=MAX_RANGE_DAYS,
        )

    @expose("/export.csv")
    def export(self):
        try:
            query, _page = read_query(request.args, business_today())
        except ReportInputError as error:
            return self._refuse(error.message)
        rows = report_rows(query)
        record_audit(
            "export",
            "placement",
            query.placement_id,
            after={"report": "placement report", "query": query.args(), "rows": len(rows)},
        )
        db.session.commit()
        period = query.period
        filename = f"placement-report-by-{query.by}-{period.start.isoformat()}-to-{period.end.isoformat()}.csv"
        return csv_response(filename, placement_header(query.by), (placement_cells(row, query.by) for row in rows))


def placement_header(by: str) -> list[str]:
    cap = "Daily cap" if by == BY_DAY else "Monthly cap"
    cap_use = "Cap use (%) of the day" if by == BY_DAY else "Cap use (%) in the busiest month"
    return [
        *(["Day"] if by == BY_DAY else []),
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
        cap,
        cap_use,
    ]


def placement_cells(row: ReportRow, by: str) -> list:
    return [
        *([row.day.isoformat()] if by == BY_DAY else []),
        row.placement_id,
        row.placement,
        row.school,
        row.impressions,
        row.clicks,
        percent(row.ctr),
        row.leads,
        row.billable,
        dollars(row.spend_cents),
        dollars(row.cpl_cents),
        row.cap,
        percent(row.cap_share),
    ]


class StatementView(ReportView):
    template = "admin/statement.html"

    def __init__(self) -> None:
        super().__init__(name="Monthly statements", endpoint="statement", url="reports/statements")

    def _read(self):
        today = business_today()
        return (
            parse_id(request.args.get("school"), "school"),
            parse_month(request.args.get("month"), today),
            parse_page(request.args.get("page")),
            parse_page(request.args.get("credits_page"), "credits page"),
        )

    def _refuse(self, message: str, status: int = 400):
        """The picker again with what was wrong, and a 4xx."""
        chosen = {"school": request.args.get("school", ""), "month": request.args.get("month", "")}
        return self.render(self.template, error=message, schools=school_choices(), chosen=chosen, school=None), status

    @expose("/")
    def index(self):
        try:
            school_id, month, page, credits_page = self._read()
        except ReportInputError as error:
            return self._refuse(error.message)
        chosen = {"school": school_id, "month": f"{month:%Y-%m}"}
        if school_id is None:
            return self.render(self.template, error=None, schools=school_choices(), chosen=chosen, school=None)
        school = billing_school(school_id)
        if school is None:
            return self._refuse("That school does not exist; choose one from the list.", 404)
        totals = statement_totals(school_id, month)
        charge_pages = pages(totals.charges)
        credit_pages = pages(totals.credits)
        if page > charge_pages or credits_page > credit_pages:
            abort(404)
        return self.render(
            self.template,
            error=None,
            schools=school_choices(),
            chosen=chosen,
            school=school,
            month=month,
            period=month_period(month),
            in_progress=month_period(month).end >= business_today(),
            totals=totals,
            charges=charge_lines(school_id, month, limit=LINES_PER_PAGE, offset=(page - 1) * LINES_PER_PAGE),
            credits=credit_lines(school_id, month, limit=LINES_PER_PAGE, offset=(credits_page - 1) * LINES_PER_PAGE),
            page=page,
            charge_pages=charge_pages,
            credits_page=credits_page,
            credit_pages=credit_pages,
            lines_per_page=LINES_PER_PAGE,
            prepared_at=utcnow(),
        )

    @expose("/export.csv")
    def export(self):
        try:
            school_id, month, _page, _credits_page = self._read()
        except ReportInputError as error:
            return self._refuse(error.message)
        if school_id is None:
            return self._refuse("Choose a school to export its statement.")
        school = billing_school(school_id)
        if school is None:
            return self._refuse("That school does not exist; choose one from the list.", 404)
        slug = school.slug
        totals = statement_totals(school_id, month)
        rows = statement_rows(charge_lines(school_id, month), credit_lines(school_id, month), totals)
        record_audit(
            "export",
            "school",
            school_id,
            after={
                "report": "monthly statement",
                "month": f"{month:%Y-%m}",
                "charges": totals.charges,
                "credits": totals.credits,
                "total_due_cents": totals.total_due_cents,
            },
        )
        db.session.commit()
        return csv_response(f"statement-{slug}-{month:%Y-%m}-{stamp()}.csv", STATEMENT_HEADER, rows)


def pages(lines: int) -> int:
    return max(1, -(-lines // LINES_PER_PAGE))


STATEMENT_HEADER = ["Type", "Date", "Lead ID", "Program", "Placement", "Amount (USD)", "Sold on", "Return reason"]


def _day(at: datetime | None) -> str:
    return local_time(at, "%Y-%m-%d") if at else ""


def statement_rows(charges: list[StatementLine], credits: list[StatementLine], totals) -> list[list]:
    """The statement as CSV rows: a line per charge and per credit (negative), then the totals."""
    rows: list[list] = [
        [
            "charge",
            _day(line.sold_at),
            line.lead_public_id,
            line.program,
            line.placement,
            dollars(line.price_cents),
            "",
            "",
        ]
        for line in charges
    ]
    rows += [
        [
            "credit",
            _day(line.returned_at),
            line.lead_public_id,
            line.program,
            line.placement,
            dollars(-line.price_cents),
            _day(line.sold_at),
            line.return_reason,
        ]
        for line in credits
    ]
    rows += [
        ["total charges", "", "", "", "", dollars(totals.charges_cents), "", ""],
        ["total credits", "", "", "", "", dollars(-totals.credits_cents), "", ""],
        ["total due", "", "", "", "", dollars(totals.total_due_cents), "", ""],
    ]
    return rows
