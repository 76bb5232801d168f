"""JSON-LD (schema.org) for search engines: built here as plain dicts, rendered by templates
with `|tojson` inside <script type="application/ld+json">, which escapes <, > and &."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for

from listings.models import Article, Category, DeliveryMode, Level, Program, School

PUBLISHER = {"@type": "Organization", "name": "Prospectus"}

# schema.org's educationalProgramMode vocabulary.
_PROGRAM_MODE = {DeliveryMode.ONLINE: "online", DeliveryMode.CAMPUS: "onsite", DeliveryMode.HYBRID: "blended"}
_CREDENTIAL = {
    Level.CERTIFICATE: "Certificate",
    Level.ASSOCIATE: "Associate degree",
    Level.BACHELOR: "Bachelor's degree",
    Level.MASTER: "Master's degree",
    Level.DOCTORATE: "Doctoral degree",
}


def absolute_url(endpoint: str, **values: Any) -> str:
    """SITE_URL + the endpoint's path: the address search engines and e-mails should use."""
    return current_app.config["SITE_URL"] + url_for(endpoint, **values)


def breadcrumbs(trail: list[tuple[str, str]]) -> dict:
    """A BreadcrumbList from (name, absolute url) pairs, home first."""
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": place, "name": name, "item": url}
            for place, (name, url) in enumerate(trail, 1)
        ],
    }


def article_trail(article: Article) -> list[tuple[str, str]]:
    return [
        ("Home", absolute_url("listings.index")),
        (article.category.name, absolute_url("listings.category", slug=article.category.slug)),
        (article.title, absolute_url("listings.article", slug=article.slug)),
    ]


def article_data(article: Article) -> dict:
    """Article + BreadcrumbList of an article page."""
    url = absolute_url("listings.article", slug=article.slug)
    return {
        "@context": "https://schema.org",
        "@graph": [
            {
                "@type": "Article",
                "@id": url + "#article",
                "headline": article.title[:110],
                "description": article.summary,
                "url": url,
                "mainEntityOfPage": url,
                "datePublished": article.created_at.isoformat(),
                "dateModified": article.updated_at.isoformat(),
                "author": PUBLISHER,
                "publisher": PUBLISHER,
                "articleSection": article.category.name,
                "about": {"@type": "Occupation", "name": article.occupation or article.title},
            },
            breadcrumbs(article_trail(article)),
        ],
    }


def category_data(category: Category) -> dict:
    """The BreadcrumbList of a field's page."""
    return {
        "@context": "https://schema.org",
        **breadcrumbs(
            [
                ("Home", absolute_url("listings.index")),
                ("Careers", absolute_url("listings.careers")),
                (category.name, absolute_url("listings.category", slug=category.slug)),
            ]
        ),
    }


def _program_data(program: Program, provider: dict) -> dict:
    data: dict[str, Any] = {
        "@type": "EducationalOccupationalProgram",
        "name": program.name,
        "provider": provider,
        "educationalCredentialAwarded": _CREDENTIAL[Level(program.level)],
        "educationalProgramMode": _PROGRAM_MODE[DeliveryMode(program.delivery)],
        "occupationalCategory": program.category.name,
    }
    if program.length_months:
        data["timeToComplete"] = f"P{program.length_months}M"
    if program.tuition_usd:
        data["offers"] = {
            "@type": "Offer",
            "category": "Tuition",
            "price": program.tuition_usd,
            "priceCurrency": "USD",
            "description": "Tuition per year, as published by the school",
        }
    if program.campus is not None:
        data["location"] = {
            "@type": "Place",
            "name": program.campus.name,
            "address": {
                "@type": "PostalAddress",
                "addressLocality": program.campus.city,
                "addressRegion": program.campus.state,
                "postalCode": program.campus.zip_code,
                "addressCountry": "US",
            },
        }
    return data


def school_data(school: School, programs: list[Program]) -> dict:
    """The school (an EducationalOrganization), its EducationalOccupationalPrograms and a
    BreadcrumbList, for a school page."""
    url = absolute_url("listings.school", slug=school.slug)
    organization: dict[str, Any] = {
        "@type": "EducationalOrganization",
        "@id": url + "#school",
        "name": school.name,
        "url": url,
        "description": school.description,
    }
    if school.website:
        organization["sameAs"] = school.website
    provider = {"@id": url + "#school"}
    return {
        "@context": "https://schema.org",
        "@graph": [
            organization,
            *(_program_data(program, provider) for program in programs),
            breadcrumbs(
                [
                    ("Home", absolute_url("listings.index")),
                    ("Schools", absolute_url("listings.search")),
                    (school.name, url),
                ]
            ),
        ],
    }
