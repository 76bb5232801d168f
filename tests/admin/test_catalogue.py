"""Managing the catalogue: categories, articles, schools, campuses and programs, each
change in the audit trail."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from admin.models import AuditEvent
from admin.validators import webhook_url_problem
from core.extensions import db
from listings.models import Article, Campus, Category, Program, School
from tests import factories


def audit_events(app, **where) -> list[AuditEvent]:
    with app.app_context():
        statement = sa.select(AuditEvent).filter_by(**where).order_by(AuditEvent.id)
        return db.session.scalars(statement).all()


def test_an_editor_creates_edits_and_deletes_a_category_all_audited(app, editor_client, operators):
    created = editor_client.post("/admin/category/new/", data={"name": "Aviation", "slug": "aviation"})
    assert created.status_code == 302
    with app.app_context():
        category_id = db.session.scalar(sa.select(Category.id).where(Category.slug == "aviation"))

    edited = editor_client.post(
        f"/admin/category/edit/?id={category_id}",
        data={"name": "Aviation & aerospace", "slug": "aviation", "description": ""},
    )
    assert edited.status_code == 302
    assert editor_client.post("/admin/category/delete/", data={"id": category_id}).status_code == 302

    create, edit, delete = audit_events(app, entity="category")
    assert (create.action, create.entity_id, create.operator_id) == ("create", str(category_id), operators["editor"])
    assert create.after["name"] == "Aviation" and create.before is None
    assert edit.action == "edit"
    assert edit.before == {"name": "Aviation"} and edit.after == {"name": "Aviation & aerospace"}
    assert delete.action == "delete" and delete.before["slug"] == "aviation" and delete.after is None


def test_slugs_are_checked(editor_client):
    response = editor_client.post("/admin/category/new/", data={"name": "Bad", "slug": "Bad Slug!"})
    assert response.status_code == 200
    assert "Use lowercase letters, digits and single hyphens" in response.text


def test_a_duplicate_slug_is_a_form_error_not_a_500(app, editor_client):
    with app.app_context():
        factories.category(slug="taken")
        db.session.commit()
    response = editor_client.post("/admin/category/new/", data={"name": "Again", "slug": "taken"})
    assert response.status_code == 200
    assert "Already exists." in response.text


def test_article_body_is_sanitised_on_its_page_and_in_the_preview(app, editor_client):
    with app.app_context():
        category = factories.category()
        article = factories.article(category, body="## Pay\n\n<script>alert(1)</script> **well** paid")
        db.session.commit()
        article_id = article.id
    details = editor_client.get(f"/admin/article/details/?id={article_id}").text
    assert "<h2>Pay</h2>" in details and "<strong>well</strong>" in details
    assert "<script>alert(1)</script>" not in details

    preview = editor_client.post(
        "/admin/article/preview",
        data={
            "title": "<b>Title</b>",
            "summary": "Short.",
            "body": "## Heading\n\n<img src=x onerror=alert(1)>text",
        },
    )
    assert preview.status_code == 200
    assert "<h2>Heading</h2>" in preview.text and "onerror" not in preview.text
    assert "&lt;b&gt;Title&lt;/b&gt;" in preview.text
    assert 'formaction="/admin/article/preview"' in editor_client.get(f"/admin/article/edit/?id={article_id}").text


def test_an_article_is_published_or_a_draft_with_its_facts(app, editor_client):
    with app.app_context():
        category_id = factories.category().id
        db.session.commit()
    response = editor_client.post(
        "/admin/article/new/",
        data={
            "title": "How can I become a pilot?",
            "slug": "pilot",
            "category": category_id,
            "summary": "Fly.",
            "body": "## What pilots do",
            "median_pay_usd": "171210",
            "median_pay_year": "2024",
            "source_name": "BLS",
            "entry_education": "",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        article = db.session.scalar(sa.select(Article).where(Article.slug == "pilot"))
        assert article.published is False and article.median_pay_usd == 171210
        assert article.entry_education is None  # blank means "the source gives no single value"


SCHOOL = {
    "name": "Harbor College",
    "slug": "harbor-college",
    "control": "public",
    "active": "y",
    "lead_recipients": "Admissions@Harbor.example.edu, info@harbor.example.edu\ninfo@harbor.example.edu",
    "webhook_url": "http://crm.harbor.example.edu/leads",
}


def test_school_recipients_are_checked_and_normalised(app, admin_client):
    bad = admin_client.post("/admin/school/new/", data={**SCHOOL, "lead_recipients": "admissions@, not-an-address"})
    assert bad.status_code == 200 and "Not an e-mail address: admissions@, not-an-address" in bad.text
    empty = admin_client.post("/admin/school/new/", data={**SCHOOL, "lead_recipients": " "})
    assert "Give at least one address" in empty.text

    assert admin_client.post("/admin/school/new/", data=SCHOOL).status_code == 302
    with app.app_context():
        school = db.session.scalar(sa.select(School).where(School.slug == "harbor-college"))
        assert school.recipient_list == ["Admissions@harbor.example.edu", "info@harbor.example.edu"]
        assert school.webhook_url == "http://crm.harbor.example.edu/leads"  # http is fine outside production


@pytest.mark.parametrize(
    "url,production,problem",
    [
        ("https://crm.example.edu/leads", True, None),
        ("http://crm.example.edu/leads", True, "Webhooks must use https."),
        ("http://crm.example.edu/leads", False, None),
        ("https://10.0.0.5/hook", True, "Webhooks cannot point to a private or local address."),
        ("https://localhost/hook", True, "Webhooks cannot point to a private or local address."),
        ("https://127.0.0.1/hook", False, None),
        ("https://user:pw@crm.example.edu/", True, "Put credentials in the school's CRM settings, not in the URL."),
        ("ftp://crm.example.edu/", False, "Give a full URL, e.g. https://crm.example.edu/leads."),
    ],
)
def test_webhook_url_rules(url, production, problem):
    assert webhook_url_problem(url, production) == problem


def test_the_webhook_secret_never_shows_except_once_when_generated(app, admin_client):
    with app.app_context():
        school = factories.school(webhook_url="https://crm.example.edu/leads", webhook_secret="old-secret-value")
        db.session.commit()
        school_id = school.id
    for url in (
        "/admin/school/",
        f"/admin/school/details/?id={school_id}",
        f"/admin/school/edit/?id={school_id}",
        "/admin/school/export/csv/",
    ):
        assert "old-secret-value" not in admin_client.get(url).get_data(as_text=True), url

    response = admin_client.post(f"/admin/school/{school_id}/rotate-secret")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    with app.app_context():
        secret = db.session.get(School, school_id).webhook_secret
    assert secret != "old-secret-value" and len(secret) >= 40
    assert secret in response.text
    assert secret not in admin_client.get(f"/admin/school/details/?id={school_id}").text

    (event,) = audit_events(app, action="rotate_secret")
    assert event.entity == "school" and event.entity_id == str(school_id)
    assert "old-secret-value" not in str(event.before) and secret not in str(event.after)
    assert event.before["webhook_secret"] != event.after["webhook_secret"]


@pytest.fixture
def test_senders(monkeypatch):
    """The delivery engine's test sends, `(school) -> (ok, detail)`, replaced by recorders."""
    sent = []
    monkeypatch.setattr(
        "admin.views.schools.send_test_email",
        lambda school: sent.append(("email", school.id)) or (True, "Accepted by the SMTP server."),
    )
    monkeypatch.setattr(
        "admin.views.schools.send_test_webhook",
        lambda school: sent.append(("webhook", school.id)) or (False, "The webhook answered HTTP 500."),
    )
    return sent


def test_send_a_test_lead_shows_each_channel_result(app, admin_client, test_senders):
    with app.app_context():
        school = factories.school(webhook_url="https://crm.example.edu/leads")
        db.session.commit()
        school_id = school.id
    assert f"/admin/school/{school_id}/test-send" in admin_client.get(f"/admin/school/details/?id={school_id}").text

    response = admin_client.post(f"/admin/school/{school_id}/test-send")
    assert response.status_code == 200
    assert test_senders == [("email", school_id), ("webhook", school_id)]
    assert 'data-channel="email" data-ok="true"' in response.text and "Accepted by the SMTP server." in response.text
    assert 'data-channel="webhook" data-ok="false"' in response.text and "HTTP 500" in response.text
    (event,) = audit_events(app, action="test_send")
    assert event.after == {"email": "ok", "webhook": "failed"}


def test_a_crashing_test_send_is_shown_not_raised(app, admin_client, monkeypatch):
    def explode(school):
        raise ConnectionRefusedError("smtp down")

    monkeypatch.setattr("admin.views.schools.send_test_email", explode)
    with app.app_context():
        school_id = factories.school().id
        db.session.commit()
    response = admin_client.post(f"/admin/school/{school_id}/test-send")
    assert response.status_code == 200
    assert 'data-ok="false"' in response.text and "ConnectionRefusedError" in response.text


def test_a_campus_takes_city_state_and_coordinates_from_its_zip(app, admin_client):
    with app.app_context():
        school_id = factories.school().id
        db.session.commit()
    unknown = admin_client.post(
        "/admin/campus/new/", data={"school": school_id, "name": "Nowhere", "zip_code": "00000"}
    )
    assert unknown.status_code == 200 and "Unknown ZIP code: 00000." in unknown.text
    malformed = admin_client.post("/admin/campus/new/", data={"school": school_id, "name": "X", "zip_code": "6060"})
    assert "Give a five-digit US ZIP code." in malformed.text

    assert (
        admin_client.post(
            "/admin/campus/new/", data={"school": school_id, "name": "Loop", "zip_code": "60601"}
        ).status_code
        == 302
    )
    with app.app_context():
        campus = db.session.scalar(sa.select(Campus).where(Campus.name == "Loop"))
        assert (campus.city, campus.state) == ("Chicago", "IL")
        assert 41 < campus.latitude < 42.5 and -88.5 < campus.longitude < -87


def test_a_program_and_its_campus_must_agree(app, admin_client):
    with app.app_context():
        school, other = factories.school(), factories.school()
        category = factories.category()
        campus, elsewhere = factories.campus(school), factories.campus(other, "10001")
        db.session.commit()
        ids = {"school": school.id, "category": category.id, "campus": campus.id, "elsewhere": elsewhere.id}
    base = {
        "school": ids["school"],
        "category": ids["category"],
        "name": "Welding",
        "level": "certificate",
        "active": "y",
    }

    online_with_campus = admin_client.post(
        "/admin/program/new/", data={**base, "delivery": "online", "campus": ids["campus"]}
    )
    assert "An online program has no campus" in online_with_campus.text
    campus_without = admin_client.post("/admin/program/new/", data={**base, "delivery": "campus"})
    assert "Choose the campus where this program is taught." in campus_without.text
    wrong_school = admin_client.post(
        "/admin/program/new/", data={**base, "delivery": "campus", "campus": ids["elsewhere"]}
    )
    assert "That campus belongs to another school." in wrong_school.text

    assert (
        admin_client.post(
            "/admin/program/new/", data={**base, "delivery": "campus", "campus": ids["campus"]}
        ).status_code
        == 302
    )
    with app.app_context():
        program = db.session.scalar(sa.select(Program).where(Program.name == "Welding"))
        assert program.listing_position == 1  # listed at once: positions are renumbered on commit
        assert db.session.get(Category, ids["category"]).listing_total == 1


def test_an_article_edit_keeps_its_related_articles(app, editor_client):
    with app.app_context():
        category = factories.category()
        first, second = factories.article(category), factories.article(category)
        db.session.commit()
        ids = (first.id, second.id, category.id)
    response = editor_client.post(f"/admin/article/edit/?id={ids[0]}", data={
        "title": "Renamed", "slug": "renamed", "category": ids[2], "summary": "s", "body": "b",
        "published": "y", "related": [ids[1]],
    })
    assert response.status_code == 302
    with app.app_context():
        article = db.session.scalar(
            sa.select(Article).where(Article.id == ids[0]).options(sa.orm.selectinload(Article.related))
        )
        assert article.title == "Renamed" and [a.id for a in article.related] == [ids[1]]


def test_a_school_with_programs_is_not_deleted_but_explained(app, admin_client):
    with app.app_context():
        school = factories.school()
        factories.program(school, factories.category())
        lonely = factories.school()
        db.session.commit()
        ids = (school.id, lonely.id)
    admin_client.post("/admin/school/delete/", data={"id": ids[0]})
    page = admin_client.get("/admin/school/").text
    assert "Refused: this would duplicate an existing record" in page
    assert admin_client.post("/admin/school/delete/", data={"id": ids[1]}).status_code == 302
    with app.app_context():
        assert db.session.get(School, ids[0]) is not None and db.session.get(School, ids[1]) is None
