"""Back-office housekeeping tasks: thin, named; the work is in admin/."""

from __future__ import annotations

from celery import shared_task

from admin.throttle import purge_attempts


@shared_task(name="admin.purge_login_attempts", ignore_result=True)
def purge_login_attempts() -> int:
    """Delete login attempts older than any throttling rule looks at."""
    return purge_attempts()
