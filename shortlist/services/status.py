"""Whether the parts the app depends on answer: the database always, Redis when configured."""

from __future__ import annotations

import logging

from sqlalchemy import text

from shortlist.extensions import db
from shortlist.services.transactions import abandon
from shortlist.worker import redis_url

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 2


def check_dependencies() -> dict[str, str]:
    """``{"database": "ok"|"down"}``, plus ``"redis"`` when REDIS_URL is set."""
    checks = {"database": _database()}
    url = redis_url()
    if url:
        checks["redis"] = _redis(url)
    return checks


def _database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
        return "ok"
    except Exception:  # any failure to answer is "down"; the detail goes to the log only
        log.warning("health check: the database did not answer", exc_info=True)
        abandon()
        return "down"
    finally:
        db.session.remove()


def _redis(url: str) -> str:
    from redis import Redis

    try:
        connection = Redis.from_url(url, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS)
        try:
            connection.ping()
        finally:
            connection.close()
        return "ok"
    except Exception:  # as above
        log.warning("health check: Redis did not answer")
        return "down"
