"""The worker's entry: `celery -A tasks.worker worker` and `celery -A tasks.worker beat`.

It builds the Flask app (so every task runs in its app context), exposes its Celery
app, and imports every task module so the worker never meets an unregistered task."""

from celery.signals import worker_process_init

from core import create_app
from core.extensions import db

flask_app = create_app()
celery = flask_app.extensions["celery"]


@worker_process_init.connect
def _fresh_connections_per_child(**_kwargs) -> None:
    # A forked child must not share the parent's database connections.
    with flask_app.app_context():
        db.engine.dispose()

import tasks.listings  # noqa: E402,F401  (registers listings.* tasks)
from tasks.schedule import BEAT_SCHEDULE  # noqa: E402

celery.conf.beat_schedule = BEAT_SCHEDULE
