"""What search engines are told: the sitemap's URLs and robots.txt."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask import current_app

from core.extensions import db
from listings.models import Article, Category, School
from listings.structured_data import absolute_url

# Paths crawlers should leave alone: the back office, click counting (a crawl would count
# clicks and waste budget), the request form and the search's filtered result pages.
DISALLOWED = ("/admin/", "/go/", "/request-info", "/schools/?")


@dataclass(frozen=True)
class SitemapEntry:
    loc: str
    lastmod: date | None = None


def sitemap_entries() -> list[SitemapEntry]:
    """Every published article, active school and field, and the fixed pages (three statements)."""
    entries = [
        SitemapEntry(absolute_url(endpoint))
        for endpoint in (
            "listings.index",
            "listings.careers",
            "listings.search",
            "listings.advertising_disclosure",
            "listings.privacy",
        )
    ]
    for slug in db.session.scalars(sa.select(Category.slug).order_by(Category.slug)):
        entries.append(SitemapEntry(absolute_url("listings.category", slug=slug)))
    for slug, updated_at in db.session.execute(
        sa.select(Article.slug, Article.updated_at).where(Article.published.is_(True)).order_by(Article.slug)
    ):
        entries.append(SitemapEntry(absolute_url("listings.article", slug=slug), updated_at.date()))
    for slug, updated_at in db.session.execute(
        sa.select(School.slug, School.updated_at).where(School.active.is_(True)).order_by(School.slug)
    ):
        entries.append(SitemapEntry(absolute_url("listings.school", slug=slug), updated_at.date()))
    return entries


def robots_txt() -> str:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), ""]
    lines.append("Sitemap: " + current_app.config["SITE_URL"] + "/sitemap.xml")
    return "\n".join(lines) + "\n"
