"""Reader pages of the catalogue. Thin: parse, call a service, render."""

from __future__ import annotations

from flask import current_app, render_template

from listings import bp
from listings.catalogue import (
    category_page,
    featured_articles,
    published_article_or_404,
    published_articles_by_category,
    school_or_404,
    school_programs,
)
from listings.markdown import render_markdown
from listings.pagination import BadPage, abort_if_past_end, redirect_to_first_page, requested_page


@bp.get("/")
def index():
    return render_template(
        "listings/index.html",
        sections=published_articles_by_category(),
        featured=featured_articles(),
    )


@bp.get("/careers/")
def careers():
    return render_template("listings/careers.html", sections=published_articles_by_category())


@bp.get("/careers/<slug>")
def article(slug: str):
    try:
        number = requested_page()
    except BadPage:
        return redirect_to_first_page()
    article = published_article_or_404(slug)
    page = category_page(article.category, number, current_app.config["LISTING_PAGE_SIZE"])
    abort_if_past_end(page)
    return render_template("listings/article.html", article=article, body=render_markdown(article.body), page=page)


@bp.get("/schools/<slug>")
def school(slug: str):
    school = school_or_404(slug)
    return render_template("listings/school.html", school=school, programs=school_programs(school))
