"""The WSGI entry point of an installed Shortlist: `gunicorn shortlist.wsgi:app`."""

from shortlist import create_app
from shortlist.runtime import tune_gc

app = create_app()
tune_gc()
