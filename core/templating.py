"""Jinja filters and globals shared by every area."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app, request, url_for


def money(cents: int | None) -> str:
    """Cents as dollars: 12345 -> "$123.45"."""
    if cents is None:
        return "—"
    return f"${cents / 100:,.2f}"


def whole_dollars(amount: int | None) -> str:
    if amount is None:
        return "—"
    return f"${amount:,}"


def local_time(value: datetime | None, fmt: str = "%b %d, %Y %H:%M %Z") -> str:
    """An aware UTC time shown in BUSINESS_TIMEZONE."""
    if value is None:
        return "—"
    return value.astimezone(ZoneInfo(current_app.config["BUSINESS_TIMEZONE"])).strftime(fmt)


def long_date(value: date | None) -> str:
    return value.strftime("%B %-d, %Y") if value else "—"


def canonical_url() -> str:
    """This page's absolute URL without tracking noise; page 1 drops `?page=1`."""
    args = {key: value for key, value in request.args.items() if value and not key.startswith("utm_")}
    if args.get("page") == "1":
        args.pop("page")
    if request.endpoint is None:
        return current_app.config["SITE_URL"] + request.path
    return current_app.config["SITE_URL"] + url_for(request.endpoint, **(request.view_args or {}), **args)


def init_templating(app: Flask) -> None:
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["whole_dollars"] = whole_dollars
    app.jinja_env.filters["local_time"] = local_time
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.globals["canonical_url"] = canonical_url
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
