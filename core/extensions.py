"""Flask extensions, created unbound; `create_app` binds them (see core/__init__.py)."""

from __future__ import annotations

from flask import request
from flask_bootstrap import Bootstrap5
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

from core.models import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
csrf = CSRFProtect()
login_manager = LoginManager()
mail = Mail()
cache = Cache()
bootstrap = Bootstrap5()


def _client_address() -> str:
    # ProxyFix (TRUSTED_PROXIES hops) has already put the client's address here.
    return get_remote_address() or request.remote_addr or "unknown"


# No default limits: each view that needs one names it. Storage errors are swallowed
# (RATELIMIT_SWALLOW_ERRORS) so a Redis outage never fails a request.
limiter = Limiter(key_func=_client_address, default_limits=[])
