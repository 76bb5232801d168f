"""The back office with CSRF protection switched on, as in production: every POST
(sign-in, a Flask-Admin form, an action, sign-out) needs the token; an expired one on a
create/edit form shows the form again with what was typed."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from core.extensions import db
from listings.models import Category, Placement
from tests import factories
from tests.admin.conftest import ADMIN_EMAIL, PASSWORD, csrf_token_in

pytestmark = pytest.mark.app_config(WTF_CSRF_ENABLED=True)


@pytest.fixture
def signed_in(app, operators):
    client = app.test_client()
    token = csrf_token_in(client.get("/admin/login").text)
    response = client.post("/admin/login", data={"email": ADMIN_EMAIL, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    return client


def test_sign_in_needs_the_token(client, operators):
    response = client.post("/admin/login", data={"email": ADMIN_EMAIL, "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/admin/").status_code == 302


def test_a_flask_admin_form_needs_the_token(app, signed_in):
    form_page = signed_in.get("/admin/category/new/")
    assert 'name="csrf_token"' in form_page.text
    data = {"name": "Aviation", "slug": "aviation", "description": "Flying things."}

    refused = signed_in.post("/admin/category/new/", data=data)
    assert refused.status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(Category).where(Category.slug == "aviation")) is None

    accepted = signed_in.post("/admin/category/new/", data={**data, "csrf_token": csrf_token_in(form_page.text)})
    assert accepted.status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(Category.name).where(Category.slug == "aviation")) == "Aviation"


def test_an_expired_token_shows_the_form_again_with_its_values(app, signed_in):
    response = signed_in.post(
        "/admin/category/new/",
        data={"name": "Aviation", "slug": "aviation", "description": "Flying things.", "csrf_token": "stale"},
    )
    assert response.status_code == 400
    assert "The form had expired" in response.text
    assert 'value="Aviation"' in response.text and "Flying things." in response.text
    assert 'name="csrf_token"' in response.text  # a fresh one, ready to send again
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Category.id))) == 0


def test_actions_and_sign_out_need_the_token(app, signed_in):
    with app.app_context():
        placement_id = factories.placement(factories.school(), factories.category()).id
        db.session.commit()
    assert signed_in.post(f"/admin/placement/{placement_id}/pause").status_code == 400
    assert (
        signed_in.post("/admin/placement/action/", data={"action": "pause", "rowid": placement_id}).status_code == 400
    )
    with app.app_context():
        assert db.session.get(Placement, placement_id).paused is False

    page = signed_in.get(f"/admin/placement/details/?id={placement_id}")
    token = csrf_token_in(page.text)
    assert signed_in.post(f"/admin/placement/{placement_id}/pause", data={"csrf_token": token}).status_code == 302
    with app.app_context():
        assert db.session.get(Placement, placement_id).paused is True

    assert signed_in.post("/admin/logout").status_code == 400
    assert signed_in.get("/admin/").status_code == 200
    assert signed_in.post("/admin/logout", data={"csrf_token": token}).status_code == 302
    assert signed_in.get("/admin/").status_code == 302
