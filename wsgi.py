"""gunicorn wsgi:app — and `flask` finds `app` here by itself."""

from core import create_app

app = create_app()
