"""Sign-in throttling, kept in the database: 10 failures for an account from an IP lock
that pair for 15 minutes (the right password too); 50 failures from an IP lock the IP;
checked before any hash is computed."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from admin import passwords
from admin.models import LoginAttempt
from admin.throttle import ACCOUNT_LIMIT, IP_LIMIT, current_lock
from core.extensions import db
from core.models import utcnow
from tests.admin.conftest import ADMIN_EMAIL, EDITOR_EMAIL, PASSWORD, sign_in

HOME = {"environ_base": {"REMOTE_ADDR": "203.0.113.7"}}
ELSEWHERE = {"environ_base": {"REMOTE_ADDR": "198.51.100.23"}}


def fail(client, email=ADMIN_EMAIL, times=1, **environ):
    for _ in range(times):
        response = sign_in(client, email, "not the password", **(environ or HOME))
        assert response.status_code == 401


def shift_attempts(app, by: timedelta) -> None:
    with app.app_context():
        for attempt in db.session.scalars(sa.select(LoginAttempt)):
            attempt.at -= by
        db.session.commit()


@pytest.fixture
def spy_hashing(monkeypatch):
    """Counts every argon2 computation made while signing in."""
    calls = []
    real_verify, real_hash = passwords.verify_password, passwords.hash_password
    monkeypatch.setattr(passwords, "verify_password", lambda *a: calls.append("verify") or real_verify(*a))
    monkeypatch.setattr(passwords, "hash_password", lambda *a: calls.append("hash") or real_hash(*a))
    return calls


def test_ten_failures_lock_the_account_from_that_ip_even_with_the_right_password(app, client, operators):
    fail(client, times=ACCOUNT_LIMIT)
    response = sign_in(client, ADMIN_EMAIL, PASSWORD, **HOME)
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.text and "15 more minutes" in response.text
    assert client.get("/admin/").status_code == 302


def test_nine_failures_do_not(client, operators):
    fail(client, times=ACCOUNT_LIMIT - 1)
    assert sign_in(client, ADMIN_EMAIL, PASSWORD, **HOME).status_code == 302


def test_a_throttled_attempt_computes_no_hash_and_is_not_counted(app, client, operators, spy_hashing):
    fail(client, times=ACCOUNT_LIMIT)
    spy_hashing.clear()
    with app.app_context():
        before = db.session.scalar(sa.select(sa.func.count(LoginAttempt.id)))
    for password in (PASSWORD, "another guess here"):
        assert sign_in(client, ADMIN_EMAIL, password, **HOME).status_code == 429
    assert spy_hashing == []
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(LoginAttempt.id))) == before


def test_another_ip_and_another_account_are_unaffected(client, app, operators):
    fail(client, times=ACCOUNT_LIMIT)
    assert sign_in(app.test_client(), ADMIN_EMAIL, PASSWORD, **ELSEWHERE).status_code == 302
    assert sign_in(app.test_client(), EDITOR_EMAIL, PASSWORD, **HOME).status_code == 302


def test_the_lock_lasts_fifteen_minutes(app, client, operators):
    fail(client, times=ACCOUNT_LIMIT)
    shift_attempts(app, timedelta(minutes=14))
    assert sign_in(client, ADMIN_EMAIL, PASSWORD, **HOME).status_code == 429
    shift_attempts(app, timedelta(minutes=1, seconds=5))
    assert sign_in(client, ADMIN_EMAIL, PASSWORD, **HOME).status_code == 302


def test_failures_spread_over_more_than_fifteen_minutes_do_not_lock(app, client, operators):
    fail(client, times=5)
    shift_attempts(app, timedelta(minutes=16))
    fail(client, times=5)
    assert sign_in(client, ADMIN_EMAIL, PASSWORD, **HOME).status_code == 302


def test_a_success_clears_the_count(client, operators):
    fail(client, times=ACCOUNT_LIMIT - 1)
    assert sign_in(client, ADMIN_EMAIL, PASSWORD, **HOME).status_code == 302
    client.post("/admin/logout")
    fail(client, times=2)
    assert sign_in(client, ADMIN_EMAIL, PASSWORD, **HOME).status_code == 302


def test_unknown_accounts_are_throttled_the_same(client, operators, spy_hashing):
    fail(client, email="nobody@prospectus.test", times=ACCOUNT_LIMIT)
    spy_hashing.clear()
    response = sign_in(client, "nobody@prospectus.test", PASSWORD, **HOME)
    assert response.status_code == 429 and spy_hashing == []


def test_fifty_failures_from_one_ip_lock_it_for_every_account(app, client, operators, spy_hashing):
    # Recorded straight in the table (50 argon2 checks would only slow the test down).
    with app.app_context():
        now = utcnow()
        db.session.add_all(
            LoginAttempt(
                email=f"guess{n}@prospectus.test", ip="203.0.113.7", succeeded=False, at=now - timedelta(seconds=n)
            )
            for n in range(IP_LIMIT)
        )
        db.session.commit()
        assert current_lock(ADMIN_EMAIL, "203.0.113.7") is not None
        assert current_lock(ADMIN_EMAIL, "198.51.100.23") is None
    spy_hashing.clear()
    assert sign_in(client, ADMIN_EMAIL, PASSWORD, **HOME).status_code == 429
    assert spy_hashing == []
    assert sign_in(app.test_client(), ADMIN_EMAIL, PASSWORD, **ELSEWHERE).status_code == 302


def test_forty_nine_failures_from_one_ip_do_not(app, operators):
    with app.app_context():
        now = utcnow()
        db.session.add_all(
            LoginAttempt(
                email=f"guess{n}@prospectus.test", ip="203.0.113.7", succeeded=False, at=now - timedelta(seconds=n)
            )
            for n in range(IP_LIMIT - 1)
        )
        db.session.commit()
        assert current_lock(ADMIN_EMAIL, "203.0.113.7") is None


@pytest.mark.app_config(RATELIMIT_ENABLED=True)
def test_sign_in_posts_are_also_rate_limited_per_ip(client):
    statuses = [client.post("/admin/login", data={}, **HOME).status_code for _ in range(31)]
    assert statuses[:30] == [400] * 30 and statuses[30] == 429
    assert client.get("/admin/login", **HOME).status_code == 200  # the page itself stays open
