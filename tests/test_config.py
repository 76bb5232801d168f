"""Configuration from the environment, and production's refusal to start half-configured."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from config import load_config

ROOT = Path(__file__).resolve().parent.parent


def run_factory(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if key not in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL")}
    return subprocess.run(
        [sys.executable, "-c", "from core import create_app; create_app()"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_naming_every_missing_variable(tmp_path):
    result = run_factory({"APP_ENV": "production", "INSTANCE_PATH": str(tmp_path)})
    assert result.returncode != 0
    for name in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL"):
        assert name in result.stderr


def test_production_names_only_what_is_missing(tmp_path):
    result = run_factory({"APP_ENV": "production", "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x" * 40})
    assert result.returncode != 0
    assert "SECRET_KEY" not in result.stderr and "DATABASE_URL" in result.stderr and "REDIS_URL" in result.stderr


def test_production_with_everything_set_has_secure_cookies(tmp_path):
    config = load_config(
        {
            "APP_ENV": "production",
            "SECRET_KEY": "k" * 40,
            "DATABASE_URL": "postgresql://db/prospectus",
            "REDIS_URL": "redis://cache:6379/0",
        },
        tmp_path,
    )
    assert config.SESSION_COOKIE_SECURE is True
    assert config.SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://db/prospectus"
    assert config.CELERY_BROKER_URL == "redis://cache:6379/0"
    assert config.RATELIMIT_STORAGE_URI == "redis://cache:6379/0"


def test_development_defaults(tmp_path):
    config = load_config({}, tmp_path)
    assert config.APP_ENV == "development"
    assert config.SQLALCHEMY_DATABASE_URI == f"sqlite:///{tmp_path / 'prospectus.sqlite3'}"
    assert config.MAIL_PORT == 8025 and config.CELERY_BROKER_URL is None
    assert config.RETRY_SCHEDULE == [60, 300, 900, 3600, 10800, 21600, 43200, 86400]
    assert config.BUSINESS_TIMEZONE == "America/New_York" and config.LEAD_RETENTION_DAYS == 730
    # The development key is generated once and kept.
    assert config.SECRET_KEY == load_config({}, tmp_path).SECRET_KEY == (tmp_path / "secret_key").read_text()


def test_unknown_app_env_is_refused(tmp_path):
    result = run_factory({"APP_ENV": "staging", "INSTANCE_PATH": str(tmp_path)})
    assert result.returncode != 0 and "APP_ENV" in result.stderr
