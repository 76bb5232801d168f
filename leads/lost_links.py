"""A reader who lost their receipt link asks for it again by e-mail address. The answer is
the same whether or not we know the address, so the page cannot tell who asked us."""

from __future__ import annotations

import sqlalchemy as sa
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import ValidationError

from core.extensions import db
from leads.handoff import hand_off
from leads.identity import email_hash
from leads.models import Dispatch, DispatchKind, Lead, LeadStatus
from leads.validation import clean_email

MAX_RECEIPTS = 10


class ReceiptLinksForm(FlaskForm):
    email = StringField("Your e-mail address", render_kw={"type": "email", "autocomplete": "email", "maxlength": 254})

    def validate_email(self, field) -> None:
        try:
            field.data = clean_email(field.data)
        except ValueError as error:
            raise ValidationError(str(error)) from None


def send_receipt_links(email: str) -> int:
    """Queue a receipt e-mail for each of the address's active requests (the newest ten)."""
    lead_ids = db.session.scalars(
        sa.select(Lead.id)
        .where(Lead.email_hash == email_hash(email), Lead.status == LeadStatus.ACTIVE)
        .order_by(Lead.created_at.desc())
        .limit(MAX_RECEIPTS)
    ).all()
    dispatches = [Dispatch(kind=DispatchKind.READER_RECEIPT, lead_id=lead_id) for lead_id in lead_ids]
    db.session.add_all(dispatches)
    db.session.commit()
    hand_off([d.id for d in dispatches])
    return len(dispatches)
