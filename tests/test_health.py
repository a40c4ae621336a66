"""/health tells a load balancer whether this server can serve: the database, and Redis when
the app is configured to use it. Down is 503, naming the part but never an address or error."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask

from shortlist import create_app
from tests.app_fixtures import TEST_SECRET


def _closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _other_app(app: Flask, **config: Any) -> Iterator[Any]:
    other = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                        "SECRET_KEY": TEST_SECRET, "TESTING": True, **config})
    with other.app_context():
        try:
            yield other.test_client()
        finally:  # its own engine: close its connections now, not when collected
            from shortlist.extensions import db

            db.engine.dispose()


def test_healthy_with_the_database_answering(client: Any) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_a_database_that_does_not_answer_is_503(app: Flask) -> None:
    url = f"postgresql+psycopg://nobody@127.0.0.1:{_closed_port()}/nothing?connect_timeout=2"
    with _other_app(app, SQLALCHEMY_DATABASE_URI=url) as client:
        response = client.get("/health")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "down"}
    assert b"127.0.0.1" not in response.data and b"nobody" not in response.data


def test_redis_is_checked_when_configured(app: Flask) -> None:
    with _other_app(app, REDIS_URL=f"redis://127.0.0.1:{_closed_port()}/0") as client:
        response = client.get("/health")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "ok", "redis": "down"}

    with _other_app(app, REDIS_URL="redis://127.0.0.1:6379/0") as client:  # the machine's Redis
        response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "redis": "ok"}


def test_the_shortlist_command_reads_a_dot_env_file(tmp_path: Any) -> None:
    """Settings in a .env file in the folder it runs from, as Flask's own command reads them;
    an installed app finds its settings where its users keep them."""
    import os
    import subprocess  # nosec B404 - the project's own command
    import sys

    database = tmp_path / "from-dotenv.db"
    (tmp_path / ".env").write_text(f"DATABASE_URL=sqlite:///{database}\nSHORTLIST_INSTANCE_PATH={tmp_path / 'inst'}\n")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SHORTLIST_INSTANCE_PATH"}}
    result = subprocess.run(  # nosec B603
        [sys.executable, "-c", "from shortlist.cli import main; main()", "db", "upgrade"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert database.exists() and (tmp_path / "inst" / "secret_key").exists()
