"""The load test: 50 panel members against gunicorn and PostgreSQL (see README.md)."""
