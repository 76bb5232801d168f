"""Delivery tasks: thin, named, taking ids; the work is in leads/."""

from __future__ import annotations

from celery import shared_task

from leads.dispatch import run_dispatch
from leads.relay import relay_all
from leads.withdrawal import erase_expired_leads


@shared_task(name="leads.dispatch", ignore_result=True)
def dispatch(dispatch_id: int) -> str:
    """Send one dispatch (claim, send, mark); failures are recorded for the relay, not retried here."""
    return run_dispatch(dispatch_id)


@shared_task(name="leads.relay", ignore_result=True)
def relay() -> int:
    """Enqueue the dispatches that are due and not in the broker."""
    return relay_all()


@shared_task(name="leads.erase_expired", ignore_result=True)
def erase_expired() -> int:
    """Retention: erase the personal fields of leads past LEAD_RETENTION_DAYS."""
    total = 0
    while count := erase_expired_leads():
        total += count
    return total
