"""50 panel members reading applications and saving and submitting their scores.

Each simulated member signs in (with the page's CSRF token, as a browser would), then
loops: the scoring queue, an application's scoring page, and a save of that page's
scores (a draft, or, for the applications the member has not submitted yet, one time in
three, the submission). The measured window starts when every member is signed in and
lasts LOAD_SECONDS (60): sign-ins (a deliberately slow scrypt each) are not in it.
"""

from __future__ import annotations

import itertools
import os
import random
import re

import gevent
import gevent.event
from locust import HttpUser, between, events, task

from bench.load.setup_data import APPLICATIONS, CHAIR, MEMBERS, PASSWORD, REFERENCE, member

SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_numbers = itertools.count(1)
_signed_in = {"count": 0}
_everyone_in = gevent.event.Event()
REFERENCES = [f"L{n:04d}" for n in range(1, APPLICATIONS + 1)]


def _token(html: str) -> str:
    found = TOKEN.search(html)
    return found.group(1) if found else ""


class PanelMember(HttpUser):
    wait_time = between(0.5, 1.5)  # a person reads and clicks; not a tight loop

    def on_start(self) -> None:
        number = next(_numbers)
        self.email = member(number) if number <= MEMBERS else CHAIR
        self.submitted: set[str] = set()
        page = self.client.get("/sign-in", name="sign in (page)")
        response = self.client.post("/sign-in", name="sign in", allow_redirects=False,
                                    data={"csrf_token": _token(page.text), "email": self.email,
                                          "password": PASSWORD})
        if response.status_code != 302:
            raise RuntimeError(f"{self.email} could not sign in: {response.status_code}")
        _signed_in["count"] += 1
        if _signed_in["count"] == self.environment.runner.target_user_count:
            self.environment.runner.stats.reset_all()  # the window starts now, for everyone at once
            gevent.spawn_later(SECONDS, self.environment.runner.quit)
            _everyone_in.set()
        _everyone_in.wait()

    @task(2)
    def queue(self) -> None:
        with self.client.get(f"/vacancies/{REFERENCE}/scoring", name="scoring queue", catch_response=True) as r:
            if r.status_code != 200 or "L0001" not in r.text:
                r.failure(f"queue: {r.status_code}")

    @task(5)
    def score(self) -> None:
        ref = random.choice(REFERENCES)
        url = f"/vacancies/{REFERENCE}/scoring/{ref}"
        with self.client.get(url, name="application (read)", catch_response=True) as page:
            if page.status_code != 200:
                page.failure(f"read: {page.status_code}")
                return
        if ref in self.submitted:
            return  # submitted scores are final: reading only
        submitting = random.random() < 1 / 3
        data = {"csrf_token": _token(page.text), "submit" if submitting else "save": "y"}
        for key in ("K1", "K2", "E1", "E2", "D1"):
            data[f"score-{key}"] = str(random.randint(0, 3))
            data[f"note-{key}"] = "Evidence read; " * random.randint(0, 10)
        name = "scores (submit)" if submitting else "scores (save draft)"
        with self.client.post(url, data=data, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code != 302:
                r.failure(f"{name}: {r.status_code}")
            elif submitting:
                self.submitted.add(ref)


@events.quitting.add_listener
def _report(environment, **_kwargs) -> None:  # noqa: ANN001
    total = environment.stats.total
    print(f"\nSigned in: {_signed_in['count']}; window {SECONDS} s")
    print(f"requests {total.num_requests}, failures {total.num_failures}, "
          f"{total.total_rps:.1f} requests/s, p50 {total.get_response_time_percentile(0.5):.0f} ms, "
          f"p95 {total.get_response_time_percentile(0.95):.0f} ms, "
          f"p99 {total.get_response_time_percentile(0.99):.0f} ms")
