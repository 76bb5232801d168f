"""Search, sponsorship and counters on PostgreSQL: full-text search through the GIN index,
and the dialect's upsert for the daily counters."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from core.extensions import db
from listings.impressions import count_impressions, flush_counters
from listings.models import PlacementStat
from listings.sponsorship import eligible_placements, sponsored_slots
from tests import factories
from tests.listing_items import organic_ids

pytestmark = pytest.mark.integration

READER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"}


@pytest.fixture
def catalogue(pg_app):
    with pg_app.app_context():
        health = factories.category(slug="healthcare", name="Healthcare")
        lakeshore = factories.school(name="Lakeshore Institute")
        pacific = factories.school(name="Pacific Online University")
        chicago = factories.campus(lakeshore, "60601")
        p = {
            "coding": factories.program(lakeshore, health, chicago, name="Medical Coding Certificate"),
            "nursing": factories.program(lakeshore, health, chicago, name="Nursing A.A.S.", level="associate"),
            "rn": factories.program(pacific, health, None, name="RN to BSN Nursing", level="bachelor"),
            "billing": factories.program(pacific, health, None, name="Medical Billing Certificate"),
        }
        placement = factories.placement(pacific, health)
        db.session.commit()
        return {"placement": placement.id, "category": health.id, **{k: v.id for k, v in p.items()}}


def found(client, **params) -> set[int]:
    response = client.get("/schools/", query_string=params, headers=READER)
    assert response.status_code == 200, params
    return set(organic_ids(response.text))


def test_full_text_search_stems_and_understands_web_search_syntax(pg_app, catalogue):
    client = pg_app.test_client()
    c = catalogue
    assert found(client, q="nurse") == {c["nursing"], c["rn"]}  # stemmed: nurse ~ nursing
    assert found(client, q="lakeshore nursing") == {c["nursing"]}  # school and program words
    assert found(client, q='"medical coding"') == {c["coding"]}  # a phrase
    assert found(client, q="medical -billing") == {c["coding"]}  # a word left out
    assert found(client, q="chicago") == {c["coding"], c["nursing"]}
    assert found(client, q="online") == {c["rn"], c["billing"]}
    for odd in ("nurse\x00", "'", '"', "nurse' OR 1=1 --", "!!!", "&|:*", "the"):
        client.get("/schools/", query_string={"q": odd}, headers=READER)  # no 500, whatever it finds
        assert client.get("/schools/", query_string={"q": odd}).status_code == 200, odd


def test_the_gin_index_serves_the_text_search(pg_app, catalogue):
    with pg_app.app_context():
        assert db.session.scalar(
            sa.text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_program_search_text'")
        ).endswith("USING gin (to_tsvector('english'::regconfig, search_text))")
        db.session.execute(sa.text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(
            db.session.scalars(
                sa.text(
                    "EXPLAIN SELECT id FROM program WHERE to_tsvector('english'::regconfig, search_text) "
                    "@@ websearch_to_tsquery('english'::regconfig, 'nurse')"
                )
            )
        )
        assert "ix_program_search_text" in plan, plan
        db.session.rollback()


def test_sponsorship_and_counters_on_postgresql(pg_app, catalogue):
    with pg_app.test_request_context(headers=READER):
        assert [v.placement.id for v in eligible_placements(catalogue["category"])] == [catalogue["placement"]]
        items = sponsored_slots(catalogue["category"])
        assert {i.program.id for i in items} <= {catalogue["rn"], catalogue["billing"]} and len(items) == 1
        count_impressions([catalogue["placement"]] * 3)
        flush_counters()
        count_impressions([catalogue["placement"]])
        flush_counters()  # ON CONFLICT DO UPDATE adds to the day's row
        assert db.session.scalar(sa.select(PlacementStat.impressions)) == 4
    html = pg_app.test_client().get("/schools/?category=healthcare", headers=READER).text
    assert re.search(rf'data-program-id="{catalogue["rn"]}" data-sponsored="true"', html)
