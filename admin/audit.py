"""The audit trail: who changed what, when, from what to what.

`record_audit` adds the event to the current session without committing, so an
event lands in the same transaction as the change it describes (or, after a service
that commits itself, in the commit that follows)."""

from __future__ import annotations

import enum
import hashlib
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_login import current_user

from admin.models import AuditEvent
from core.extensions import db

# Columns never written to the trail in clear: secrets become a short fingerprint (so a
# rotation still shows as a change), personal data a placeholder (an erasure must not
# leave a copy behind in the trail).
SECRET_COLUMNS = frozenset({"password_hash", "webhook_secret"})
PERSONAL_COLUMNS = frozenset(
    {"first_name", "last_name", "email", "phone", "zip_code", "ip", "user_agent", "email_hash", "phone_hash"}
)
PERSONAL_TABLES = frozenset({"lead", "consent_record"})
MASKED_PERSONAL = "[personal data]"


def mask_secret(value: str | None) -> str | None:
    if value is None:
        return None
    return "[secret sha256:%s…]" % hashlib.sha256(value.encode()).hexdigest()[:8]


def json_safe(value: Any) -> Any:
    """A value the JSON column can hold, read back the same way on every backend."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, enum.Enum):
        return json_safe(value.value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [json_safe(item) for item in value]
    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    return str(value)


def snapshot(obj: Any) -> dict[str, Any]:
    """The column values of a mapped object as a JSON-safe dict, secrets and personal
    data masked. Reads columns only, so it never triggers a relationship load."""
    mapper = sa.inspect(obj).mapper
    table = mapper.local_table.name
    values: dict[str, Any] = {}
    for attr in mapper.column_attrs:
        value = getattr(obj, attr.key)
        if attr.key in SECRET_COLUMNS:
            value = mask_secret(value)
        elif table in PERSONAL_TABLES and attr.key in PERSONAL_COLUMNS and value is not None:
            value = MASKED_PERSONAL
        values[attr.key] = json_safe(value)
    return values


def changed_only(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The keys whose value differs, from each side (an edit's trail stays readable)."""
    keys = [key for key in {**before, **after} if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after.get(key) for key in keys}


def record_audit(
    action: str,
    entity: str,
    entity_id: Any,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event by the signed-in operator to the session (the caller commits)."""
    operator_id = current_user.get_id() if current_user and current_user.is_authenticated else None
    event = AuditEvent(
        operator_id=int(operator_id) if operator_id is not None else None,
        action=action[:40],
        entity=entity[:40],
        entity_id=None if entity_id is None else str(entity_id)[:40],
        before=json_safe(before) if before is not None else None,
        after=json_safe(after) if after is not None else None,
    )
    db.session.add(event)
    return event
