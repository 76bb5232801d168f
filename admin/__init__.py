"""Operator back office, all under /admin/."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask


def init_admin(app: Flask) -> None:
    """Register the back office on `app`."""
    from admin.models import Operator
    from core.extensions import db, login_manager

    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_operator(operator_id: str) -> Operator | None:
        if not operator_id.isdigit():
            return None
        return db.session.scalar(sa.select(Operator).where(Operator.id == int(operator_id), Operator.active.is_(True)))
