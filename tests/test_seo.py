"""What search engines read: sitemap, robots.txt, canonical URLs, meta descriptions, JSON-LD;
and the reader pages about privacy and advertising."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from core.extensions import db
from tests import factories

SITE = "http://prospectus.test"
SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def site(app):
    with app.app_context():
        health = factories.category(slug="healthcare", name="Healthcare", description="Jobs that care for people.")
        empty = factories.category(slug="empty-field", name="Empty Field")
        article = factories.article(
            health,
            slug="medical-coder",
            title="How can I become a medical coder?",
            summary="What medical coders do, and how to become one.",
        )
        draft = factories.article(health, slug="draft-guide", published=False)
        school = factories.school(
            slug="lakeshore",
            name="Lakeshore Institute",
            description="A career school.",
            website="https://lakeshore.example.edu",
        )
        closed = factories.school(slug="closed-college", name="Closed College", active=False)
        campus = factories.campus(school, "60601")
        factories.program(school, health, campus, name="Medical Coding Certificate", tuition_usd=12000, length_months=9)
        factories.program(school, health, None, name="Online Billing Certificate", level="associate")
        for _n in range(25):
            factories.program(factories.school(), health)
        db.session.commit()
        return {
            "article": article.slug,
            "draft": draft.slug,
            "school": school.slug,
            "closed": closed.slug,
            "category": health.slug,
            "empty": empty.slug,
        }


def structured(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def graph_types(html: str) -> list[str]:
    types = []
    for block in structured(html):
        for node in block.get("@graph", [block]):
            types.append(node["@type"])
    return types


def canonical(html: str) -> str:
    return re.search(r'<link rel="canonical" href="([^"]*)">', html).group(1)


def description(html: str) -> str:
    return re.search(r'<meta name="description" content="([^"]*)">', html).group(1)


def test_sitemap_lists_every_published_article_active_school_and_field(client, site):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    root = ET.fromstring(response.data)
    locs = [node.text for node in root.findall("s:url/s:loc", SITEMAP_NS)]
    assert f"{SITE}/careers/{site['article']}" in locs
    assert f"{SITE}/schools/{site['school']}" in locs
    assert f"{SITE}/careers/category/{site['category']}" in locs
    assert f"{SITE}/careers/category/{site['empty']}" in locs
    for page in ("/", "/careers/", "/schools/", "/privacy", "/advertising-disclosure"):
        assert SITE + page in locs
    assert f"{SITE}/careers/{site['draft']}" not in locs
    assert f"{SITE}/schools/{site['closed']}" not in locs
    assert len(locs) == len(set(locs))
    lastmods = root.findall("s:url/s:lastmod", SITEMAP_NS)
    assert lastmods and all(re.fullmatch(r"\d{4}-\d\d-\d\d", node.text) for node in lastmods)
    for loc in locs:  # every URL in it answers
        assert client.get(loc.removeprefix(SITE)).status_code == 200, loc


def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    lines = response.text.splitlines()
    assert "User-agent: *" in lines
    for path in ("/admin/", "/go/", "/request-info"):
        assert f"Disallow: {path}" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines


def test_canonical_urls_drop_page_one_and_noise(client, site):
    slug = site["article"]
    assert canonical(client.get(f"/careers/{slug}").text) == f"{SITE}/careers/{slug}"
    assert canonical(client.get(f"/careers/{slug}?page=1").text) == f"{SITE}/careers/{slug}"
    assert canonical(client.get(f"/careers/{slug}?page=2").text) == f"{SITE}/careers/{slug}?page=2"
    assert canonical(client.get(f"/careers/{slug}?utm_source=x&ref=abc").text) == f"{SITE}/careers/{slug}"
    category = site["category"]
    assert canonical(client.get(f"/careers/category/{category}?page=1").text) == f"{SITE}/careers/category/{category}"
    assert canonical(client.get(f"/schools/{site['school']}?x=1").text) == f"{SITE}/schools/{site['school']}"
    assert canonical(client.get("/privacy").text) == f"{SITE}/privacy"


def test_every_page_has_a_meta_description_and_a_title(client, site):
    pages = [
        "/",
        "/careers/",
        f"/careers/{site['article']}",
        f"/careers/category/{site['category']}",
        f"/careers/category/{site['empty']}",
        "/schools/",
        "/schools/?q=coding",
        f"/schools/{site['school']}",
        "/privacy",
        "/advertising-disclosure",
        "/no-such-page",
        "/go/forged",
    ]
    seen = set()
    for url in pages:
        html = client.get(url).text
        text = description(html)
        assert 30 <= len(text) <= 300, (url, text)
        assert re.search(r"<title>[^<]+ · Prospectus</title>", html), url
        seen.add(text)
    assert len(seen) >= 8  # pages describe themselves, not all the site's default


def test_article_page_has_article_and_breadcrumb_structured_data(client, site):
    html = client.get(f"/careers/{site['article']}").text
    data = structured(html)
    assert len(data) == 1 and data[0]["@context"] == "https://schema.org"
    nodes = {node["@type"]: node for node in data[0]["@graph"]}
    article = nodes["Article"]
    assert article["headline"] == "How can I become a medical coder?"
    assert article["url"] == f"{SITE}/careers/{site['article']}"
    assert article["datePublished"] and article["dateModified"]
    crumbs = nodes["BreadcrumbList"]["itemListElement"]
    assert [c["position"] for c in crumbs] == [1, 2, 3]
    assert crumbs[1]["item"] == f"{SITE}/careers/category/{site['category']}"
    assert crumbs[2]["name"] == "How can I become a medical coder?"


def test_school_page_has_educational_program_structured_data(client, site):
    html = client.get(f"/schools/{site['school']}").text
    nodes = structured(html)[0]["@graph"]
    programs = [node for node in nodes if node["@type"] == "EducationalOccupationalProgram"]
    assert {p["name"] for p in programs} == {"Medical Coding Certificate", "Online Billing Certificate"}
    coding = next(p for p in programs if p["name"] == "Medical Coding Certificate")
    assert coding["timeToComplete"] == "P9M"
    assert coding["offers"]["price"] == 12000 and coding["offers"]["priceCurrency"] == "USD"
    assert coding["educationalProgramMode"] == "onsite"
    assert coding["location"]["address"]["addressLocality"] == "Chicago"
    online = next(p for p in programs if p["name"] == "Online Billing Certificate")
    assert online["educationalProgramMode"] == "online" and "location" not in online
    school = next(node for node in nodes if node["@type"] == "EducationalOrganization")
    assert coding["provider"]["@id"] == school["@id"]
    assert "BreadcrumbList" in graph_types(html)


def test_structured_data_cannot_break_out_of_its_script(app, client, site):
    with app.app_context():
        factories.article(
            factories.category(), slug="evil", title="</script><script>alert(1)</script>", summary="<b>&</b>"
        )
        db.session.commit()
    html = client.get("/careers/evil").text
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and ">" not in block
    assert any(n.get("headline") == "</script><script>alert(1)</script>" for n in json.loads(block)["@graph"])


def test_no_inline_script_or_style_under_the_strict_csp(client, site):
    for url in ("/", f"/careers/{site['article']}", f"/schools/{site['school']}", "/schools/?q=coding", "/privacy"):
        html = client.get(url).text
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/ld+json"' in tag, (url, tag)
        assert " style=" not in html, url


def test_privacy_page_says_what_why_how_long_and_how_to_withdraw(client):
    html = client.get("/privacy").text
    for words in (
        "What we collect",
        "Who receives it",
        "How long we keep it",
        "withdraw your consent",
        "730 days",
        "IP address",
        "consent text",
    ):
        assert words in html, words
    assert 'id="lost-receipt-link"' in html


@pytest.mark.app_config(environ={"LEAD_RETENTION_DAYS": "365"})
def test_privacy_page_follows_the_configured_retention(client):
    html = client.get("/privacy").text
    assert "365 days" in html and "(1\n    year)" in html or "365 days (1" in html


def test_advertising_disclosure_explains_how_placements_are_sold_and_ordered(client):
    html = client.get("/advertising-disclosure").text
    for words in (
        "price per request",
        "per day and per month",
        "total budget",
        "at random",
        "alphabetically by school name",
        "Payment never changes this order",
        "Sponsored",
        "paused",
    ):
        assert words in html, words
    assert 'id="sponsored-listings"' in html


def test_nav_and_footer_link_schools_privacy_and_disclosure(client):
    html = client.get("/").text
    nav = html.split('aria-label="Main"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/schools/"' in nav
    footer = html.split("<footer", 1)[1]
    for href in ("/privacy", "/advertising-disclosure", "/schools/"):
        assert f'href="{href}"' in footer, href


def test_category_page_lists_its_guides_and_programs(client, site):
    html = client.get(f"/careers/category/{site['category']}").text
    crumbs = structured(html)[0]["itemListElement"]
    assert [c["name"] for c in crumbs] == ["Home", "Careers", "Healthcare"]
    assert "How can I become a medical coder?" in html
    assert html.count("data-listing") == 20
    assert 'rel="next"' in html
    assert client.get(f"/careers/category/{site['category']}?page=2").status_code == 200
    assert client.get(f"/careers/category/{site['category']}?page=3").status_code == 404
    assert client.get(f"/careers/category/{site['category']}?page=x").status_code == 302
    assert client.get("/careers/category/no-such-field").status_code == 404
    assert "No programs are listed" in client.get(f"/careers/category/{site['empty']}").text
