"""Reader pages of the catalogue. Thin: parse, call a service, render."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Response, current_app, redirect, render_template, request

from listings import bp
from listings.catalogue import (
    categories,
    category_or_404,
    category_page,
    featured_articles,
    published_article_or_404,
    published_articles_by_category,
    published_articles_of,
    school_or_404,
    school_programs,
)
from listings.impressions import count_click, count_shown, counts_this_request
from listings.markdown import render_markdown
from listings.models import DeliveryMode, Level
from listings.pagination import BadPage, abort_if_past_end, redirect_to_first_page, requested_page
from listings.search import MAX_RADIUS_MILES, RADIUS_CHOICES, US_STATES, search_programs
from listings.sitemap import robots_txt, sitemap_entries
from listings.sponsorship import (
    expired_click_program,
    placement_token,
    read_click_token,
    sponsored_programs,
    sponsored_slots,
)
from listings.structured_data import absolute_url, article_data, category_data, school_data

# The request form lives in leads/ (which listings may not import); its URL is a contract.
REQUEST_INFO_PATH = "/request-info"


@bp.app_template_global("absolute_url")
def _absolute_url(endpoint: str, **values) -> str:
    return absolute_url(endpoint, **values)


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
    page.sponsored = sponsored_slots(article.category_id)
    count_shown(page.sponsored)
    return render_template(
        "listings/article.html",
        article=article,
        body=render_markdown(article.body),
        page=page,
        structured_data=article_data(article),
    )


@bp.get("/careers/category/<slug>")
def category(slug: str):
    try:
        number = requested_page()
    except BadPage:
        return redirect_to_first_page()
    category = category_or_404(slug)
    page = category_page(category, number, current_app.config["LISTING_PAGE_SIZE"])
    abort_if_past_end(page)
    page.sponsored = sponsored_slots(category.id)
    count_shown(page.sponsored)
    return render_template(
        "listings/category.html",
        category=category,
        articles=published_articles_of(category),
        page=page,
        structured_data=category_data(category),
    )


@bp.get("/schools/")
def search():
    try:
        number = requested_page()
    except BadPage:
        return redirect_to_first_page()
    fields = categories()
    results = search_programs(request.args, number, current_app.config["LISTING_PAGE_SIZE"], fields)
    abort_if_past_end(results.page)
    # Sponsored slots need a field to be relevant: a search without one shows none on top.
    if results.category is not None and not results.problems:
        results.page.sponsored = sponsored_slots(results.category.id)
    paid = sponsored_programs(results.page.items)
    count_shown([*results.page.sponsored, *paid.values()])
    return render_template(
        "listings/search.html",
        results=results,
        paid=paid,
        categories=fields,
        levels=list(Level),
        deliveries=list(DeliveryMode),
        states=US_STATES,
        radius_choices=RADIUS_CHOICES,
        max_radius=MAX_RADIUS_MILES,
    )


@bp.get("/schools/<slug>")
def school(slug: str):
    school = school_or_404(slug)
    programs = school_programs(school)
    paid = sponsored_programs(programs)
    count_shown(list(paid.values()))
    return render_template(
        "listings/school.html",
        school=school,
        programs=programs,
        paid=paid,
        structured_data=school_data(school, programs),
    )


@bp.route("/go/<token>", methods=["GET", "HEAD"])
def go(token: str):
    """A sponsored item's link: count the click, then on to the request form with a token
    that attributes the lead to the placement."""
    claim = read_click_token(token)
    if claim is None:
        program_id = expired_click_program(token)
        if program_id is None:
            return render_template("listings/link_invalid.html"), 404
        # A genuine but stale link: the reader still gets the form, the click is not counted.
        response = redirect(REQUEST_INFO_PATH + "?" + urlencode({"program": program_id}), 302)
    else:
        if counts_this_request():
            count_click(claim.placement_id)
        query = urlencode({"program": claim.program_id, "placement": placement_token(*claim)})
        response = redirect(REQUEST_INFO_PATH + "?" + query, 302)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.get("/sitemap.xml")
def sitemap():
    xml = render_template("listings/sitemap.xml", entries=sitemap_entries())
    return Response(xml, mimetype="application/xml")


@bp.get("/robots.txt")
def robots():
    return Response(robots_txt(), mimetype="text/plain")


@bp.get("/privacy")
def privacy():
    return render_template("listings/privacy.html", retention_days=current_app.config["LEAD_RETENTION_DAYS"])


@bp.get("/advertising-disclosure")
def advertising_disclosure():
    return render_template(
        "listings/advertising_disclosure.html", sponsored_slots=current_app.config["SPONSORED_SLOTS"]
    )
