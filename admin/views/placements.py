"""Sponsored placements: create, edit, pause and resume; each row shows its derived state
and today's and this month's figures (admin/placement_figures.py, one aggregate
statement per page)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from flask import abort, flash, g, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from markupsafe import Markup
from wtforms import DecimalField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from admin.audit import record_audit
from admin.placement_figures import Figures, cap_use, placement_figures, state_of
from admin.views.base import AdminModelView
from core.extensions import db
from core.templating import money
from listings.business_time import business_today
from listings.models import Placement

FIGURE_COLUMNS = ("state", "today", "month", "cap_use")


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share:.1%}"


def _figures_of(placement: Placement) -> Figures:
    return g.get("placement_figures", {}).get(placement.id, Figures())


def _state_label(placement: Placement) -> str:
    return state_of(placement, _figures_of(placement), g.placement_today).label


def _period_text(period) -> str:
    return (
        f"{period.impressions:,} impr. · {period.clicks:,} clicks · CTR {_percent(period.ctr)} · "
        f"{period.leads:,} leads · {money(period.spend_cents)}"
    )


def _period_cell(period) -> Markup:
    return Markup(
        '<span class="text-nowrap">{} impr. · {} clicks ({})</span><br><span class="text-nowrap">{} leads · {}</span>'
    ).format(
        f"{period.impressions:,}",
        f"{period.clicks:,}",
        _percent(period.ctr),
        f"{period.leads:,}",
        money(period.spend_cents),
    )


def _cap_text(placement: Placement) -> str:
    caps = cap_use(placement, _figures_of(placement))
    parts = []
    if caps["daily"].limit is not None:
        parts.append(f"day {caps['daily'].used}/{caps['daily'].limit}")
    if caps["monthly"].limit is not None:
        parts.append(f"month {caps['monthly'].used}/{caps['monthly'].limit}")
    if caps["budget"].limit is not None:
        parts.append(f"budget {_percent(caps['budget'].share)}")
    return " · ".join(parts) or "no caps"


def _state_cell(view, context, model, name) -> Markup:
    state = state_of(model, _figures_of(model), g.placement_today)
    return Markup('<span class="badge placement-state placement-state-{}" data-state="{}">{}</span>').format(
        state.value, state.value, state.label
    )


def _money_cell(view, context, model, name) -> str:
    return money(getattr(model, name))


class PlacementView(AdminModelView):
    column_list = (
        "id",
        "name",
        "school.name",
        "category.name",
        "starts_on",
        "ends_on",
        "price_per_lead_cents",
        *FIGURE_COLUMNS,
    )
    column_select_related_list = (Placement.school, Placement.category)
    column_labels = {
        "school.name": "School",
        "category.name": "Category",
        "program.name": "Program",
        "price_per_lead_cents": "Price per lead",
        "budget_cents": "Budget",
        "state": "State",
        "today": "Today",
        "month": "This month",
        "cap_use": "Cap use",
        "daily_cap": "Daily cap (leads)",
        "monthly_cap": "Monthly cap (leads)",
    }
    column_searchable_list = ("name", "school.name")
    column_sortable_list = (
        "id",
        "name",
        ("school.name", "school.name"),
        ("category.name", "category.name"),
        "starts_on",
        "ends_on",
        "price_per_lead_cents",
    )
    column_filters = ("school.name", "category.name", "paused", "starts_on", "ends_on")
    column_default_sort = ("starts_on", True)
    column_details_list = (
        "id",
        "name",
        "school.name",
        "category.name",
        "program.name",
        "starts_on",
        "ends_on",
        "paused",
        "price_per_lead_cents",
        "daily_cap",
        "monthly_cap",
        "budget_cents",
        "created_at",
        "updated_at",
    )
    column_formatters = {
        "state": _state_cell,
        "today": lambda v, c, m, n: _period_cell(_figures_of(m).today),
        "month": lambda v, c, m, n: _period_cell(_figures_of(m).month),
        "cap_use": lambda v, c, m, n: Markup("<br>").join(_cap_text(m).split(" · ")),
        "price_per_lead_cents": _money_cell,
        "budget_cents": _money_cell,
    }
    column_formatters_detail = {"price_per_lead_cents": _money_cell, "budget_cents": _money_cell}
    column_export_list = (
        "id",
        "name",
        "school.name",
        "category.name",
        "starts_on",
        "ends_on",
        "paused",
        "price_per_lead_cents",
        "daily_cap",
        "monthly_cap",
        "budget_cents",
        *FIGURE_COLUMNS,
    )
    column_formatters_export = {
        "state": lambda v, c, m, n: _state_label(m),
        "today": lambda v, c, m, n: _period_text(_figures_of(m).today),
        "month": lambda v, c, m, n: _period_text(_figures_of(m).month),
        "cap_use": lambda v, c, m, n: _cap_text(m),
    }
    form_columns = (
        "name",
        "school",
        "category",
        "program",
        "starts_on",
        "ends_on",
        "paused",
        "price_per_lead",
        "daily_cap",
        "monthly_cap",
        "budget",
    )
    form_extra_fields = {
        "price_per_lead": DecimalField(
            "Price per lead (USD)",
            places=2,
            validators=[InputRequired(), NumberRange(min=0)],
            description="What the school pays per lead; also its bid in the sponsored rotation.",
        ),
        "budget": DecimalField(
            "Total budget (USD)",
            places=2,
            validators=[Optional(), NumberRange(min=0)],
            description="Leave empty for no budget limit.",
        ),
    }
    form_args = {
        "school": {"get_label": "name"},
        "category": {"get_label": "name"},
        "program": {"get_label": "name", "description": "Optional: target one program of the school."},
        "daily_cap": {"validators": [Optional(), NumberRange(min=0)], "description": "Leads per business day."},
        "monthly_cap": {"validators": [Optional(), NumberRange(min=0)], "description": "Leads per calendar month."},
    }
    details_template = "admin/placement_details.html"

    def __init__(self) -> None:
        super().__init__(Placement, endpoint="placement", name="Placements")

    # Figures for the rows of this page (or export), in one statement.
    def get_list(self, *args, **kwargs):
        count, data = super().get_list(*args, **kwargs)
        if isinstance(data, list):
            g.placement_today = business_today()
            g.placement_figures = placement_figures([p.id for p in data], g.placement_today)
        return count, data

    @expose("/details/")
    def details_view(self):
        placement = self.get_one(request.args.get("id"))
        if placement is not None:
            today = business_today()
            figures = placement_figures([placement.id], today)[placement.id]
            self._template_args.update(
                today=today,
                figures=figures,
                state=state_of(placement, figures, today),
                caps=cap_use(placement, figures),
            )
        return super().details_view()

    # Money is typed in dollars and kept in cents.
    def on_form_prefill(self, form, id) -> None:
        placement = self.get_one(id)
        form.price_per_lead.data = Decimal(placement.price_per_lead_cents) / 100
        form.budget.data = None if placement.budget_cents is None else Decimal(placement.budget_cents) / 100

    def on_model_change(self, form, model: Placement, is_created: bool) -> None:
        if model.ends_on < model.starts_on:
            raise ValidationError("The flight must end on or after the day it starts.")
        program, school, category = form.program.data, form.school.data, form.category.data
        if program is not None and (program.school_id != school.id or program.category_id != category.id):
            raise ValidationError("The program must belong to the placement's school and category.")
        model.price_per_lead_cents = to_cents(form.price_per_lead.data)
        model.budget_cents = None if form.budget.data is None else to_cents(form.budget.data)

    # Pause and resume: one rule for the list's action and the detail page's button.
    def set_paused(self, ids: list[int], paused: bool) -> int:
        placements = db.session.scalars(sa.select(Placement).where(Placement.id.in_(ids))).all()
        changed = 0
        for placement in placements:
            if placement.paused == paused:
                continue
            record_audit(
                "pause" if paused else "resume",
                "placement",
                placement.id,
                before={"paused": placement.paused},
                after={"paused": paused},
            )
            placement.paused = paused
            changed += 1
        db.session.commit()
        return changed

    def _flash_paused(self, changed: int, paused: bool) -> None:
        verb = "paused" if paused else "resumed"
        if changed:
            flash(f"{changed} placement{'s' if changed != 1 else ''} {verb}.", "success")
        else:
            flash(f"Nothing to do: already {verb}.", "info")

    @action("pause", "Pause", "Pause the selected placements? They stop showing at once.")
    def action_pause(self, ids) -> None:
        self._flash_paused(self.set_paused(_int_ids(ids), True), True)

    @action("resume", "Resume", "Resume the selected placements?")
    def action_resume(self, ids) -> None:
        self._flash_paused(self.set_paused(_int_ids(ids), False), False)

    @expose("/<int:placement_id>/pause", methods=("POST",))
    def pause(self, placement_id: int):
        return self._toggle(placement_id, True)

    @expose("/<int:placement_id>/resume", methods=("POST",))
    def resume(self, placement_id: int):
        return self._toggle(placement_id, False)

    def _toggle(self, placement_id: int, paused: bool):
        if db.session.get(Placement, placement_id) is None:
            abort(404)
        self._flash_paused(self.set_paused([placement_id], paused), paused)
        return redirect(url_for(".details_view", id=placement_id))


def to_cents(dollars: Decimal) -> int:
    return int((dollars * 100).to_integral_value(rounding=ROUND_HALF_UP))


def _int_ids(ids) -> list[int]:
    return [int(value) for value in ids if str(value).isdigit()]
