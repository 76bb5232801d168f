"""The e-mails a dispatch sends, each with a text and an HTML part from templates/emails/."""

from __future__ import annotations

from flask import current_app, render_template

from core.urls import external_url
from leads.mailer import Message, message_id
from leads.models import Dispatch, DispatchKind
from leads.receipts import receipt_token
from leads.vocabularies import EDUCATION_LEVELS, MILITARY_AFFILIATIONS, START_TIMEFRAMES, label_of


def receipt_url(lead) -> str:
    return external_url("leads.receipt", token=receipt_token(lead))


def lead_fields(lead) -> list[tuple[str, str]]:
    """Every field a school receives, labelled, in reading order."""
    return [
        ("Lead ID", lead.public_id),
        ("Submitted", lead.created_at.strftime("%Y-%m-%d %H:%M UTC")),
        ("First name", lead.first_name or ""),
        ("Last name", lead.last_name or ""),
        ("E-mail", lead.email or ""),
        ("Phone", lead.phone or ""),
        ("ZIP code", lead.zip_code or ""),
        ("Highest education", label_of(EDUCATION_LEVELS, lead.education_level)),
        ("High school graduation year", str(lead.graduation_year or "")),
        ("Start", label_of(START_TIMEFRAMES, lead.start_timeframe)),
        ("Military affiliation", label_of(MILITARY_AFFILIATIONS, lead.military_affiliation)),
    ]


def _message(dispatch: Dispatch, subject: str, recipients: list[str], template: str, **context) -> Message:
    context.update(dispatch=dispatch, lead=dispatch.lead, site_url=current_app.config["SITE_URL"])
    message = Message(
        subject=subject,
        recipients=recipients,
        body=render_template(f"emails/{template}.txt", **context),
        html=render_template(f"emails/{template}.html", **context),
        reply_to=context.get("reply_to"),
    )
    message.msgId = message_id(dispatch.idempotency_key)
    message.extra_headers = {"X-Prospectus-Dispatch": dispatch.idempotency_key}
    return message


def school_lead_email(dispatch: Dispatch) -> Message:
    delivery = dispatch.delivery
    lead = dispatch.lead
    return _message(
        dispatch,
        f"New request for information: {delivery.program.name if delivery.program else delivery.school.name}",
        delivery.school.recipient_list,
        "school_lead",
        delivery=delivery,
        fields=lead_fields(lead),
        consent=lead.consent,
        reply_to=lead.email,
    )


def reader_receipt_email(dispatch: Dispatch) -> Message:
    lead = dispatch.lead
    return _message(
        dispatch,
        "Your request for school information",
        [lead.email],
        "reader_receipt",
        deliveries=lead.deliveries,
        receipt_link=receipt_url(lead),
    )


def withdrawal_notice_email(dispatch: Dispatch) -> Message:
    delivery = dispatch.delivery
    return _message(
        dispatch,
        f"Consent withdrawn: lead {dispatch.lead.public_id}",
        delivery.school.recipient_list,
        "withdrawal_notice",
        delivery=delivery,
    )


COMPOSERS = {
    DispatchKind.SCHOOL_EMAIL: school_lead_email,
    DispatchKind.READER_RECEIPT: reader_receipt_email,
    DispatchKind.WITHDRAWAL_NOTICE: withdrawal_notice_email,
}
