"""The WSGI entry point of an installed Shortlist: `gunicorn shortlist.wsgi:app`."""

from shortlist import create_app
from shortlist.runtime import tune_gc
from shortlist.server_header import hide_gunicorn_server_header

app = create_app()
tune_gc()
hide_gunicorn_server_header()
