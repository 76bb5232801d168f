"""The back office's index view: /admin/ (the dashboard), plus sign-in and sign-out.

It is Flask-Admin's index view, so its endpoint is Flask-Admin's "admin": admin.index,
admin.login, admin.logout. Admins see the dashboard (admin/reports/dashboard.py); editors
are sent to their desk, the articles."""

from __future__ import annotations

from flask import redirect, request, url_for
from flask_admin import AdminIndexView, expose
from flask_login import current_user

from admin.access import EVERYONE, RoleRequired
from admin.auth import SignInViews
from admin.models import Role
from admin.reports.activity import RANKINGS
from admin.reports.dashboard import dashboard
from admin.reports.delivery_health import STUCK_AFTER, describe_age
from admin.reports.periods import MAX_RANGE_DAYS, ReportInputError, parse_range
from admin.views.leads import lead_list_url
from leads.models import DispatchStatus
from listings.business_time import business_today

LINKED_STATUSES = (
    DispatchStatus.PENDING,
    DispatchStatus.SENDING,
    DispatchStatus.FAILED,
    DispatchStatus.DEAD,
    DispatchStatus.REJECTED,
)


class DashboardView(SignInViews, RoleRequired, AdminIndexView):
    roles = EVERYONE

    def __init__(self) -> None:
        super().__init__(name="Dashboard", url="/admin", endpoint="admin")

    def _handle_view(self, name, **kwargs):
        if name == "login":  # the one back-office page open to everyone
            return None
        return super()._handle_view(name, **kwargs)

    @expose("/")
    def index(self):
        if current_user.role != Role.ADMIN.value:
            return redirect(url_for("article.index_view"))  # an editor's desk
        today = business_today()
        try:
            period, error = parse_range(request.args, today), None
        except ReportInputError as refused:
            period, error = None, refused.message
        by = request.args.get("rank", "")
        board = dashboard(today, period, by if by in RANKINGS else RANKINGS[0])
        page = self.render(
            "admin/dashboard.html",
            board=board,
            error=error,
            max_days=MAX_RANGE_DAYS,
            stuck_after=describe_age(STUCK_AFTER),
            describe_age=describe_age,
            dispatch_links={status.value: lead_list_url("Dispatch status", status.value) for status in LINKED_STATUSES},
        )
        return page, 400 if error else 200
