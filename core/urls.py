"""Absolute links to our own pages from anywhere (a worker has no request): built
from SITE_URL, never from a request's Host header."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values) -> str:
    """`url_for(endpoint, **values)` as an absolute URL under SITE_URL."""
    site = urlsplit(current_app.config["SITE_URL"])
    adapter = current_app.url_map.bind(site.netloc, script_name=site.path or "/", url_scheme=site.scheme)
    return adapter.build(endpoint, values, force_external=True)
