"""Request-information form, consent, deliveries, dispatch, receipts and withdrawal."""

from flask import Blueprint

bp = Blueprint("leads", __name__)

from leads import models  # noqa: E402,F401
