"""Hand dispatch ids to the workers, after the commit that created them.

By task name (leads/ never imports tasks/), with publish retries off and sub-second
socket timeouts: when the broker is down the reader's page still answers at once, the
rows stay un-enqueued, and the relay sends them later. Nothing is lost either way."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import current_app

from core.extensions import db
from core.models import utcnow
from leads.models import Dispatch

log = logging.getLogger(__name__)

DISPATCH_TASK = "leads.dispatch"


def enqueue(dispatch_ids: list[int]) -> list[int]:
    """Publish one dispatch task per id; returns the ids the broker accepted."""
    celery_app = current_app.extensions["celery"]
    accepted: list[int] = []
    for dispatch_id in dispatch_ids:
        try:
            celery_app.send_task(DISPATCH_TASK, args=[dispatch_id], retry=False)
        except Exception as error:  # any broker failure: leave the rest to the relay
            log.warning("broker unavailable (%s); %d dispatch(es) left for the relay",
                        type(error).__name__, len(dispatch_ids) - len(accepted))
            break
        accepted.append(dispatch_id)
    return accepted


def hand_off(dispatch_ids: list[int]) -> None:
    """Enqueue freshly committed dispatches and note which ones the broker took."""
    if not dispatch_ids:
        return
    accepted = enqueue(dispatch_ids)
    if accepted:
        mark_enqueued(accepted)


def mark_enqueued(dispatch_ids: list[int]) -> None:
    try:
        db.session.execute(
            sa.update(Dispatch).where(Dispatch.id.in_(dispatch_ids)).values(enqueued_at=utcnow())
        )
        db.session.commit()
    except Exception:  # a missed mark only means the relay may enqueue it once more
        db.session.rollback()
        log.warning("could not mark %d dispatch(es) enqueued", len(dispatch_ids), exc_info=True)
