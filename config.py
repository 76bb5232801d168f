"""Configuration: one class per APP_ENV, every value read from the environment.

The factory calls `load_config()`; nothing here runs at import time, so tests and
tools can build an app from any environment they like.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Mapping
from pathlib import Path

DEFAULT_RETRY_SCHEDULE = "60,300,900,3600,10800,21600,43200,86400"
REQUIRED_IN_PRODUCTION = ("SECRET_KEY", "DATABASE_URL", "REDIS_URL")


def _flag(value: str | None, default: bool = False) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _development_secret_key(instance_path: Path) -> str:
    """Generate the development key once and keep it, so sessions survive restarts
    and every process of `make run` signs with the same key."""
    key_file = instance_path / "secret_key"
    instance_path.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32))
    return key_file.read_text().strip()


class BaseConfig:
    """Settings shared by every environment."""

    APP_ENV = "development"
    DEBUG = False
    TESTING = False

    def __init__(self, environ: Mapping[str, str], instance_path: Path) -> None:
        env = dict(environ)
        self.INSTANCE_PATH = str(instance_path)
        self.SECRET_KEY = env.get("SECRET_KEY") or self.default_secret_key(instance_path)
        self.SQLALCHEMY_DATABASE_URI = self.database_url(env, instance_path)
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
        self.REDIS_URL = env.get("REDIS_URL") or None
        self.CELERY_BROKER_URL = env.get("CELERY_BROKER_URL") or self.REDIS_URL
        self.CELERY_TASK_QUEUE = env.get("CELERY_TASK_QUEUE") or None
        self.SITE_URL = (env.get("SITE_URL") or "http://127.0.0.1:%s" % env.get("PORT", "5000")).rstrip("/")
        self.BUSINESS_TIMEZONE = env.get("BUSINESS_TIMEZONE", "America/New_York")
        self.LEAD_RATE_LIMIT = env.get("LEAD_RATE_LIMIT", "5/minute;50/day")
        self.TRUSTED_PROXIES = int(env.get("TRUSTED_PROXIES", "0") or 0)
        self.LEAD_RETENTION_DAYS = int(env.get("LEAD_RETENTION_DAYS", "730") or 730)
        self.RETRY_SCHEDULE = [
            int(part) for part in env.get("RETRY_SCHEDULE", DEFAULT_RETRY_SCHEDULE).split(",") if part.strip()
        ]
        self.SPONSORED_SLOTS = int(env.get("SPONSORED_SLOTS", "3") or 3)
        self.LISTING_PAGE_SIZE = 20

        # Flask-Mail; development talks to the local aiosmtpd sink of `make run`.
        self.MAIL_SERVER = env.get("MAIL_SERVER", "127.0.0.1")
        self.MAIL_PORT = int(env.get("MAIL_PORT", "8025") or 8025)
        self.MAIL_USERNAME = env.get("MAIL_USERNAME") or None
        self.MAIL_PASSWORD = env.get("MAIL_PASSWORD") or None
        self.MAIL_USE_TLS = _flag(env.get("MAIL_USE_TLS"))
        self.MAIL_USE_SSL = _flag(env.get("MAIL_USE_SSL"))
        self.MAIL_DEFAULT_SENDER = env.get("MAIL_DEFAULT_SENDER", "Prospectus <leads@prospectus.example>")
        self.MAIL_TIMEOUT = float(env.get("MAIL_TIMEOUT", "10") or 10)
        # Flask-Mail suppresses sending under TESTING by default; our tests send to a real sink.
        self.MAIL_SUPPRESS_SEND = _flag(env.get("MAIL_SUPPRESS_SEND"))
        self.DISPATCH_LEASE_SECONDS = int(env.get("DISPATCH_LEASE_SECONDS", "120") or 120)
        self.RELAY_INTERVAL_SECONDS = float(env.get("RELAY_INTERVAL_SECONDS", "30") or 30)
        self.RELAY_REQUEUE_AFTER_SECONDS = int(env.get("RELAY_REQUEUE_AFTER_SECONDS", "600") or 600)

        self.BOOTSTRAP_SERVE_LOCAL = True
        self.WTF_CSRF_TIME_LIMIT = 3600 * 4
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"

        # Flask-Limiter / Flask-Caching fall back to process-local stand-ins without Redis;
        # neither ever turns a Redis outage into an error page (see core/extensions.py).
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "memory://"
        self.RATELIMIT_SWALLOW_ERRORS = True
        self.RATELIMIT_STORAGE_OPTIONS = {"socket_timeout": 0.25, "socket_connect_timeout": 0.25}
        self.RATELIMIT_HEADERS_ENABLED = True
        self.CACHE_TYPE = "RedisCache" if self.REDIS_URL else "SimpleCache"
        if self.REDIS_URL:
            self.CACHE_REDIS_URL = self.REDIS_URL
            self.CACHE_OPTIONS = {"socket_timeout": 0.25, "socket_connect_timeout": 0.25}
        self.CACHE_DEFAULT_TIMEOUT = 300

    def default_secret_key(self, instance_path: Path) -> str:
        return _development_secret_key(instance_path)

    @staticmethod
    def database_url(env: Mapping[str, str], instance_path: Path) -> str:
        url = env.get("DATABASE_URL") or "sqlite:///" + str(instance_path / "prospectus.sqlite3")
        # Heroku-style URLs name the driver "postgres"; SQLAlchemy wants psycopg 3 named.
        for prefix in ("postgres://", "postgresql://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix):]
        return url


class DevelopmentConfig(BaseConfig):
    APP_ENV = "development"
    DEBUG = False  # `make run` uses gunicorn; `flask run --debug` switches it on by hand


class TestingConfig(BaseConfig):
    APP_ENV = "testing"
    TESTING = True

    def __init__(self, environ: Mapping[str, str], instance_path: Path) -> None:
        super().__init__(environ, instance_path)
        self.RATELIMIT_ENABLED = _flag(environ.get("RATELIMIT_ENABLED"), default=True)

    def default_secret_key(self, instance_path: Path) -> str:
        return "testing-secret-key"


class ProductionConfig(BaseConfig):
    APP_ENV = "production"

    def __init__(self, environ: Mapping[str, str], instance_path: Path) -> None:
        missing = [name for name in REQUIRED_IN_PRODUCTION if not environ.get(name)]
        if missing:
            # The one place that may stop the process: a production app without these
            # would lose leads (no broker) or sign with a guessable key.
            sys.stderr.write("Prospectus cannot start in production: missing %s\n" % ", ".join(missing))
            raise SystemExit(2)
        super().__init__(environ, instance_path)
        self.SESSION_COOKIE_SECURE = True
        self.REMEMBER_COOKIE_SECURE = True
        self.PREFERRED_URL_SCHEME = "https"


CONFIGS: dict[str, type[BaseConfig]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load_config(environ: Mapping[str, str], instance_path: Path) -> BaseConfig:
    """Build the config object for APP_ENV (default development)."""
    app_env = environ.get("APP_ENV", "development")
    if app_env not in CONFIGS:
        sys.stderr.write("APP_ENV must be one of %s, not %r\n" % (", ".join(CONFIGS), app_env))
        raise SystemExit(2)
    return CONFIGS[app_env](environ, instance_path)
