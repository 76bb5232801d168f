"""Request-information form, consent, deliveries, dispatch, receipts and withdrawal."""

from flask import Blueprint

bp = Blueprint("leads", __name__)

from leads import models, routes  # noqa: E402,F401  (register models and views on bp)
from leads.health import oldest_pending_dispatch  # noqa: E402


@bp.record_once
def _register_health(state) -> None:
    from core.health import register_health_check

    register_health_check(state.app, "dispatches", oldest_pending_dispatch)
