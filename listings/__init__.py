"""Reader-facing catalogue: articles, schools, programs, listings, sponsorship, search."""

from flask import Blueprint

bp = Blueprint("listings", __name__)

from listings import models, routes  # noqa: E402,F401  (register models and views on bp)
from listings.positions import install_position_upkeep  # noqa: E402

bp.record_once(lambda _state: install_position_upkeep())
