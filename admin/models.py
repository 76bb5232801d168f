"""Operators, their login attempts (throttling that holds across processes) and the audit trail."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models import utcnow


class Role(enum.StrEnum):
    ADMIN = "admin"  # everything
    EDITOR = "editor"  # categories and articles


class Operator(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(20), default=Role.EDITOR.value)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive operators
        return self.active

    def __repr__(self) -> str:
        return f"<Operator {self.id} {self.role}>"


class LoginAttempt(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    ip: Mapped[str] = mapped_column(sa.String(45))
    succeeded: Mapped[bool] = mapped_column(default=False)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        sa.Index("ix_login_attempt_email_ip_at", "email", "ip", "at"),
        sa.Index("ix_login_attempt_ip_at", "ip", "at"),
    )


class AuditEvent(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    operator_id: Mapped[int | None] = mapped_column(sa.ForeignKey("operator.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(sa.String(40), index=True)
    entity: Mapped[str] = mapped_column(sa.String(40), index=True)
    entity_id: Mapped[str | None] = mapped_column(sa.String(40))
    before: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    operator: Mapped[Operator | None] = relationship(lazy="raise")
