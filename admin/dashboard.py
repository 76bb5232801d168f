"""The back office's index view: /admin/ (the dashboard), plus sign-in and sign-out.

It is Flask-Admin's index view, so its endpoint is Flask-Admin's "admin": admin.index,
admin.login, admin.logout. The reports issue fills the dashboard with charts."""

from __future__ import annotations

from flask import redirect, url_for
from flask_admin import AdminIndexView, expose
from flask_login import current_user

from admin.access import EVERYONE, RoleRequired
from admin.auth import SignInViews
from admin.models import Role
from admin.overview import overview
from listings.business_time import business_today


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
        return self.render("admin/dashboard.html", overview=overview(business_today()))
