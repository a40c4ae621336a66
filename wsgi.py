"""gunicorn entry point: `gunicorn wsgi:app`."""

from shortlist import create_app

app = create_app()
