"""gunicorn entry point: `gunicorn wsgi:app`."""

from shortlist import create_app
from shortlist.runtime import tune_gc

app = create_app()
tune_gc()
