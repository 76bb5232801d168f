"""Celery wiring: one Celery app per Flask app, every task run inside an app context.

The broker is Redis when REDIS_URL (or CELERY_BROKER_URL) is set; otherwise kombu's
filesystem transport under instance/broker, so `make run` needs no Redis.
"""

from __future__ import annotations

from pathlib import Path

from celery import Celery, Task
from flask import Flask

# The hard limit bounds one dispatch (SMTP + webhook timeouts are far below it); the
# visibility timeout is a few times that, so Redis re-delivers an unacknowledged task
# only when its worker really died.
TASK_SOFT_TIME_LIMIT = 60
TASK_TIME_LIMIT = 90
VISIBILITY_TIMEOUT = TASK_TIME_LIMIT * 4


def celery_config(app: Flask) -> dict:
    """Celery settings derived from the Flask config."""
    broker_url = app.config.get("CELERY_BROKER_URL")
    settings: dict = {
        "task_ignore_result": True,
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        "worker_prefetch_multiplier": 1,
        "task_soft_time_limit": TASK_SOFT_TIME_LIMIT,
        "task_time_limit": TASK_TIME_LIMIT,
        "timezone": "UTC",
        "enable_utc": True,
        "worker_hijack_root_logger": False,
        "broker_connection_retry_on_startup": True,
        "beat_schedule_filename": str(Path(app.instance_path) / "celerybeat-schedule"),
    }
    if broker_url:
        settings["broker_url"] = broker_url
        if broker_url.startswith(("redis://", "rediss://")):
            settings["broker_transport"] = "core.broker:FailFastRedisTransport"
        settings["broker_transport_options"] = {
            "visibility_timeout": VISIBILITY_TIMEOUT,
            "socket_timeout": 0.5,
            "socket_connect_timeout": 0.5,
            # A publish tries once: the web must answer at once, and the relay retries.
            # (The worker's consumer reconnects under broker_connection_retry instead.)
            "max_retries": 0,
        }
    else:
        folder = Path(app.instance_path) / "broker"
        for sub in ("queue", "processed", "control"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        settings["broker_url"] = "filesystem://"
        settings["broker_transport_options"] = {
            "data_folder_in": str(folder / "queue"),
            "data_folder_out": str(folder / "queue"),
            "processed_folder": str(folder / "processed"),
            "control_folder": str(folder / "control"),
            "store_processed": False,
            "polling_interval": 0.2,
        }
    if app.config.get("CELERY_TASK_QUEUE"):
        # Lets runs that share one Redis (tests, staging beside production) keep apart.
        settings["task_default_queue"] = app.config["CELERY_TASK_QUEUE"]
    settings.update(app.config.get("CELERY", {}))
    return settings


def celery_init_app(app: Flask) -> Celery:
    """Create the Celery app bound to `app` and keep it in app.extensions["celery"]."""

    class FlaskTask(Task):
        def __call__(self, *args: object, **kwargs: object) -> object:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.import_name, task_cls=FlaskTask)
    celery_app.config_from_object(celery_config(app))
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app
