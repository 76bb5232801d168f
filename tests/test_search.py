"""/schools/ search: every filter, distance from a ZIP code, every bad parameter, the cost of
a page, and sponsored items under the same rule as the listings."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.extensions import db
from listings.models import Program
from listings.search_index import refresh_all
from tests import factories
from tests.listing_items import listing_items, organic_ids

READER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0"}


def listed(html: str) -> list[int]:
    return organic_ids(html)


@pytest.fixture
def places(app):
    """Five schools around Chicago, in New York and online, eight programs in two fields."""
    with app.app_context():
        health = factories.category(slug="healthcare", name="Healthcare")
        trades = factories.category(slug="skilled-trades", name="Skilled Trades")
        lakeshore = factories.school(name="Lakeshore Institute")
        northfield = factories.school(name="Northfield College")
        prairie = factories.school(name="Prairie Technical School")
        hudson = factories.school(name="Hudson Valley School")
        pacific = factories.school(name="Pacific Online University")
        chicago = factories.campus(lakeshore, "60601")
        evanston = factories.campus(northfield, "60201")
        naperville = factories.campus(prairie, "60540")
        manhattan = factories.campus(hudson, "10001")
        p = {}
        p["coding"] = factories.program(lakeshore, health, chicago, name="Medical Coding Certificate")
        p["lakeshore_nursing"] = factories.program(
            lakeshore, health, chicago, name="Nursing A.A.S.", level="associate", delivery="hybrid"
        )
        p["bsn"] = factories.program(northfield, health, evanston, name="Nursing B.S.N.", level="bachelor")
        p["welding"] = factories.program(northfield, trades, evanston, name="Welding Certificate")
        p["hvac"] = factories.program(prairie, trades, naperville, name="HVAC Technician Certificate")
        p["assisting"] = factories.program(hudson, health, manhattan, name="Medical Assisting Certificate")
        p["billing"] = factories.program(pacific, health, None, name="Medical Billing Certificate")
        p["rn_bsn"] = factories.program(pacific, health, None, name="RN to BSN Nursing", level="bachelor")
        db.session.commit()
        return {name: program.id for name, program in p.items()}


def search(client, **params):
    response = client.get("/schools/", query_string=params, headers=READER)
    assert response.status_code == 200, (params, response.status_code)
    return response


def ids_for(client, places, **params) -> set[str]:
    by_id = {v: k for k, v in places.items()}
    return {by_id[i] for i in listed(search(client, **params).text)}


def test_without_filters_every_listed_program_in_organic_order(client, places):
    html = search(client).text
    assert listed(html) == [
        places["assisting"],  # Hudson Valley School
        places["coding"],
        places["lakeshore_nursing"],  # Lakeshore Institute (program names in order)
        places["bsn"],
        places["welding"],  # Northfield College
        places["billing"],
        places["rn_bsn"],  # Pacific Online University
        places["hvac"],  # Prairie Technical School
    ]
    assert "8 programs" in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "nursing"}, {"lakeshore_nursing", "bsn", "rn_bsn"}),
        ({"q": "NURSING"}, {"lakeshore_nursing", "bsn", "rn_bsn"}),
        ({"q": "lakeshore coding"}, {"coding"}),  # school and program words together
        ({"q": "evanston"}, {"bsn", "welding"}),  # the campus town
        ({"q": "online"}, {"billing", "rn_bsn"}),
        ({"q": "skilled trades"}, {"welding", "hvac"}),  # the field's name
        ({"q": "certificate medical"}, {"coding", "assisting", "billing"}),
        ({"q": "zzzz"}, set()),
        ({"category": "skilled-trades"}, {"welding", "hvac"}),
        ({"category": "HEALTHCARE"}, {"coding", "lakeshore_nursing", "bsn", "assisting", "billing", "rn_bsn"}),
        ({"level": "bachelor"}, {"bsn", "rn_bsn"}),
        ({"delivery": "online"}, {"billing", "rn_bsn"}),
        ({"delivery": "hybrid"}, {"lakeshore_nursing"}),
        ({"state": "IL"}, {"coding", "lakeshore_nursing", "bsn", "welding", "hvac"}),
        ({"state": "ny"}, {"assisting"}),
        ({"state": "WY"}, set()),
        ({"category": "healthcare", "level": "certificate", "zip": "60601"}, {"coding"}),
        ({"q": "nursing", "state": "IL", "level": "bachelor"}, {"bsn"}),
    ],
)
def test_filters(client, places, params, expected):
    assert ids_for(client, places, **params) == expected


def test_zip_and_radius_find_campuses_nearest_first(client, places):
    html = search(client, zip="60601", radius="25").text
    assert listed(html) == [places["coding"], places["lakeshore_nursing"], places["bsn"], places["welding"]]
    assert "12 miles away" in html and "0.0 miles away" in html
    wider = listed(search(client, zip="60601", radius="50").text)
    assert wider[-1] == places["hvac"]  # Naperville, 28 miles
    assert places["assisting"] not in wider  # New York
    assert listed(search(client, zip="60601-1234", radius="10").text) == [places["coding"], places["lakeshore_nursing"]]
    assert len(listed(search(client, zip="60601", radius="500").text)) == 5


def test_zip_without_radius_uses_25_miles(client, places):
    html = search(client, zip="60601").text
    assert len(listed(html)) == 4 and 'value="25" selected' in html


def test_a_location_search_leaves_online_programs_out_and_offers_them(client, places):
    html = search(client, q="nursing", zip="60601", radius="100").text
    assert places["rn_bsn"] not in listed(html)
    link = re.search(r'data-online-alternative>.*?href="([^"]+)"', html, re.S).group(1)
    assert "delivery=online" in link and "zip" not in link and "q=nursing" in link
    assert ids_for(client, places, q="nursing", delivery="online") == {"rn_bsn"}


def test_online_with_a_location_drops_the_location_and_says_so(client, places):
    html = search(client, delivery="online", zip="60601", state="IL").text
    assert "location was left out" in html
    assert set(listed(html)) == {places["billing"], places["rn_bsn"]}


BAD = [
    ({"zip": "00000"}, "could not find ZIP code 00000"),
    ({"zip": "abcde"}, "five digits"),
    ({"zip": "6060"}, "five digits"),
    ({"zip": "606011"}, "five digits"),
    ({"zip": "60601", "radius": "-5"}, "between 1 and 500"),
    ({"zip": "60601", "radius": "0"}, "between 1 and 500"),
    ({"zip": "60601", "radius": "501"}, "between 1 and 500"),
    ({"zip": "60601", "radius": "99999999999999999999"}, "between 1 and 500"),
    ({"zip": "60601", "radius": "1e3"}, "between 1 and 500"),
    ({"zip": "60601", "radius": "25.5"}, "between 1 and 500"),
    ({"zip": "60601", "radius": "abc"}, "between 1 and 500"),
    ({"category": "no-such-field"}, "no field of study by that name"),
    ({"category": "'; DROP TABLE program; --"}, "no field of study by that name"),
    ({"category": "x" * 500}, "no field of study by that name"),
    ({"level": "phd"}, "Choose a level"),
    ({"delivery": "teleport"}, "Choose a way of studying"),
    ({"state": "ZZ"}, "Choose a state"),
    ({"state": "Illinois"}, "Choose a state"),
    ({"q": '"'}, "letters or numbers"),
    ({"q": "'"}, "letters or numbers"),
    ({"q": "%"}, "letters or numbers"),
    ({"q": "\x00"}, None),  # nothing left once the NUL is dropped: an unfiltered search
]


@pytest.mark.parametrize(("params", "message"), BAD)
def test_bad_parameters_give_a_message_and_no_results_never_an_error(client, places, params, message):
    html = search(client, **params).text
    if message is None:
        assert len(listed(html)) == 8
        return
    assert message in html
    assert listed(html) == []
    assert "data-search-problem" in html


@pytest.mark.parametrize(
    "q",
    [
        "nursing\x00",
        "nur\x00sing",
        'nursing"',
        "'nursing'",
        '"nursing',
        "nursing' OR '1'='1",
        "nursing -- comment",
        "nursing %",
        "nursing\\",
        "nursing\u200b",
        "\tnursing\n",
    ],
)
def test_quotes_nul_bytes_and_odd_characters_in_q_are_harmless(client, places, q):
    html = search(client, q=q).text
    assert set(listed(html)) <= {places["lakeshore_nursing"], places["bsn"], places["rn_bsn"]}


def test_like_wildcards_are_literal(app, client, places):
    with app.app_context():
        school = factories.school(name="Percent School")
        factories.program(school, factories.category(), name="100% Online Pharmacy_Tech")
        db.session.commit()
    assert len(listed(search(client, q="100%").text)) == 1
    assert len(listed(search(client, q="Pharmacy_Tech").text)) == 1
    assert listed(search(client, q="Pharmacy_Te_h").text) == []  # _ is not a wildcard


def test_a_very_long_query_is_shortened_and_says_so(client, places):
    html = search(client, q="nursing " * 80).text
    assert "shortened" in html


def test_radius_without_zip_is_explained(client, places):
    html = search(client, radius="50").text
    assert "Enter a ZIP code" in html and len(listed(html)) == 8


@pytest.mark.parametrize("bad", ["abc", "0", "-1", "1.5", "", "99999999999999999999"])
def test_bad_page_redirects_to_page_one_keeping_the_search(client, places, bad):
    response = client.get("/schools/", query_string={"q": "nursing", "page": bad})
    assert response.status_code == 302
    assert response.headers["Location"] == "/schools/?q=nursing"


def test_page_past_the_end_is_404_but_an_empty_first_page_is_not(client, places):
    assert client.get("/schools/?q=nursing&page=2").status_code == 404
    assert client.get("/schools/?q=zzzz").status_code == 200


@pytest.fixture
def big(app):
    with app.app_context():
        category, _article = factories.catalogue(programs=45)
        return {"slug": category.slug, "id": category.id}


def test_pages_partition_the_results(app, client, big):
    seen = []
    for number in (1, 2, 3):
        html = search(client, category=big["slug"], **({"page": number} if number > 1 else {})).text
        seen += listed(html)
    with app.app_context():
        expected = db.session.scalars(
            sa.select(Program.id).where(Program.category_id == big["id"]).order_by(Program.listing_position)
        ).all()
    assert seen == expected
    html = search(client, category=big["slug"], page=3).text
    assert 'rel="prev"' in html and 'rel="next"' not in html
    assert f"category={big['slug']}" in re.search(r'rel="prev" href="([^"]+)"', html).group(1)


def record_statements(app):
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    return statements, lambda: sa.event.remove(engine, "before_cursor_execute", record)


def test_page_n_costs_what_page_1_costs_and_nothing_counts_rows(app, client, big):
    statements, stop = record_statements(app)
    try:
        counts = {}
        for label, page in (("first, uncached", 1), ("third", 3), ("first, cached", 1)):
            statements.clear()
            search(client, q="program", category=big["slug"], **({"page": page} if page > 1 else {}))
            counts[label] = len(statements)
            assert not [s for s in statements if re.search(r"count\(", s, re.I)]
            if label != "first, uncached":  # the id list itself is capped with LIMIT ? OFFSET 0 on SQLite
                assert not [s for s in statements if re.search(r"offset", s, re.I)]
    finally:
        stop()
    assert counts["third"] == counts["first, cached"] <= 8, counts
    assert counts["first, uncached"] == counts["first, cached"] + 1, counts  # the id list, once


def test_a_program_taken_down_disappears_at_once_despite_the_cache(app, client, places):
    assert places["coding"] in listed(search(client, q="medical").text)
    with app.app_context():
        db.session.get(Program, places["coding"]).active = False
        db.session.commit()
    assert places["coding"] not in listed(search(client, q="medical").text)


def test_search_text_follows_renames_of_school_program_field_and_campus(app, client, places):
    with app.app_context():
        school = db.session.scalar(
            sa.select(factories.School).where(factories.School.name == "Prairie Technical School")
        )
        school.name = "Bluestem Technical School"
        db.session.commit()
    assert ids_for(client, places, q="bluestem") == {"hvac"}
    with app.app_context():
        db.session.get(Program, places["hvac"]).name = "Refrigeration Technician Certificate"
        db.session.commit()
        texts = {
            name: db.session.get(Program, pid).search_text for name, pid in places.items() if name in ("hvac", "rn_bsn")
        }
    assert (
        texts["hvac"] == "Refrigeration Technician Certificate Bluestem Technical School Skilled Trades Naperville IL"
    )
    assert texts["rn_bsn"] == "RN to BSN Nursing Pacific Online University Healthcare Online"
    with app.app_context():
        refresh_all(db.session)  # the backfill gives the same text
        db.session.commit()
        assert db.session.get(Program, places["hvac"]).search_text == texts["hvac"]


def test_sponsored_slots_head_a_search_with_a_field_and_paid_rows_are_labelled(app, client, places):
    with app.app_context():
        health = db.session.scalar(sa.select(factories.Category).where(factories.Category.slug == "healthcare"))
        pacific = db.session.scalar(sa.select(factories.School).where(factories.School.name.startswith("Pacific")))
        factories.placement(pacific, health)
        db.session.commit()
    html = search(client, category="healthcare").text
    group = html.split("data-sponsored-group", 1)[1].split("</section>", 1)[0]
    assert 'data-sponsored="true"' in group and "Sponsored" in group
    assert "/advertising-disclosure" in group
    rows = {item.program_id: item.sponsored for item in listing_items(html) if not item.in_sponsored_group}
    assert rows[places["billing"]] and rows[places["rn_bsn"]]  # the school pays for its whole field
    assert not rows[places["coding"]]
    # Without a field there is no sponsored group, but a paid row is still labelled.
    html = search(client, q="nursing").text
    assert "data-sponsored-group" not in html
    assert re.search(rf'data-program-id="{places["rn_bsn"]}" data-sponsored="true"', html)


def test_search_pages_with_parameters_are_not_indexed(client, places):
    assert 'name="robots" content="noindex' in search(client, q="nursing").text
    assert 'name="robots"' not in search(client).text


_ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=40)
_PARAM_VALUES = st.one_of(
    _ANY_TEXT,
    st.sampled_from(["", "60601", "00000", "healthcare", "bachelor", "online", "IL", "25", "-1", "501", "1e9"]),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    params=st.dictionaries(
        st.sampled_from(["q", "category", "level", "delivery", "state", "zip", "radius", "page"]), _PARAM_VALUES
    )
)
def test_no_search_parameters_ever_give_a_server_error(client, places, params):
    response = client.get("/schools/", query_string=params, headers=READER)
    assert response.status_code in (200, 302, 404), (params, response.status_code)
