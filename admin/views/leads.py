"""Leads: the filtered list and its CSV export, a lead's page (every field, the consent
record, deliveries, dispatches) and the operator's actions on it. The actions call the
delivery engine's services in leads/ and show their refusal as it is worded there."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.model.template import EndpointLinkRowAction
from sqlalchemy.orm import joinedload, selectinload

from admin.audit import record_audit, snapshot
from admin.csv_safety import csv_response
from admin.forms import EraseForm, ReturnForm
from admin.views.base import AdminModelView, link
from admin.views.filters import lead_filters
from core.extensions import db
from core.templating import local_time
from leads.errors import ActionRefused
from leads.models import Delivery, DeliveryStatus, Dispatch, DispatchStatus, Lead, LeadStatus
from leads.redelivery import redeliver_dispatch
from leads.returns import mark_delivery_returned
from leads.withdrawal import erase_lead
from listings.models import School

REDELIVERABLE = frozenset({DispatchStatus.FAILED.value, DispatchStatus.REJECTED.value, DispatchStatus.DEAD.value})
RETURNABLE = frozenset({DeliveryStatus.DELIVERED.value})
EXPORT_BATCH = 500

LEAD_FIELDS = (
    "public_id",
    "created_at",
    "status",
    "first_name",
    "last_name",
    "email",
    "phone",
    "zip_code",
    "education_level",
    "graduation_year",
    "start_timeframe",
    "military_affiliation",
    "page_url",
    "referrer",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "ip",
    "user_agent",
    "withdrawn_at",
    "erased_at",
)


def lead_list_url(filter_name: str, value: str) -> str:
    """The lead list filtered on one of its filters, named as on the page ("Dispatch status")."""
    index = next(i for i, flt in enumerate(lead_filters()) if flt.name == filter_name)
    return url_for("lead.index_view", **{f"flt0_{index}": value})


def _lead_link(view, context, model, name):
    return link(url_for("lead.page", lead_id=model.id), model.id)


def _name_link(view, context, model, name):
    return link(url_for("lead.page", lead_id=model.id), model.first_name or "(erased)")


class LeadView(AdminModelView):
    can_create = False
    can_edit = False
    can_delete = False
    can_view_details = False
    simple_list_pager = True  # no COUNT over every lead per page
    column_list = (
        "id",
        "created_at",
        "first_name",
        "last_name",
        "email",
        "phone",
        "zip_code",
        "status",
        "program.name",
        "placement.name",
    )
    column_select_related_list = (Lead.program, Lead.placement)
    column_labels = {
        "program.name": "Program",
        "placement.name": "Placement",
        "zip_code": "ZIP",
        "created_at": "Received",
    }
    column_sortable_list = ("id", "created_at", "last_name", "status")
    column_default_sort = ("created_at", True)
    column_searchable_list = ("email", "last_name", "phone", "public_id")
    column_formatters = {"id": _lead_link, "first_name": _name_link}
    column_extra_row_actions = [
        EndpointLinkRowAction("fa fa-eye", "lead.page", title="Open the lead", id_arg="lead_id"),
    ]
    column_display_actions = True

    def __init__(self) -> None:
        super().__init__(Lead, endpoint="lead", name="Leads")

    def get_filters(self):
        return lead_filters()

    # The lead page
    @expose("/<int:lead_id>")
    def page(self, lead_id: int):
        lead = db.session.scalar(
            sa.select(Lead)
            .where(Lead.id == lead_id)
            .options(
                joinedload(Lead.consent),
                joinedload(Lead.program),
                joinedload(Lead.placement),
                selectinload(Lead.deliveries).options(
                    joinedload(Delivery.school), joinedload(Delivery.program), joinedload(Delivery.placement)
                ),
                selectinload(Lead.dispatches).joinedload(Dispatch.delivery).joinedload(Delivery.school),
            )
        )
        if lead is None:
            abort(404)
        return self.render(
            "admin/lead_page.html",
            lead=lead,
            fields=[(name, getattr(lead, name)) for name in LEAD_FIELDS],
            return_form=ReturnForm(formdata=None),
            erase_form=EraseForm(formdata=None),
            redeliverable=REDELIVERABLE,
            returnable=RETURNABLE,
            erasable=lead.status == LeadStatus.ACTIVE.value,
        )

    # Actions: POST + CSRF (global), audited, refusals flashed as the service words them.
    @expose("/dispatch/<int:dispatch_id>/redeliver", methods=("POST",))
    def redeliver(self, dispatch_id: int):
        dispatch = db.session.get(Dispatch, dispatch_id) or abort(404)
        lead_id, before = dispatch.lead_id, snapshot(dispatch)
        try:
            dispatch = redeliver_dispatch(dispatch_id)
        except ActionRefused as refusal:
            db.session.rollback()
            flash(refusal.message, "error")
        else:
            record_audit("redeliver", "dispatch", dispatch_id, before=before, after=snapshot(dispatch))
            db.session.commit()
            flash(f"Dispatch #{dispatch_id} will be sent again shortly.", "success")
        return redirect(url_for(".page", lead_id=lead_id, _anchor="dispatches"))

    @expose("/delivery/<int:delivery_id>/return", methods=("POST",))
    def mark_returned(self, delivery_id: int):
        delivery = db.session.get(Delivery, delivery_id) or abort(404)
        lead_id, before = delivery.lead_id, snapshot(delivery)
        form = ReturnForm()
        if not form.validate():
            flash("Give the reason the school returned this lead (up to 500 characters).", "error")
            return redirect(url_for(".page", lead_id=lead_id, _anchor="deliveries"))
        try:
            delivery = mark_delivery_returned(delivery_id, form.reason.data.strip())
        except ActionRefused as refusal:
            db.session.rollback()
            flash(refusal.message, "error")
        else:
            record_audit("return", "delivery", delivery_id, before=before, after=snapshot(delivery))
            db.session.commit()
            flash(f"Delivery #{delivery_id} marked returned; it is no longer billable.", "success")
        return redirect(url_for(".page", lead_id=lead_id, _anchor="deliveries"))

    @expose("/<int:lead_id>/erase", methods=("POST",))
    def erase(self, lead_id: int):
        lead = db.session.get(Lead, lead_id) or abort(404)
        before = snapshot(lead)
        form = EraseForm()
        if not form.validate():
            flash("Give the request's reference and tick the confirmation to erase this person's details.", "error")
            return redirect(url_for(".page", lead_id=lead_id, _anchor="erase"))
        try:
            lead = erase_lead(lead_id, reason=form.reason.data.strip())
        except ActionRefused as refusal:
            db.session.rollback()
            flash(refusal.message, "error")
        else:
            after = snapshot(lead)
            after["reason"] = form.reason.data.strip()
            record_audit("erase", "lead", lead_id, before=before, after=after)
            db.session.commit()
            flash("The person's details are erased; pending messages cancelled and notices scheduled.", "success")
        return redirect(url_for(".page", lead_id=lead_id))

    # The export: the filtered list, streamed in batches, with each lead's deliveries.
    def _export_csv(self, return_url):
        view_args = self._get_list_extra_args()
        sort = self._get_column_by_idx(view_args.sort)
        _count, query = self.get_list(
            0,
            sort[0] if sort else None,
            view_args.sort_desc,
            view_args.search,
            view_args.filters,
            execute=False,
            page_size=0,
        )
        record_audit("export", "lead", None, after={"query": request.args.to_dict()})
        db.session.commit()
        header = ["id", *LEAD_FIELDS, "program", "placement", "deliveries"]
        return csv_response(self.get_export_name("csv"), header, _export_rows(query))


def _export_rows(query):
    """The leads of `query` in id order, a batch per short read transaction (on SQLite a
    transaction holds the write lock, and an export must not stall incoming leads)."""
    session = query.session
    query = query.order_by(None)
    last_id = 0
    try:
        while batch := query.filter(Lead.id > last_id).order_by(Lead.id).limit(EXPORT_BATCH).all():
            deliveries: dict[int, list[str]] = {}
            found = session.execute(
                sa.select(Delivery.lead_id, School.name, Delivery.status, Delivery.price_cents)
                .join(School, School.id == Delivery.school_id)
                .where(Delivery.lead_id.in_([lead.id for lead in batch]))
                .order_by(Delivery.lead_id, Delivery.id)
            )
            for lead_id, school, status, price in found:
                deliveries.setdefault(lead_id, []).append(f"{school} ({status}, ${price / 100:,.2f})")
            rows = [_export_row(lead, deliveries.get(lead.id, [])) for lead in batch]
            last_id = batch[-1].id
            session.rollback()
            yield from rows
    finally:
        session.rollback()


def _export_row(lead: Lead, deliveries: list[str]) -> list:
    values = [getattr(lead, name) for name in LEAD_FIELDS]
    values = [
        local_time(value, "%Y-%m-%d %H:%M:%S %Z") if name.endswith("_at") and value else value
        for name, value in zip(LEAD_FIELDS, values, strict=True)
    ]
    return [
        lead.id,
        *values,
        lead.program.name if lead.program else "",
        lead.placement.name if lead.placement else "",
        "; ".join(deliveries),
    ]
