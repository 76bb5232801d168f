"""The audit trail, read-only: who changed what, when, from what to what."""

from __future__ import annotations

import json

from flask_admin.contrib.sqla.filters import FilterEqual, FilterLike
from markupsafe import Markup

from admin.models import AuditEvent
from admin.views.base import AdminModelView
from admin.views.filters import DayFilter

ACTIONS = (
    "create",
    "edit",
    "delete",
    "pause",
    "resume",
    "redeliver",
    "return",
    "erase",
    "export",
    "rotate_secret",
    "test_send",
    "login",
    "logout",
)

ENTITIES = (
    "category",
    "article",
    "school",
    "campus",
    "program",
    "placement",
    "lead",
    "delivery",
    "dispatch",
    "operator",
    "audit_event",
)


def _json_cell(view, context, model, name) -> Markup:
    value = getattr(model, name)
    if value is None:
        return Markup("—")
    text = json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)
    return Markup('<pre class="audit-json mb-0">{}</pre>').format(text)


def _json_text(view, context, model, name) -> str:
    value = getattr(model, name)
    return "" if value is None else json.dumps(value, sort_keys=True, ensure_ascii=False)


class AuditView(AdminModelView):
    can_create = False
    can_edit = False
    can_delete = False
    column_list = ("at", "operator.email", "action", "entity", "entity_id")
    column_select_related_list = (AuditEvent.operator,)
    column_details_list = ("id", "at", "operator.email", "action", "entity", "entity_id", "before", "after")
    column_export_list = column_details_list
    column_labels = {"operator.email": "Operator", "entity_id": "Id", "at": "When"}
    column_sortable_list = ("at", ("operator.email", "operator.email"), "action", "entity")
    column_default_sort = ("at", True)
    column_searchable_list = ("entity_id",)
    column_filters = (
        FilterEqual(AuditEvent.action, "Action", options=[(a, a) for a in ACTIONS]),
        FilterEqual(AuditEvent.entity, "Entity", options=[(e, e) for e in ENTITIES]),
        FilterLike("operator.email", "Operator"),
        DayFilter(AuditEvent.at, "When", on_or_after=True),
        DayFilter(AuditEvent.at, "When", on_or_after=False),
    )
    column_formatters_detail = {"before": _json_cell, "after": _json_cell}
    column_formatters_export = {"before": _json_text, "after": _json_text}

    def __init__(self) -> None:
        super().__init__(AuditEvent, endpoint="audit", name="Audit trail")
