"""Who may open what: every back-office view is behind a session and a role."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, redirect, request, url_for
from flask_login import current_user

from admin.models import Role

ADMIN_PREFIX = "/admin"
EVERYONE = frozenset({Role.ADMIN.value, Role.EDITOR.value})
ADMINS = frozenset({Role.ADMIN.value})


def safe_next(target: str | None) -> str | None:
    """`target` if it is a local back-office path, else None (no open redirect)."""
    if not target or "\\" in target or any(ord(ch) < 32 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return None
    path = parts.path
    if not (path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/")):
        return None
    if ".." in path.split("/"):
        return None
    return target


def login_redirect():
    """To the sign-in page, coming back here afterwards when this is a page (a GET)."""
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("admin.login", next=safe_next(target)))


class RoleRequired:
    """Mixed into every Flask-Admin view: signed in, and a role in `roles`."""

    roles: frozenset[str] = ADMINS

    def is_accessible(self) -> bool:
        return current_user.is_authenticated and current_user.role in self.roles

    def inaccessible_callback(self, name, **kwargs):
        if not current_user.is_authenticated:
            return login_redirect()
        abort(403)

    def _run_view(self, fn, *args, **kwargs):
        # Flask-Admin retries a view that raised TypeError with other arguments, which
        # hides the real error; call it once and let errors surface as they are.
        return fn(self, *args, **kwargs)
