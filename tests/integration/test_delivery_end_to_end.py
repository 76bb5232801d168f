"""From the POST to the SMTP sink through a real Celery worker process, on both brokers:
the embedded filesystem broker with SQLite, and Redis with PostgreSQL."""

from __future__ import annotations

import shutil
import uuid

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from core import create_app
from core.extensions import db
from leads.models import Delivery, Dispatch, DispatchStatus
from tests.leads.helpers import form_data, small_catalogue
from tests.processes import celery_worker, wait_until
from tests.services import postgres_schema, require_env

pytestmark = pytest.mark.integration


@pytest.fixture(params=["filesystem+sqlite", "redis+postgresql"])
def stack(request, template_database, tmp_path, mail_sink):
    """(environment shared by the web app and its worker, the web app)."""
    env = {
        "APP_ENV": "testing",
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "SITE_URL": "http://prospectus.test",
        "MAIL_PORT": str(mail_sink.port),
        "RETRY_SCHEDULE": "1,1,1",
    }
    if request.param == "filesystem+sqlite":
        database = tmp_path / "e2e.sqlite3"
        shutil.copyfile(template_database, database)
        env["DATABASE_URL"] = f"sqlite:///{database}"
        yield env, _app(env, migrate=False)
    else:
        env["CELERY_BROKER_URL"] = require_env("TEST_REDIS_URL")
        env["CELERY_TASK_QUEUE"] = f"test-{uuid.uuid4().hex[:8]}"
        with postgres_schema(require_env("TEST_DATABASE_URL")) as url:
            env["DATABASE_URL"] = url
            app = _app(env, migrate=True)
            yield env, app
            with app.app_context():
                db.engine.dispose()


def _app(env, migrate: bool):
    app = create_app(env, {"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    if migrate:
        with app.app_context():
            upgrade()
    return app


def test_a_lead_reaches_every_school_once_through_a_real_worker(stack, tmp_path, mail_sink):
    env, app = stack
    programs = small_catalogue(app, schools=3)
    worker = celery_worker(env, tmp_path)
    try:
        response = app.test_client().post(f"/request-info?program={programs[0]}", data=form_data(app, programs))
        assert response.status_code == 303
        # Three schools (three recipients each, one message per school) and the reader's receipt.
        messages = wait_until(lambda: len(mail_sink.messages()) >= 4 and mail_sink.messages(), 60,
                              message="4 messages in the sink")
        with app.app_context():
            wait_until(lambda: _all_sent(), 30, message="every dispatch marked sent")
            assert {d.status for d in db.session.scalars(sa.select(Delivery))} == {"delivered"}
    finally:
        worker.stop()
    assert len(mail_sink.messages()) == 4, worker.log()[-3000:]
    recipients = sorted(len(rcpts) for _, rcpts in mail_sink.envelopes())
    assert recipients == [1, 3, 3, 3]
    assert len({m["Message-ID"] for m in messages}) == 4


def _all_sent() -> bool:
    db.session.rollback()
    statuses = set(db.session.scalars(sa.select(Dispatch.status)))
    return statuses == {DispatchStatus.SENT}
