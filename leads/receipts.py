"""The reader's receipt: an unguessable link (the lead's public id signed with the app's
secret) to a page showing the request, its schools and their status."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy.orm import joinedload, raiseload, selectinload

from core.extensions import db
from leads.models import Delivery, Lead
from listings.models import Program


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="lead-receipt")


def receipt_token(lead: Lead) -> str:
    return _serializer().dumps(lead.public_id)


def lead_for_receipt(token: str) -> Lead | None:
    """The lead behind a receipt token, with its deliveries, schools and consent; None when
    the token is not one we issued."""
    try:
        public_id = _serializer().loads(token)
    except BadData:
        return None
    if not isinstance(public_id, str):
        return None
    return db.session.scalar(
        sa.select(Lead)
        .where(Lead.public_id == public_id)
        .options(
            joinedload(Lead.consent),
            selectinload(Lead.deliveries).options(
                joinedload(Delivery.school).raiseload("*"),
                joinedload(Delivery.program).joinedload(Program.campus).raiseload("*"),
                raiseload("*"),
            ),
            raiseload("*"),
        )
    )
