"""The audit trail: what `record_audit` keeps (and masks), and browsing it."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import sqlalchemy as sa

from admin.audit import MASKED_PERSONAL, json_safe, snapshot
from admin.csv_safety import neutralise
from admin.models import AuditEvent
from core.extensions import db
from leads.models import Lead
from tests import factories


def test_snapshots_are_json_safe_and_mask_secrets_and_personal_data(app):
    with app.app_context():
        school = factories.school(webhook_secret="s3cret-value")
        lead = Lead(first_name="Ada", email="ada@example.com", education_level="bachelor")
        db.session.add(lead)
        db.session.flush()
        school_values, lead_values = snapshot(school), snapshot(lead)
    assert "s3cret-value" not in str(school_values) and school_values["webhook_secret"].startswith("[secret")
    assert isinstance(school_values["created_at"], str)
    assert lead_values["first_name"] == MASKED_PERSONAL and lead_values["email"] == MASKED_PERSONAL
    assert lead_values["education_level"] == "bachelor" and lead_values["phone"] is None
    assert json_safe({"d": date(2025, 1, 2), "t": datetime(2025, 1, 2, tzinfo=UTC), "s": {1}}) == {
        "d": "2025-01-02",
        "t": "2025-01-02T00:00:00+00:00",
        "s": [1],
    }


def test_operators_browse_and_filter_the_trail(app, admin_client, operators):
    admin_client.post("/admin/category/new/", data={"name": "Aviation", "slug": "aviation"})
    with app.app_context():
        event_id = db.session.scalar(sa.select(AuditEvent.id).where(AuditEvent.action == "create"))

    def actions(url: str) -> list[str]:
        return re.findall(r'<td class="col-action">\s*(\w+)', admin_client.get(url).text)

    everything = admin_client.get("/admin/audit/").text
    assert "ada@prospectus.test" in everything
    assert sorted(actions("/admin/audit/")) == ["create", "login"]
    # Filters by position: 0 action, 1 entity, 2 operator, 3 on or after, 4 on or before.
    assert actions("/admin/audit/?flt0_0=create") == ["create"]
    assert actions("/admin/audit/?flt0_1=category") == ["create"]
    assert sorted(actions("/admin/audit/?flt0_2=ada%40")) == ["create", "login"]
    assert actions("/admin/audit/?flt0_2=nobody") == []
    assert actions("/admin/audit/?flt0_4=2000-01-01") == []
    assert sorted(actions("/admin/audit/?flt0_3=2000-01-01")) == ["create", "login"]
    assert admin_client.get("/admin/audit/?flt0_3=yesterday").status_code == 200  # ignored, not a 500

    details = admin_client.get(f"/admin/audit/details/?id={event_id}").text
    assert "&#34;slug&#34;: &#34;aviation&#34;" in details or "&quot;slug&quot;: &quot;aviation&quot;" in details

    assert admin_client.get("/admin/audit/new/").status_code == 302  # read-only
    assert admin_client.post("/admin/audit/delete/", data={"id": event_id}).status_code == 302
    with app.app_context():
        assert db.session.get(AuditEvent, event_id) is not None


def test_editors_cannot_read_the_trail(editor_client):
    assert editor_client.get("/admin/audit/").status_code == 403


def test_formula_cells_are_neutralised():
    for dangerous in ("=1+1", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1"):
        assert neutralise(dangerous) == "'" + dangerous
    assert neutralise("plain") == "plain" and neutralise(None) == "" and neutralise(True) == "yes"
    assert neutralise(-5) == "-5" and neutralise(2.5) == "2.5"
