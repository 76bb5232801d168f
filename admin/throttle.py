"""Sign-in throttling kept in the database, so it holds across processes and hosts.

Two rules, both checked before any password hash is computed:
- 10 failures for one account from one IP within 15 minutes lock that account from
  that IP for 15 minutes after the 10th failure — a correct password included;
- 50 failures from one IP within 15 minutes, whatever the accounts, lock that IP.
Refused attempts are not recorded, so an attacker cannot stretch a lock forever, and a
success clears the account's count from that IP."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from admin.models import LoginAttempt
from core.extensions import db
from core.models import utcnow

WINDOW = timedelta(minutes=15)
LOCK = timedelta(minutes=15)
ACCOUNT_LIMIT = 10
IP_LIMIT = 50


@dataclass(frozen=True)
class Lock:
    until: datetime

    def message(self, now: datetime) -> str:
        minutes = max(1, math.ceil((self.until - now).total_seconds() / 60))
        return (
            "Too many failed sign-ins from your network. For your security, sign-in is paused "
            f"here for {minutes} more minute{'s' if minutes != 1 else ''}; please try again later."
        )


def _lock_after(conditions: list, limit: int, now: datetime) -> Lock | None:
    """A lock if the latest recent failure matching `conditions` was the `limit`-th in
    its 15-minute window (failures before the last success do not count)."""
    failure = sa.and_(*conditions, LoginAttempt.succeeded.is_(False))
    last_failure = db.session.scalar(
        sa.select(sa.func.max(LoginAttempt.at)).where(failure, LoginAttempt.at > now - LOCK)
    )
    if last_failure is None:
        return None
    last_success = db.session.scalar(
        sa.select(sa.func.max(LoginAttempt.at)).where(*conditions, LoginAttempt.succeeded.is_(True))
    )
    since = last_failure - WINDOW
    if last_success is not None and last_success > since:
        since = last_success
    count = db.session.scalar(
        sa.select(sa.func.count()).where(failure, LoginAttempt.at >= since, LoginAttempt.at <= last_failure)
    )
    if count >= limit:
        return Lock(until=last_failure + LOCK)
    return None


def current_lock(email: str, ip: str, now: datetime | None = None) -> Lock | None:
    """The lock that refuses a sign-in as `email` from `ip` now, if any."""
    now = now or utcnow()
    account_lock = _lock_after([LoginAttempt.email == email, LoginAttempt.ip == ip], ACCOUNT_LIMIT, now)
    if account_lock is not None:
        return account_lock
    # The per-IP rule ignores successes: one good account must not unlock guessing at others.
    last_failures = (
        sa.select(LoginAttempt.at)
        .where(LoginAttempt.ip == ip, LoginAttempt.succeeded.is_(False), LoginAttempt.at > now - WINDOW - LOCK)
        .order_by(LoginAttempt.at.desc())
        .limit(IP_LIMIT)
    )
    times = db.session.scalars(last_failures).all()
    if len(times) >= IP_LIMIT and times[0] - times[-1] <= WINDOW and times[0] + LOCK > now:
        return Lock(until=times[0] + LOCK)
    return None


def record_attempt(email: str, ip: str, succeeded: bool) -> None:
    """Note an attempt that was checked against a hash (the caller commits)."""
    db.session.add(LoginAttempt(email=email[:254], ip=ip[:45], succeeded=succeeded, at=utcnow()))


def purge_attempts(older_than: timedelta = timedelta(days=7)) -> int:
    """Delete attempts no rule can look at any more; returns how many (for housekeeping)."""
    result = db.session.execute(sa.delete(LoginAttempt).where(LoginAttempt.at < utcnow() - older_than))
    db.session.commit()
    return result.rowcount or 0
