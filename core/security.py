"""Security headers and the Content Security Policy for every response."""

from __future__ import annotations

import secrets

from flask import Flask, Response, g

_POLICY = (
    ("default-src", "'self'"),
    ("img-src", "'self' data:"),
    ("style-src", "'self'"),
    ("script-src", "'self'"),
    ("font-src", "'self'"),
    ("form-action", "'self'"),
    ("frame-ancestors", "'none'"),
    ("base-uri", "'self'"),
    ("object-src", "'none'"),
)


def content_security_policy(nonce: str | None = None) -> str:
    """The policy; with a nonce, inline scripts and styles carrying it are allowed too
    (never 'unsafe-inline')."""
    directives = []
    for name, sources in _POLICY:
        if nonce and name in ("script-src", "style-src"):
            sources = f"{sources} 'nonce-{nonce}'"
        directives.append(f"{name} {sources}")
    return "; ".join(directives)


CONTENT_SECURITY_POLICY = content_security_policy()


def csp_nonce() -> str:
    """This response's nonce, made on first use; only pages that ask for one get it in
    their policy (Flask-Admin's pages do, through its csp_nonce_generator)."""
    nonce = g.get("csp_nonce")
    if nonce is None:
        nonce = g.csp_nonce = secrets.token_urlsafe(18)
    return nonce


def init_security_headers(app: Flask) -> None:
    production = app.config["APP_ENV"] == "production"

    @app.after_request
    def set_security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", content_security_policy(g.get("csp_nonce")))
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
        if production:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        return response
