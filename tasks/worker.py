"""The worker's entry: `celery -A tasks.worker worker` and `celery -A tasks.worker beat`.

It builds the Flask app (so every task runs in its app context), exposes its Celery
app, and imports every task module so the worker never meets an unregistered task."""

from celery.signals import worker_process_init

import tasks.admin  # noqa: F401  (registers admin.* tasks)
import tasks.leads  # noqa: F401  (registers leads.* tasks)
import tasks.listings  # noqa: F401  (registers listings.* tasks)
from core import create_app
from core.extensions import db
from tasks.schedule import beat_schedule

flask_app = create_app()
celery = flask_app.extensions["celery"]
celery.conf.beat_schedule = beat_schedule(flask_app.config)


@worker_process_init.connect
def _fresh_connections_per_child(**_kwargs) -> None:
    # A forked child must not share the parent's database connections.
    with flask_app.app_context():
        db.engine.dispose()
