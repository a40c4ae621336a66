"""docs/api.md's curl examples work against the demo (issue 18): every `curl` command in it is
run, in order, with curl itself, against the app served on a local port with `shortlist demo`'s
data and a token made as the page says (Kent County Council, the scopes it names)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from tests.api_helpers import token
from tests.app_fixtures import ROOT

DOC = ROOT / "docs" / "api.md"


def commands() -> list[str]:
    """The curl commands of the doc's sh blocks, continuation lines joined."""
    blocks = re.findall(r"```sh\n(.*?)```", DOC.read_text(), re.S)
    text = "\n".join(blocks).replace("\\\n", " ")
    return [line.strip() for line in text.splitlines() if line.strip().startswith("curl ")]


@pytest.fixture
def served(app, demo_data) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def run(command: str, base: str, value: str) -> tuple[int, object]:
    out = subprocess.run(["bash", "-c", command + " -w '\\n%{http_code}'"], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, env={**os.environ, "SHORTLIST": base, "TOKEN": value})
    body, _, code = out.stdout.rpartition("\n")
    return int(code), json.loads(body)


def test_every_curl_example_works_against_the_demo(served):
    value = token("vacancies:read", "vacancies:write", "applications:write", "decisions:read",
                  organisation="Kent County Council", name="Docs example")
    found = commands()
    assert len(found) == 5, found
    answers = []
    for command in found:
        code, body = run(command, served, value)
        assert code in (200, 201), (command, body)
        answers.append(body)
        if "POST" in command:  # the doc sends the batch again: nothing changes
            code, again = run(command, served, value)
            assert code == 200 and again["created"] == 0 and again["existing"] == 50, again
    listed, pushed, recommended, status, created = answers
    assert "KCC-ST-01" in [v["reference"] for v in listed["items"]]
    assert pushed["created"] == 50 and pushed["existing"] == 0
    assert len(recommended["items"]) == 20 and recommended["next_cursor"]
    assert all(r["reasons"] is not None and r["outcome"] for r in recommended["items"])
    assert status["reference"] == "KCC-ST-01" and status["panel_progress"]
    assert created == {"reference": "KCC-API-01", "created": True}
