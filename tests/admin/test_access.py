"""Sign-in, sign-out, the next= rule, roles, session protection, and the walk over every
/admin URL proving that none is open and that an editor is kept to their desk."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa
from flask import url_for
from werkzeug.routing import IntegerConverter

from admin.access import safe_next
from admin.models import AuditEvent, Operator
from core.extensions import db
from tests.admin.conftest import ADMIN_EMAIL, PASSWORD, add_operator, sign_in

GENERIC = "That e-mail and password do not match an active account."


def test_login_page_and_successful_sign_in(app, client, operators):
    page = client.get("/admin/login")
    assert page.status_code == 200
    assert 'name="email"' in page.text and 'name="password"' in page.text

    response = sign_in(client, "  ADA@prospectus.test ")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    with app.app_context():
        operator = db.session.get(Operator, operators["admin"])
        assert operator.last_login_at is not None
        assert db.session.scalar(sa.select(AuditEvent.action).where(AuditEvent.operator_id == operator.id)) == "login"


@pytest.mark.parametrize("email,password", [(ADMIN_EMAIL, "wrong password here"), ("nobody@prospectus.test", PASSWORD)])
def test_failed_sign_in_says_the_same_whatever_went_wrong(client, operators, email, password):
    response = sign_in(client, email, password)
    assert response.status_code == 401
    assert GENERIC in response.text
    assert client.get("/admin/").status_code == 302


def test_an_inactive_operator_cannot_sign_in(app, client, password_hash):
    with app.app_context():
        add_operator("gone@prospectus.test", "admin", password_hash, active=False)
    response = sign_in(client, "gone@prospectus.test")
    assert response.status_code == 401 and GENERIC in response.text


def test_an_unknown_account_costs_one_hash_check_like_a_real_one(client, operators, monkeypatch):
    from admin import passwords

    checked = []
    real_verify = passwords.verify_password
    monkeypatch.setattr(passwords, "verify_password", lambda h, p: checked.append(h) or real_verify(h, p))
    sign_in(client, "nobody@prospectus.test")
    assert checked == [passwords.dummy_hash()]


def test_an_empty_form_is_a_clear_400(client):
    response = client.post("/admin/login", data={})
    assert response.status_code == 400
    assert "This field is required." in response.text


def test_anonymous_pages_redirect_to_sign_in_and_come_back(client, operators):
    response = client.get("/admin/lead/?search=hopper")
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/admin/login"
    assert parse_qs(location.query)["next"] == ["/admin/lead/?search=hopper"]

    back = client.post(
        "/admin/login?next=%2Fadmin%2Flead%2F%3Fsearch%3Dhopper", data={"email": ADMIN_EMAIL, "password": PASSWORD}
    )
    assert back.headers["Location"] == "/admin/lead/?search=hopper"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/admin/",
        "//evil.example/admin/",
        "/careers/",
        "/admin/../careers/",
        "/\\evil.example",
        "javascript:alert(1)",
        "/administrator",
        "",
    ],
)
def test_next_must_be_a_local_back_office_path(client, operators, target):
    assert safe_next(target) is None
    response = client.post("/admin/login", data={"email": ADMIN_EMAIL, "password": PASSWORD, "next": target})
    assert response.headers["Location"] == "/admin/"


def test_sign_out_is_a_post(app, admin_client, operators):
    assert admin_client.get("/admin/logout").status_code == 405
    assert admin_client.get("/admin/").status_code == 200

    response = admin_client.post("/admin/logout")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/login"
    assert admin_client.get("/admin/").status_code == 302
    with app.app_context():
        actions = db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["login", "logout"]


def test_strong_session_protection_drops_a_session_moved_to_another_browser(admin_client):
    assert admin_client.get("/admin/").status_code == 200
    response = admin_client.get("/admin/", headers={"User-Agent": "SomethingElse/1.0"})
    assert response.status_code == 302 and response.headers["Location"].startswith("/admin/login")


def test_pages_are_private_and_carry_a_nonce_policy(admin_client):
    response = admin_client.get("/admin/lead/")
    assert response.headers["Cache-Control"] == "no-store"
    policy = response.headers["Content-Security-Policy"]
    assert "'nonce-" in policy and "unsafe-inline" not in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.text


def test_reader_pages_keep_the_plain_policy(client):
    policy = client.get("/admin/login").headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "nonce" not in client.get("/healthz").headers["Content-Security-Policy"]


def test_editor_lands_on_articles_and_sees_only_their_menu(editor_client):
    response = editor_client.get("/admin/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/article/")
    page = editor_client.get("/admin/article/").text
    assert "Categories" in page and "Articles" in page
    assert "/admin/lead/" not in page and "/admin/placement/" not in page


def test_create_operator_refuses_short_passwords(runner):
    result = runner.invoke(args=["create-operator", "--email", "x@prospectus.test", "--password", "short"])
    assert result.exit_code != 0 and "at least 12 characters" in result.output


# The walk over the whole URL map ------------------------------------------------------

EDITOR_AREAS = ("category.", "article.")
OPEN_TO_EVERYONE = {"admin.login"}


def _admin_urls(app) -> list[tuple[str, str, str]]:
    """(endpoint, method, url) for every /admin rule but static files, placeholders filled."""
    found = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if not rule.rule.startswith("/admin") or rule.endpoint.split(".")[-1] == "static":
                continue
            values = {
                name: 1 if isinstance(rule._converters[name], IntegerConverter) else "csv" for name in rule.arguments
            }
            url = url_for(rule.endpoint, **values)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                found.append((rule.endpoint, method, url))
    # Sign-out last, so a walk as someone stays signed in to the end.
    return sorted(found, key=lambda item: item[0] == "admin.logout")


def test_the_walk_covers_the_back_office(app):
    endpoints = {endpoint for endpoint, _, _ in _admin_urls(app)}
    assert len(endpoints) > 80
    for expected in (
        "admin.index",
        "lead.page",
        "lead.redeliver",
        "lead.erase",
        "lead.export",
        "placement.pause",
        "school.rotate_secret",
        "school.test_send",
        "audit.index_view",
        "article.preview",
        "placement_report.index",
        "placement_report.export",
        "statement.index",
        "statement.export",
    ):
        assert expected in endpoints


def test_no_back_office_url_is_open_anonymously(app, client):
    for endpoint, method, url in _admin_urls(app):
        response = client.open(url, method=method)
        response.get_data()
        if endpoint in OPEN_TO_EVERYONE:
            assert response.status_code in (200, 400), (method, url)
            continue
        assert response.status_code == 302, (method, url, response.status_code)
        assert urlsplit(response.headers["Location"]).path == "/admin/login", (method, url)


def test_an_editor_gets_403_outside_categories_and_articles(app, editor_client):
    for endpoint, method, url in _admin_urls(app):
        response = editor_client.open(url, method=method)
        response.get_data()  # a streamed export holds its request context until read
        if endpoint.startswith(EDITOR_AREAS) or endpoint.startswith("admin."):
            assert response.status_code not in (401, 403, 500), (method, url, response.status_code)
        else:
            assert response.status_code == 403, (method, url, response.status_code)


def test_an_admin_reaches_every_url_without_a_server_error(app, admin_client):
    for _endpoint, method, url in _admin_urls(app):
        response = admin_client.open(url, method=method)
        response.get_data()
        assert response.status_code not in (401, 403, 500), (method, url, response.status_code)
