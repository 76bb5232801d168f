"""Friendly error pages. Every 4xx/5xx a reader can reach renders templates/errors/."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


def _wants_json() -> bool:
    return request.path.startswith("/healthz") or request.accept_mimetypes.best == "application/json"


def init_errorhandlers(app: Flask) -> None:
    from core.extensions import db

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if _wants_json():
            return jsonify(error=error.name, description=error.description), error.code
        template = "errors/%d.html" % error.code if error.code in (400, 403, 404, 429) else "errors/http.html"
        return render_template(template, error=error), error.code

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        # Views with a form re-show it themselves (see leads/); anything else gets this page.
        return render_template("errors/400.html", error=error, csrf=True), 400

    @app.errorhandler(500)
    def internal_error(error):
        # A failed flush leaves the session unusable; roll back so the error page itself renders.
        db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, request.path)
        return render_template("errors/500.html"), 500
