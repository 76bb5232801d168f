"""Operator back office, all under /admin/: one Flask-Admin whose every view is behind a
session and a role (admin/access.py), with Flask-WTF forms, an audit trail and
formula-safe CSV exports."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, Response, request

ADMIN_URL = "/admin"


def init_admin(app: Flask) -> None:
    """Register the back office on `app`."""
    from flask_admin import Admin
    from flask_admin.theme import Bootstrap4Theme

    from admin.dashboard import DashboardView
    from admin.models import Operator
    from admin.views.audit_log import AuditView
    from admin.views.catalogue import ArticleView, CategoryView
    from admin.views.leads import LeadView
    from admin.views.placements import PlacementView
    from admin.views.reports import PlacementReportView, StatementView
    from admin.views.schools import CampusView, ProgramView, SchoolView
    from core.extensions import db, login_manager
    from core.security import csp_nonce

    login_manager.session_protection = "strong"
    login_manager.login_view = "admin.login"
    login_manager.login_message = None

    @login_manager.user_loader
    def load_operator(operator_id: str) -> Operator | None:
        if not operator_id.isdigit():
            return None
        return db.session.scalar(sa.select(Operator).where(Operator.id == int(operator_id), Operator.active.is_(True)))

    back_office = Admin(
        app,
        name="Prospectus back office",
        url=ADMIN_URL,
        index_view=DashboardView(),
        theme=Bootstrap4Theme(base_template="admin/back_office_base.html", fluid=True),
        csp_nonce_generator=csp_nonce,
    )
    back_office.add_views(
        LeadView(),
        PlacementView(),
        PlacementReportView(),
        StatementView(),
        SchoolView(),
        CampusView(),
        ProgramView(),
        CategoryView(),
        ArticleView(),
        AuditView(),
    )

    @app.after_request
    def keep_back_office_pages_private(response: Response) -> Response:
        # Lead data must not sit in a shared or browser cache.
        if request.path.startswith(ADMIN_URL + "/") or request.path == ADMIN_URL:
            if not request.path.startswith(ADMIN_URL + "/static/"):
                response.headers["Cache-Control"] = "no-store"
        return response
