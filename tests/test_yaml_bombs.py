"""Security review finding 3: a few hundred bytes of YAML whose aliases nest nine deep
(each level nine copies of the one before: 9**9 strings once expanded) are refused with
the line of the first anchor, in bounded time and memory, by the campaign loader and by
application import (both read files through shortlist.campaign_format.parse). Anchors and
aliases are refused anywhere in an uploaded or loaded file."""

from __future__ import annotations

import multiprocessing
import resource
import time
import tracemalloc
from typing import Any

import pytest

from shortlist import campaign_format as cf
from shortlist.models import Role
from tests.app_fixtures import login
from tests.factories import HR, campaign_dict, load, make_user, to_yaml

LEVELS = 9
TIME_LIMIT = 5.0  # seconds, wall clock, in a child process that is killed past it
MEMORY_LIMIT = 256 * 1024 * 1024  # bytes the child may add to its address space


def bomb(levels: int = LEVELS) -> str:
    """The classic "billion laughs" in YAML: level n is a list of nine aliases of level n-1."""
    lines = ["vacancy:", '  l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, levels):
        lines.append(f"  l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def _parse_in_child(text: str, out: Any) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm") as f:
        used = int(f.read().split()[0]) * resource.getpagesize()
    resource.setrlimit(resource.RLIMIT_AS, (used + MEMORY_LIMIT, hard))
    tracemalloc.start()
    started = time.process_time()
    try:
        cf.parse(text)
    except cf.CampaignError as exc:
        result = [str(p) for p in exc.problems]
    except MemoryError:
        result = ["MemoryError"]
    else:
        result = []
    peak = tracemalloc.get_traced_memory()[1]
    out.send((result, time.process_time() - started, peak))


def parse_bounded(text: str) -> tuple[list[str], float, int]:
    """cf.parse(text) in a child process limited in time and memory: (problems, seconds, peak bytes)."""
    ctx = multiprocessing.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_parse_in_child, args=(text, send))
    child.start()
    child.join(TIME_LIMIT)
    if child.is_alive():
        child.kill()
        child.join()
        pytest.fail(f"parsing a {len(text)}-byte file with {LEVELS} levels of aliases took more than {TIME_LIMIT} s")
    assert receive.poll(), f"the child died (exit code {child.exitcode}): out of its {MEMORY_LIMIT >> 20} MB?"
    return receive.recv()


def test_an_alias_bomb_is_refused_quickly_naming_its_line():
    text = bomb()
    assert len(text.encode()) < 1024
    problems, seconds, peak = parse_bounded(text)
    assert problems and problems != ["MemoryError"], problems
    assert any("line 2" in p and "anchor" in p for p in problems), problems
    assert seconds < 1.0 and peak < 8 * 1024 * 1024, (seconds, peak)


@pytest.mark.parametrize(("snippet", "line", "word"), [
    ("  title: &t Family Therapist\n  department: *t\n", 3, "anchor"),  # an anchor, used once
    ("  title: &t Family Therapist\n", 3, "anchor"),  # an anchor alone
    ("  department: *t\n", 3, "alias"),  # an alias to nothing
    ("  <<: *base\n", 3, "alias"),  # a merge key
])
def test_any_anchor_or_alias_is_refused_with_its_line(snippet, line, word):
    text = "vacancy:\n  reference: X-1\n" + snippet
    with pytest.raises(cf.CampaignError) as refused:
        cf.parse(text)
    assert any(p.line == line and word in p.message for p in refused.value.problems), refused.value.problems


@pytest.mark.parametrize("text", [
    "I led R&D at *two* trusts & one council; marks: *, &, &amp.",
    "*starred* from the first word",
])
def test_ampersands_and_asterisks_inside_text_are_still_text(text):
    data = campaign_dict()
    data["applications"][0]["evidence"]["K1"] = text
    parsed = cf.parse(to_yaml(data))
    assert parsed.applications[0].evidence["K1"] == text


def test_the_application_import_refuses_an_alias_bomb(client, app):
    make_user(HR, Role.HR_ADMIN)
    load(campaign_dict())
    login(client, HR)
    body = bomb().replace("vacancy:", "vacancy:\n  reference: TST-01", 1) + "applications: []\n"
    import io

    started = time.process_time()
    tracemalloc.start()
    response = client.post("/vacancies/TST-01/applications/import",
                           data={"file": (io.BytesIO(body.encode()), "bomb.yaml")},
                           content_type="multipart/form-data")
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    seconds = time.process_time() - started
    assert response.status_code == 200
    assert "anchor" in response.get_data(as_text=True)
    assert seconds < 2.0 and peak < 32 * 1024 * 1024, (seconds, peak)
