"""Schools (lead recipients, webhook, its secret, a test send), campuses and programs."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass

from flask import abort, make_response
from flask_admin import expose
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from admin.audit import mask_secret, record_audit
from admin.validators import check_optional_email, check_recipients, check_slug, check_webhook_url, check_zip_known
from admin.views.base import AdminModelView
from core.extensions import db
from leads.mailer import send_test_email
from leads.webhooks import send_test_webhook
from listings.models import Campus, Control, DeliveryMode, Level, Program, School, ZipCode

log = logging.getLogger(__name__)


def new_webhook_secret() -> str:
    return secrets.token_urlsafe(32)


def _secret_state(view, context, model, name) -> str:
    return "set" if model.webhook_secret else "not set"


class SchoolView(AdminModelView):
    column_list = ("id", "name", "slug", "control", "active", "webhook_url", "updated_at")
    column_searchable_list = ("name", "slug")
    column_sortable_list = ("id", "name", "slug", "control", "active", "updated_at")
    column_filters = ("active", "control")
    column_default_sort = "name"
    column_details_list = (
        "id",
        "name",
        "slug",
        "website",
        "control",
        "accreditor",
        "active",
        "description",
        "lead_recipients",
        "billing_email",
        "webhook_url",
        "webhook_secret",
        "created_at",
        "updated_at",
    )
    column_formatters_detail = {"webhook_secret": _secret_state}
    column_export_list = (
        "id",
        "name",
        "slug",
        "website",
        "control",
        "accreditor",
        "active",
        "lead_recipients",
        "billing_email",
        "webhook_url",
    )
    column_labels = {"webhook_secret": "Webhook secret", "lead_recipients": "Lead recipients"}
    form_columns = (
        "name",
        "slug",
        "website",
        "control",
        "accreditor",
        "description",
        "active",
        "lead_recipients",
        "billing_email",
        "webhook_url",
    )
    form_overrides = {"control": SelectField}
    form_args = {
        "slug": {"validators": [check_slug]},
        "control": {"choices": [SelectChoice(control.value, control.value) for control in Control]},
        "lead_recipients": {
            "validators": [check_recipients],
            "description": "One address per line; each lead goes in one e-mail to all of them.",
        },
        "billing_email": {"validators": [check_optional_email]},
        "webhook_url": {
            "validators": [check_webhook_url],
            "description": "Optional: the school's CRM endpoint for a signed POST of each lead.",
        },
    }
    form_widget_args = {"lead_recipients": {"rows": 3}}
    details_template = "admin/school_details.html"

    def __init__(self) -> None:
        super().__init__(School, endpoint="school", name="Schools")

    def _school_or_404(self, school_id: int) -> School:
        school = db.session.get(School, school_id)
        if school is None:
            abort(404)
        return school

    @expose("/<int:school_id>/rotate-secret", methods=("POST",))
    def rotate_secret(self, school_id: int):
        """Generate a new webhook secret and show it this once (never flashed: the flash
        would sit in the session cookie)."""
        school = self._school_or_404(school_id)
        before = {"webhook_secret": mask_secret(school.webhook_secret)}
        school.webhook_secret = new_webhook_secret()
        record_audit(
            "rotate_secret",
            "school",
            school.id,
            before=before,
            after={"webhook_secret": mask_secret(school.webhook_secret)},
        )
        db.session.commit()
        response = make_response(self.render("admin/school_secret.html", school=school, secret=school.webhook_secret))
        response.headers["Cache-Control"] = "no-store"
        return response

    @expose("/<int:school_id>/test-send", methods=("POST",))
    def test_send(self, school_id: int):
        """Send a clearly marked test lead by every channel the school has, and show what
        came back."""
        school = self._school_or_404(school_id)
        results = send_test_lead(school)
        record_audit(
            "test_send",
            "school",
            school.id,
            after={result.channel: ("ok" if result.ok else "failed") for result in results},
        )
        db.session.commit()
        return self.render("admin/school_test_send.html", school=school, results=results)


@dataclass(frozen=True)
class TestSendResult:
    channel: str
    ok: bool
    detail: str


def _outcome(channel: str, send, school: School) -> TestSendResult:
    """Run one of the engine's test sends, which answer (ok, what happened)."""
    try:
        ok, detail = send(school)
    except Exception as error:  # the engine's own failure is the answer to show
        log.warning("test %s to school %s failed: %s", channel, school.id, type(error).__name__)
        return TestSendResult(channel, False, f"The test could not be sent ({type(error).__name__}).")
    return TestSendResult(channel, bool(ok), str(detail or ("Sent." if ok else "Not sent.")))


def send_test_lead(school: School) -> list[TestSendResult]:
    """The delivery engine sends (leads.mailer.send_test_email, leads.webhooks.send_test_webhook,
    each `(school) -> (ok, detail)`); the back office only asks and shows the answer."""
    results = []
    if school.recipient_list:
        results.append(_outcome("email", send_test_email, school))
    if school.webhook_url:
        results.append(_outcome("webhook", send_test_webhook, school))
    if not results:
        results.append(TestSendResult("none", False, "This school has no lead recipients and no webhook."))
    return results


class CampusView(AdminModelView):
    column_list = ("id", "school.name", "name", "city", "state", "zip_code")
    column_select_related_list = (Campus.school,)
    column_labels = {"school.name": "School", "zip_code": "ZIP"}
    column_searchable_list = ("name", "city", "zip_code", "school.name")
    column_sortable_list = ("id", ("school.name", "school.name"), "name", "city", "state", "zip_code")
    column_filters = ("state", "school.name")
    column_default_sort = "name"
    column_details_list = ("id", "school.name", "name", "city", "state", "zip_code", "latitude", "longitude")
    column_export_list = column_details_list
    form_columns = ("school", "name", "zip_code")
    form_args = {
        "school": {"get_label": "name"},
        "zip_code": {
            "label": "ZIP code",
            "validators": [check_zip_known],
            "description": "City, state and coordinates are filled in from the ZIP code.",
        },
    }

    def __init__(self) -> None:
        super().__init__(Campus, endpoint="campus", name="Campuses")

    def on_model_change(self, form, model: Campus, is_created: bool) -> None:
        with db.session.no_autoflush:  # the new campus has no coordinates yet
            place = db.session.get(ZipCode, model.zip_code)
        if place is None:  # the form checked it; a race with a ZIP table reload is all that is left
            raise ValidationError("Unknown ZIP code.")
        model.city, model.state = place.city, place.state
        model.latitude, model.longitude = place.latitude, place.longitude


class ProgramView(AdminModelView):
    column_list = (
        "id",
        "name",
        "school.name",
        "category.name",
        "campus.name",
        "level",
        "delivery",
        "active",
        "tuition_usd",
        "listing_position",
    )
    column_select_related_list = (Program.school, Program.category, Program.campus)
    column_labels = {
        "school.name": "School",
        "category.name": "Category",
        "campus.name": "Campus",
        "tuition_usd": "Tuition (USD/yr)",
        "length_months": "Length (months)",
        "listing_position": "Position",
    }
    column_searchable_list = ("name", "school.name")
    column_sortable_list = (
        "id",
        "name",
        ("school.name", "school.name"),
        ("category.name", "category.name"),
        "level",
        "delivery",
        "active",
        "tuition_usd",
        "listing_position",
    )
    column_filters = ("school.name", "category.name", "level", "delivery", "active")
    column_default_sort = "name"
    column_export_list = (
        "id",
        "name",
        "school.name",
        "category.name",
        "campus.name",
        "level",
        "delivery",
        "active",
        "tuition_usd",
        "length_months",
    )
    form_columns = (
        "school",
        "category",
        "campus",
        "name",
        "level",
        "delivery",
        "active",
        "tuition_usd",
        "length_months",
    )
    form_overrides = {"level": SelectField, "delivery": SelectField}
    form_args = {
        "school": {"get_label": "name"},
        "category": {"get_label": "name"},
        "campus": {
            "get_label": lambda campus: f"{campus.name} ({campus.city}, {campus.state})",
            "description": "Leave empty for an online program.",
        },
        "level": {"choices": [SelectChoice(level.value, level.label) for level in Level]},
        "delivery": {"choices": [SelectChoice(mode.value, mode.label) for mode in DeliveryMode]},
    }

    def __init__(self) -> None:
        super().__init__(Program, endpoint="program", name="Programs")

    def on_model_change(self, form, model: Program, is_created: bool) -> None:
        campus = form.campus.data
        if model.delivery == DeliveryMode.ONLINE.value and campus is not None:
            raise ValidationError("An online program has no campus: clear the campus or change the delivery.")
        if model.delivery != DeliveryMode.ONLINE.value and campus is None:
            raise ValidationError("Choose the campus where this program is taught.")
        if campus is not None and campus.school_id != form.school.data.id:
            raise ValidationError("That campus belongs to another school.")
        for field in ("tuition_usd", "length_months"):
            value = getattr(model, field)
            if value is not None and value < 0:
                raise ValidationError("%s cannot be negative." % self.column_labels[field])
