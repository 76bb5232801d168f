"""What every back-office model view shares: the role guard, Flask-WTF forms, the audit
trail on create/edit/delete, formula-safe CSV exports, times shown in the business
time zone, and a form re-shown with its values when its CSRF token has expired."""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask import flash, g, make_response, render_template, request
from flask_admin.contrib.sqla import ModelView
from flask_admin.model import typefmt
from flask_wtf.csrf import CSRFError
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError

from admin.access import RoleRequired
from admin.audit import changed_only, record_audit, snapshot
from admin.csv_safety import csv_response
from admin.forms import AdminForm
from core.extensions import db
from core.templating import local_time

log = logging.getLogger(__name__)

CSRF_EXPIRED = "The form had expired, so nothing was saved. Check the values below and send it again."


def _datetime_cell(view, value: datetime, name=None) -> str:
    return local_time(value, "%Y-%m-%d %H:%M %Z")


def _bool_cell(view, value: bool, name=None) -> str:
    return "yes" if value else "no"


LIST_FORMATTERS = {
    **typefmt.BASE_FORMATTERS,
    datetime: _datetime_cell,
    date: lambda view, value, name=None: value.isoformat(),
    bool: _bool_cell,
}
EXPORT_FORMATTERS = {**typefmt.EXPORT_FORMATTERS, datetime: _datetime_cell, bool: _bool_cell}


class AdminModelView(RoleRequired, ModelView):
    form_base_class = AdminForm
    can_view_details = True
    can_export = True
    export_types = ["csv"]
    page_size = 25
    can_set_page_size = True
    page_size_options = (25, 50, 100)
    column_display_pk = True
    column_type_formatters = LIST_FORMATTERS
    column_type_formatters_detail = LIST_FORMATTERS
    column_type_formatters_export = EXPORT_FORMATTERS

    def __init__(self, model, *, endpoint: str, name: str, **kwargs) -> None:
        super().__init__(model, db, name=name, endpoint=endpoint, **kwargs)

    @property
    def audit_entity(self) -> str:
        return self.model.__table__.name

    # One object, with its relationships loadable: forms and detail pages read them.
    def get_one(self, id: Any):
        try:
            key = int(id)
        except (TypeError, ValueError):
            return None
        statement = (
            sa.select(self.model)
            .where(self.model.id == key)
            .options(sa.orm.lazyload("*"))
            .execution_options(populate_existing=True)
        )
        return db.session.scalar(statement)

    def _get_ruleset_missing_fields(self, ruleset, form):
        # A form laid out with rules would otherwise lose its CSRF token, which no rule names.
        missing = super()._get_ruleset_missing_fields(ruleset=ruleset, form=form)
        return [name for name in missing if name != "csrf_token"]

    def _get_filter_groups(self):
        """The filters' groups with their options read now (Flask-Admin keeps those it
        read at start-up, which would miss every school added since)."""
        if not self._filters:
            return None
        groups: dict[str, list[dict[str, Any]]] = {}
        for index, flt in enumerate(self._filters):
            options = flt.get_options(self)
            groups.setdefault(str(flt.name), []).append(
                {
                    "index": index,
                    "arg": self.get_filter_arg(index, flt),
                    "operation": str(flt.operation()),
                    "options": [(key, str(label)) for key, label in options] if options else None,
                    "type": flt.data_type,
                }
            )
        return groups

    # The audit trail: the event joins the change's own transaction.
    def update_model(self, form, model) -> bool:
        g.audit_before = snapshot(model)
        return super().update_model(form, model)

    def _on_model_change(self, form, model, is_created: bool) -> None:
        super()._on_model_change(form, model, is_created)
        db.session.flush()
        after = snapshot(model)
        if is_created:
            record_audit("create", self.audit_entity, model.id, after=after)
        else:
            before, after = changed_only(g.pop("audit_before", {}), after)
            record_audit("edit", self.audit_entity, model.id, before=before, after=after)

    def on_model_delete(self, model) -> None:
        record_audit("delete", self.audit_entity, model.id, before=snapshot(model))

    def handle_view_exception(self, exc: Exception) -> bool:
        if isinstance(exc, IntegrityError):
            log.info("integrity error in the back office: %s", type(exc.orig).__name__)
            flash(
                "Refused: this would duplicate an existing record (a slug or e-mail already in use) or break "
                "a link to other records (something still refers to this one; deactivate it instead).",
                "error",
            )
            return True
        return super().handle_view_exception(exc)

    # Exports: audited, every cell neutralised (admin/csv_safety.py).
    def _export_csv(self, return_url):
        _count, objects = self._export_data()
        columns = self._export_columns
        # Values first: the commit below expires the objects.
        rows = [[self.get_export_value(obj, name) for name, _label in columns] for obj in objects]
        record_audit("export", self.audit_entity, None, after={"query": request.args.to_dict(), "rows": len(rows)})
        db.session.commit()
        return csv_response(self.get_export_name("csv"), [label for _name, label in columns], rows)

    def get_export_name(self, export_type: str = "csv") -> str:
        return "%s-%s.%s" % (self.endpoint, datetime.now().strftime("%Y%m%d-%H%M%S"), export_type)

    # An expired CSRF token on a create or edit form: show the form again with what was
    # typed (status 400) instead of losing it.
    def validate_form(self, form) -> bool:
        if g.get("csrf_expired"):
            flash(CSRF_EXPIRED, "error")
            return False
        return super().validate_form(form)

    def create_blueprint(self, admin):
        blueprint = super().create_blueprint(admin)
        blueprint.register_error_handler(CSRFError, self._csrf_failed)
        return blueprint

    def _csrf_failed(self, error: CSRFError):
        view = {"create_view": self.create_view, "edit_view": self.edit_view}.get(request.endpoint.rpartition(".")[2])
        if view is None:
            return render_template("errors/400.html", error=error, csrf=True), 400
        g.csrf_expired = True
        response = make_response(view())
        if response.status_code == 200:
            response.status_code = 400
        return response


def link(url: str, text: Any) -> Markup:
    """An escaped link for a list cell."""
    return Markup('<a href="{}">{}</a>').format(url, text)
