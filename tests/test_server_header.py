"""Security review, "decide and document": in production (gunicorn, SHORTLIST_ENV=production)
no response names the server software in a Server header."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorn_in_production_sends_no_server_header(tmp_path: Path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "SHORTLIST_", "FLASK_"))}
    env.update(SHORTLIST_ENV="production", SECRET_KEY="x" * 40, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite'}",
               SHORTLIST_INSTANCE_PATH=str(tmp_path / "instance"))
    port = _free_port()
    server = subprocess.Popen(  # nosec B603
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1", "shortlist.wsgi:app"],
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/sign-in", timeout=5) as response:  # nosec B310
                    headers = response.headers
                    break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)
        assert "Server" not in headers, headers.get("Server")
        assert headers["Content-Type"].startswith("text/html")  # the rest of the response as before
    finally:
        server.terminate()
        server.wait(10)
