"""The sift load test (issue 19): ``.venv/bin/python -m bench.sift_load``.

Gunicorn serving the real app (``wsgi:app``, as in production) on a free port of
127.0.0.1, on PostgreSQL, with a generated campaign of N applications (default 20,000 x
12 criteria) shared among a sift pool of S sifters (default 100, two sifters an
application), each sifter having declared their conflicts. Then, for each number of
users (default 50, then 100), that many sifters, each in their own signed-in session,
do the sift flow for ``--seconds`` (60), pausing ``--think`` (0.5 to 1.5 s) between
clicks as a person would:

1. open their queue, filtered to what they have not started (``?status=not_started``);
2. open one of those applications (its scoring page);
3. score every criterion (and mark any employment gap) and save: a draft, or one time
   in three the submission; the redirect is followed to the page saved, as a browser does.

Sign-ins (the password's deliberate scrypt) happen before the window. Any answer other
than 200 for a page and 302 for a save, a page without what it should show, or a
connection error counts as an error, and so does every traceback in gunicorn's log.
Prints throughput, p50/p95/p99 latency and errors, per request and in all, the runs side
by side; writes them to bench/results/sift-load-<time>.json. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench.run import POSTGRES_URL, RESULTS, _ensure_postgres_database, _fresh_schema

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = "SIFT-LOAD"
PASSWORD = "sift-load-passphrase-2026"
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
GAP = re.compile(r'name="gap-(\d{4}-\d{2})"')


# --------------------------------------------------------------------------- the campaign


def prepare(url: str, n: int, criteria: int, sifters: int) -> dict[str, Any]:
    """A fresh schema and the campaign: loaded, allocated, every sifter with a password and
    their conflicts declared (none). Returns what it took."""
    from sqlalchemy import select

    from bench import generate
    from bench.sift import SIFTER, campaign
    from shortlist import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-only-not-a-secret"})
    _fresh_schema(app)
    timings: dict[str, float] = {}
    with app.app_context():
        from shortlist.cli import load_file
        from shortlist.extensions import db
        from shortlist.models import Role, User, Vacancy
        from shortlist.services import audit, panel, sift, users

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "campaign.yaml"
            path.write_text(generate.to_yaml(campaign(n, criteria, sifters, REFERENCE)), encoding="utf-8")
            started = time.perf_counter()
            load_file(path)
            timings["load_s"] = time.perf_counter() - started
        users.upsert_user(generate.HR, "Bench HR", Role.HR_ADMIN, None, audit.CLI)
        hr = db.session.scalar(select(User).where(User.email == generate.HR))
        vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == REFERENCE))
        started = time.perf_counter()
        sift.allocate(vacancy, hr)
        timings["allocate_s"] = time.perf_counter() - started
        hashed = users.make_hash(PASSWORD)  # the same password for everyone: hashed once
        emails = [SIFTER.format(i) for i in range(1, sifters + 1)]
        for user in db.session.scalars(select(User).where(User.email.in_(emails))):
            user.password_hash = hashed
        db.session.commit()
        started = time.perf_counter()
        for email in emails:
            vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == REFERENCE))
            user = db.session.scalar(select(User).where(User.email == email))
            panel.declare_conflicts(vacancy, user, {a.token: ("no", "")
                                                    for a in panel.applicants_for_declaration(vacancy, user)})
        timings["declare_s"] = time.perf_counter() - started
    return timings


# --------------------------------------------------------------------------- gunicorn


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_gunicorn(url: str, port: int, workers: int, log: Path, instance: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "sift-load-secret-key-not-for-production",
           "SHORTLIST_INSTANCE_PATH": str(instance),
           "LOGIN_THROTTLE_ADDRESS_LIMIT": "100000",  # every simulated sifter signs in from 127.0.0.1
           "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--access-logfile", "/dev/null", "--error-logfile", str(log), "wsgi:app"],
        cwd=ROOT, env=env, start_new_session=True)
    for _ in range(300):
        try:
            status, _h, _b = _request(port, "GET", "/health", {})
            if status == 200:
                return process
        except OSError:
            pass
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped: see {log}")
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /health")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)  # its own session: the master and its workers
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# --------------------------------------------------------------------------- the sifters


def _request(port: int, method: str, path: str, cookies: dict[str, str], form: dict[str, str] | None = None,
             ) -> tuple[int, http.client.HTTPMessage, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        headers = {"Host": f"127.0.0.1:{port}"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                cookies[name] = morsel.value
        return response.status, response.headers, text
    finally:
        conn.close()


@dataclass
class Sample:
    name: str
    started: float
    ms: float
    ok: bool


@dataclass
class Sifter:
    port: int
    email: str
    think: tuple[float, float]
    cookies: dict[str, str] = field(default_factory=dict)
    samples: list[Sample] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def sign_in(self) -> None:
        _s, _h, page = _request(self.port, "GET", "/sign-in", self.cookies)
        status, _h, _b = _request(self.port, "POST", "/sign-in", self.cookies,
                                  {"csrf_token": _token(page), "email": self.email, "password": PASSWORD})
        if status != 302:
            raise RuntimeError(f"{self.email} could not sign in: {status}")

    def _timed(self, name: str, method: str, path: str, expect: int, form: dict[str, str] | None = None,
               must_have: str = "") -> tuple[int, Any, str] | None:
        started = time.perf_counter()
        try:
            status, headers, text = _request(self.port, method, path, self.cookies, form)
        except OSError as exc:
            self.samples.append(Sample(name, started, 1000 * (time.perf_counter() - started), False))
            self.problems.append(f"{name}: {exc}")
            return None
        ok = status == expect and (not must_have or must_have in text)
        self.samples.append(Sample(name, started, 1000 * (time.perf_counter() - started), ok))
        if not ok:
            self.problems.append(f"{name} {path}: {status}")
            return None
        return status, headers, text

    def warm(self) -> None:
        """One queue and one application, not measured: each worker's first pages (templates
        compiled, connections opened) are not what a sifter waits for all day."""
        base = f"/vacancies/{REFERENCE}/scoring"
        _s, _h, queue = _request(self.port, "GET", f"{base}?status=not_started", self.cookies)
        references = sorted(set(re.findall(rf"{base}/([A-Za-z0-9-]+)", queue)))
        if references:
            _request(self.port, "GET", f"{base}/{references[0]}", self.cookies)

    def pause(self) -> None:
        time.sleep(random.uniform(*self.think))

    def run(self, until: float) -> None:
        base = f"/vacancies/{REFERENCE}/scoring"
        while time.perf_counter() < until:
            got = self._timed("queue (not started)", "GET", f"{base}?status=not_started", 200)
            self.pause()
            if got is None or time.perf_counter() >= until:
                continue
            references = sorted(set(re.findall(rf"{base}/([A-Za-z0-9-]+)", got[2])))
            if not references:
                self.problems.append("queue: nothing left to score")
                continue
            reference = random.choice(references[:10])
            page = self._timed("application (read)", "GET", f"{base}/{reference}", 200, must_have=reference)
            self.pause()
            if page is None or time.perf_counter() >= until:
                continue
            submitting = random.random() < 1 / 3
            form = {"csrf_token": _token(page[2]), "submit" if submitting else "save": "y"}
            for key in sorted(set(re.findall(r'name="score-([A-Za-z0-9_]+)"', page[2]))):
                form[f"score-{key}"] = str(random.randint(0, 3))
                form[f"note-{key}"] = "Evidence read; " * random.randint(0, 6)
            for start in sorted(set(GAP.findall(page[2]))):
                form[f"gap-{start}"] = random.choice(("explained", "explore"))
            name = "save (submit)" if submitting else "save (draft)"
            saved = self._timed(name, "POST", f"{base}/{reference}", 302, form)
            if saved is None:
                continue
            location = saved[1].get("Location", "")
            self._timed("application (after saving)", "GET", location.split("127.0.0.1:" + str(self.port))[-1]
                        or f"{base}/{reference}", 200, must_have="saved" if not submitting else "submitted")
            self.pause()


def _token(html: str) -> str:
    found = TOKEN.search(html)
    return found.group(1) if found else ""


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p * len(ordered) + 0.5) - 1))]


def summarise(samples: list[Sample], seconds: float) -> dict[str, Any]:
    def stats(chosen: list[Sample]) -> dict[str, Any]:
        times = [s.ms for s in chosen]
        return {"requests": len(chosen), "errors": sum(1 for s in chosen if not s.ok),
                "per_s": len(chosen) / seconds, "p50": percentile(times, 0.50), "p95": percentile(times, 0.95),
                "p99": percentile(times, 0.99), "mean": statistics.fmean(times) if times else 0.0}

    names = sorted({s.name for s in samples})
    return {"all": stats(samples), "by_request": {name: stats([s for s in samples if s.name == name])
                                                  for name in names}}


def run_users(sifters: list[Sifter], seconds: float) -> dict[str, Any]:
    for s in sifters:
        s.samples.clear()
        s.problems.clear()
    started = time.perf_counter()
    until = started + seconds
    threads = [threading.Thread(target=s.run, args=(until,), daemon=True) for s in sifters]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    samples = [x for s in sifters for x in s.samples]
    out = summarise(samples, elapsed)
    out["users"] = len(sifters)
    out["seconds"] = elapsed
    out["problems"] = [p for s in sifters for p in s.problems][:20]
    return out


def sign_in_all(sifters: list[Sifter]) -> float:
    """Every sifter signs in (and warms up), eight at a time: outside the measured window."""
    started = time.perf_counter()
    pending = list(sifters)
    lock = threading.Lock()

    def work() -> None:
        while True:
            with lock:
                if not pending:
                    return
                s = pending.pop()
            s.sign_in()
            s.warm()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started


# --------------------------------------------------------------------------- the report


def report(results: dict[str, Any]) -> str:
    runs = results["runs"]
    head = " | ".join(f"{r['users']} users" for r in runs)
    lines = [f"**{results['database']}**, {results['n']:,} applications x {results['criteria']} criteria, "
             f"a pool of {results['sifters']} sifters, gunicorn {results['workers']} sync workers, "
             f"{results['seconds']:.0f} s a run, {results['think'][0]}-{results['think'][1]} s between clicks; "
             f"load average before {results['load_before'][0]:.1f}, after {results['load_after'][0]:.1f} "
             f"on {os.cpu_count()} CPUs", "",
             f"| request: requests / errors / per s / p50 / p95 / p99 ms | {head} |",
             "|---|" + "---|" * len(runs)]
    names = sorted({name for r in runs for name in r["by_request"]}) + ["all"]
    for name in names:
        cells = []
        for r in runs:
            s = r["all"] if name == "all" else r["by_request"].get(name)
            cells.append("–" if s is None else
                         f"{s['requests']:,} / {s['errors']} / {s['per_s']:.1f} / {s['p50']:.0f} / "
                         f"{s['p95']:.0f} / {s['p99']:.0f}")
        lines.append(f"| {'**all**' if name == 'all' else name} | " + " | ".join(cells) + " |")
    lines.append("")
    for r in runs:
        lines.append(f"- {r['users']} users: {r['all']['errors']} errors, {r['server_errors']} tracebacks in "
                     f"gunicorn's log" + (f"; first problems: {r['problems'][:3]}" if r["problems"] else ""))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sift_load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", POSTGRES_URL),
                        help="PostgreSQL (its data is replaced unless --reuse)")
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--criteria", type=int, default=12)
    parser.add_argument("--sifters", type=int, default=100)
    parser.add_argument("--users", default="50,100", help="the runs' numbers of users, e.g. 50,100")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--think", default="0.5,1.5", help="seconds between clicks: least,most")
    parser.add_argument("--reuse", action="store_true", help="keep the campaign a previous run loaded")
    args = parser.parse_args(argv)
    url = args.database_url
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    if not url.startswith("postgresql"):
        parser.error("the load test runs on PostgreSQL (--database-url postgresql://...)")
    counts = [int(x) for x in args.users.split(",")]
    if max(counts) > args.sifters:
        parser.error("--users: at most one user a sifter")
    think = tuple(float(x) for x in args.think.split(","))
    _ensure_postgres_database(url)
    results: dict[str, Any] = {"n": args.n, "criteria": args.criteria, "sifters": args.sifters,
                               "workers": args.workers, "seconds": args.seconds, "think": think, "runs": []}
    if not args.reuse:
        results["prepare"] = prepare(url, args.n, args.criteria, args.sifters)
        print(f"prepared: {results['prepare']}", file=sys.stderr)
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.connect():  # the server version is read on connecting
        results["database"] = f"{engine.dialect.name} {engine.dialect.server_version_info}"
    engine.dispose()
    from bench.sift import SIFTER

    with tempfile.TemporaryDirectory(prefix="shortlist-sift-load-") as tmp:
        log = Path(tmp) / "gunicorn.log"
        instance = Path(tmp) / "instance"
        port = free_port()
        server = start_gunicorn(url, port, args.workers, log, instance)
        try:
            sifters = [Sifter(port, SIFTER.format(i), think) for i in range(1, max(counts) + 1)]
            print(f"gunicorn on 127.0.0.1:{port}; signing in {len(sifters)} sifters", file=sys.stderr)
            results["sign_in_s"] = sign_in_all(sifters)
            results["load_before"] = os.getloadavg()
            for users in counts:
                before = log.read_text(errors="replace").count("Traceback")
                run = run_users(sifters[:users], args.seconds)
                run["server_errors"] = log.read_text(errors="replace").count("Traceback") - before
                results["runs"].append(run)
                a = run["all"]
                print(f"  {users} users: {a['requests']} requests, {a['errors']} errors, {a['per_s']:.1f}/s, "
                      f"p50 {a['p50']:.0f} ms, p95 {a['p95']:.0f} ms", file=sys.stderr)
            results["load_after"] = os.getloadavg()
        finally:
            stop(server)
    print(report(results))
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"sift-load-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"\nWrote {out}", file=sys.stderr)
    failed = any(r["all"]["errors"] or r["server_errors"] for r in results["runs"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
