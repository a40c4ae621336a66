"""gunicorn entry point from a checkout: `gunicorn wsgi:app` (installed: `shortlist.wsgi:app`)."""

from shortlist.wsgi import app  # noqa: F401
