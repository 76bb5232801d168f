"""Operator sign-in and sign-out.

`authenticate` is the rule (throttle first, then one argon2 check whatever the account,
then one generic answer); `SignInViews` holds the two pages, mixed into the back
office's index view so they live at /admin/login and /admin/logout under Flask-Admin's
own "admin" endpoint."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import sqlalchemy as sa
from flask import flash, redirect, request, session, url_for
from flask_admin import expose
from flask_login import current_user, login_user, logout_user

from admin import passwords
from admin.access import safe_next
from admin.audit import record_audit
from admin.forms import LoginForm
from admin.models import Operator
from admin.throttle import current_lock, record_attempt
from core.extensions import db, limiter
from core.models import utcnow

log = logging.getLogger(__name__)

GENERIC_FAILURE = "That e-mail and password do not match an active account."
# Beside the database throttle: a cheap cap on sign-in POSTs per IP, whatever they hold.
LOGIN_RATE_LIMIT = "30/minute"


@dataclass(frozen=True)
class SignIn:
    operator: Operator | None
    error: str | None = None
    throttled: bool = False


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def authenticate(email: str, password: str, ip: str) -> SignIn:
    """Check a sign-in. Throttled attempts are refused before any hash is computed; an
    unknown or inactive account costs one argon2 check like a real one."""
    email = normalise_email(email)
    now = utcnow()
    lock = current_lock(email, ip, now)
    if lock is not None:
        log.warning("sign-in refused by the throttle")
        return SignIn(None, lock.message(now), throttled=True)

    operator = db.session.scalar(sa.select(Operator).where(Operator.email == email))
    if operator is None:
        passwords.verify_password(passwords.dummy_hash(), password)
        matched = False
    else:
        matched = passwords.verify_password(operator.password_hash, password) and operator.active
    record_attempt(email, ip, succeeded=matched)
    if not matched:
        db.session.commit()
        return SignIn(None, GENERIC_FAILURE)

    if passwords.needs_rehash(operator.password_hash):
        operator.password_hash = passwords.hash_password(password)
    operator.last_login_at = now
    db.session.commit()
    return SignIn(operator)


def client_ip() -> str:
    # ProxyFix (TRUSTED_PROXIES) has already put the client's address here.
    return request.remote_addr or "unknown"


class SignInViews:
    """The sign-in page and the sign-out action (mixed into the index view)."""

    @expose("/login", methods=("GET", "POST"))
    @limiter.limit(LOGIN_RATE_LIMIT, methods=["POST"])
    def login(self):
        target = safe_next(request.values.get("next"))
        if current_user.is_authenticated:
            return redirect(target or url_for("admin.index"))
        form = LoginForm()
        if request.method == "GET":
            form.next.data = target or ""
        error, status = None, 200
        if form.validate_on_submit():
            result = authenticate(form.email.data, form.password.data, client_ip())
            if result.operator is not None:
                flashes = session.get("_flashes")
                session.clear()  # a fresh session for the signed-in operator
                if flashes:
                    session["_flashes"] = flashes
                login_user(result.operator)
                record_audit("login", "operator", result.operator.id)
                db.session.commit()
                return redirect(target or url_for("admin.index"))
            error = result.error
            status = 429 if result.throttled else 401
        elif form.is_submitted():
            status = 400
        form.password.data = ""
        return self.render("admin/login.html", form=form, error=error), status

    @expose("/logout", methods=("POST",))
    def logout(self):
        record_audit("logout", "operator", current_user.get_id())
        db.session.commit()
        logout_user()
        session.clear()
        flash("You are signed out.", "info")
        return redirect(url_for("admin.login"))
