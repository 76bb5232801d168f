"""The application factory. Plumbing only: every page lives in a feature package."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import load_config

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(environ: Mapping[str, str] | None = None, overrides: dict[str, Any] | None = None) -> Flask:
    """Build a Prospectus app from `environ` (default: os.environ) plus test overrides."""
    environ = os.environ if environ is None else environ
    instance_path = Path(environ.get("INSTANCE_PATH") or PROJECT_ROOT / "instance").resolve()
    app = Flask(
        "prospectus",
        instance_path=str(instance_path),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        root_path=str(PROJECT_ROOT),
    )
    instance_path.mkdir(parents=True, exist_ok=True)
    app.config.from_object(load_config(environ, instance_path))
    app.config.update(overrides or {})

    register_logging(app)
    register_proxy_fix(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_security_headers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def register_logging(app: Flask) -> None:
    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def register_proxy_fix(app: Flask) -> None:
    hops = app.config["TRUSTED_PROXIES"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_prefix=hops)


def register_extensions(app: Flask) -> None:
    from core.celery import celery_init_app
    from core.database import init_database
    from core.extensions import bootstrap, cache, csrf, db, limiter, login_manager, mail, migrate

    db.init_app(app)
    init_database(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    mail.init_app(app)
    cache.init_app(app)
    limiter.init_app(app)
    bootstrap.init_app(app)
    celery_init_app(app)


def register_blueprints(app: Flask) -> None:
    from admin import init_admin
    from core.health import bp as health_bp
    from leads import bp as leads_bp
    from listings import bp as listings_bp

    app.register_blueprint(health_bp)
    app.register_blueprint(listings_bp)
    app.register_blueprint(leads_bp)
    init_admin(app)


def register_errorhandlers(app: Flask) -> None:
    from core.errors import init_errorhandlers

    init_errorhandlers(app)


def register_security_headers(app: Flask) -> None:
    from core.security import init_security_headers

    init_security_headers(app)


def register_template_helpers(app: Flask) -> None:
    from core.templating import init_templating

    init_templating(app)


def register_commands(app: Flask) -> None:
    from admin.commands import register_admin_commands
    from listings.commands import register_listing_commands

    register_listing_commands(app)
    register_admin_commands(app)
