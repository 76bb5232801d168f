"""Celery only: thin named tasks that take ids and call services in leads/ and listings/."""
