"""Reader-facing catalogue: articles, schools, programs, listings, sponsorship, search."""

from flask import Blueprint

bp = Blueprint("listings", __name__)

from listings import models, routes  # noqa: E402,F401  (register models and views on bp)
from listings.impressions import init_counters  # noqa: E402
from listings.positions import install_position_upkeep  # noqa: E402
from listings.search_index import install_search_text_upkeep  # noqa: E402


@bp.record_once
def _on_register(state) -> None:
    install_position_upkeep()
    install_search_text_upkeep()
    init_counters(state.app)
