"""Back-office fixtures: operators (one argon2 hash per run), a signed-in client per
role, and leads with their consent, deliveries and dispatches."""

from __future__ import annotations

import re

import pytest

from admin.models import Operator
from admin.passwords import hash_password
from core.extensions import db

PASSWORD = "correct horse battery staple"
ADMIN_EMAIL = "ada@prospectus.test"
EDITOR_EMAIL = "eddie@prospectus.test"


@pytest.fixture(scope="session")
def password_hash() -> str:
    return hash_password(PASSWORD)


def add_operator(email: str, role: str, password_hash: str, active: bool = True) -> int:
    operator = Operator(email=email, role=role, password_hash=password_hash, active=active)
    db.session.add(operator)
    db.session.commit()
    return operator.id


@pytest.fixture
def operators(app, password_hash) -> dict[str, int]:
    with app.app_context():
        return {
            "admin": add_operator(ADMIN_EMAIL, "admin", password_hash),
            "editor": add_operator(EDITOR_EMAIL, "editor", password_hash),
        }


def sign_in(client, email: str, password: str = PASSWORD, **environ):
    return client.post("/admin/login", data={"email": email, "password": password}, **environ)


@pytest.fixture
def admin_client(app, operators):
    client = app.test_client()
    response = sign_in(client, ADMIN_EMAIL)
    assert response.status_code == 302, response.text
    return client


@pytest.fixture
def editor_client(app, operators):
    client = app.test_client()
    response = sign_in(client, EDITOR_EMAIL)
    assert response.status_code == 302, response.text
    return client


def csrf_token_in(html: str) -> str:
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    assert match, "no csrf_token in the page"
    return match.group(1)
