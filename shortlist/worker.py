"""The worker: work done off the request path, inside the app.

Any job is a module-level function and its arguments, handed to `enqueue`: with
``REDIS_URL`` set, an RQ queue (``shortlist worker`` or ``rq worker`` processes, on any
machine that reaches the database, take the jobs); without it, one worker thread in this
process. Either way the function runs inside the app (`run_in_app`, which makes one with the
app factory for an RQ worker started outside any app). The jobs themselves are services:
documents (`shortlist.services.jobs`) and e-mail deliveries (`shortlist.services.outbox`).
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import Flask, current_app, has_app_context

from shortlist.extensions import db

log = logging.getLogger(__name__)

DEFAULT_QUEUE = "shortlist-documents"
DEFAULT_TIMEOUT = timedelta(minutes=10)


def run_in_app(func: Callable[..., Any], *args: Any) -> None:
    """Run a job inside the app: the current one (a worker thread, a test, the CLI), or one
    made for this process (an RQ worker started outside any app)."""
    if has_app_context():
        func(*args)
        return
    with _worker_app().app_context():
        try:
            func(*args)
        finally:
            db.session.remove()


_worker_apps: dict[int, Flask] = {}


def _worker_app() -> Flask:
    """The app for a job that an RQ worker runs outside any app (one per process)."""
    pid = os.getpid()
    if pid not in _worker_apps:
        from shortlist import create_app

        _worker_apps[pid] = create_app()
    return _worker_apps[pid]


# --------------------------------------------------------------------------- workers


def redis_url() -> str | None:
    return current_app.config.get("REDIS_URL") or os.environ.get("REDIS_URL") or None


def queue_name() -> str:
    return current_app.config.get("SHORTLIST_JOB_QUEUE") or os.environ.get("SHORTLIST_JOB_QUEUE") or DEFAULT_QUEUE


def rq_queue() -> Any:
    """The RQ queue named by the configuration (REDIS_URL set), else None."""
    url = redis_url()
    if not url:
        return None
    from redis import Redis
    from rq import Queue

    return Queue(queue_name(), connection=Redis.from_url(url))


def enqueue(func: Callable[..., Any], *args: Any, description: str,
            timeout: timedelta = DEFAULT_TIMEOUT) -> None:
    """Run ``func(*args)`` in the app, off the request path: on the RQ queue when REDIS_URL
    is set, else on this process's worker thread. ``func`` must be a module-level function."""
    rq = rq_queue()
    if rq is not None:
        rq.enqueue(run_in_app, func, *args, job_timeout=int(timeout.total_seconds()), result_ttl=0,
                   failure_ttl=24 * 3600, description=description)
        return
    _thread_worker(current_app._get_current_object()).put(func, args)  # type: ignore[attr-defined]


class _ThreadWorker:
    """One background thread per app and process: the embedded default, no Redis needed."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.jobs: queue.Queue[tuple[Callable[..., Any], tuple[Any, ...]]] = queue.Queue()
        self.thread = threading.Thread(target=self._loop, name="shortlist-jobs", daemon=True)
        self.thread.start()

    def put(self, func: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self.jobs.put((func, args))

    def _loop(self) -> None:
        while True:
            func, args = self.jobs.get()
            try:
                with self.app.app_context():
                    try:
                        func(*args)
                    finally:
                        db.session.remove()
            except Exception:
                log.exception("worker thread: job %s%r", getattr(func, "__name__", func), args)
            finally:
                self.jobs.task_done()

    def drain(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while self.jobs.unfinished_tasks:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True


_workers: dict[int, _ThreadWorker] = {}
_workers_lock = threading.Lock()


def _thread_worker(app: Flask) -> _ThreadWorker:
    with _workers_lock:
        worker = _workers.get(id(app))
        if worker is None or not worker.thread.is_alive():
            worker = _workers[id(app)] = _ThreadWorker(app)
        return worker


def drain(timeout: float = 120.0) -> bool:
    """Wait until this process's worker thread has nothing left to do (tests, the CLI)."""
    worker = _workers.get(id(current_app._get_current_object()))  # type: ignore[attr-defined]
    return True if worker is None else worker.drain(timeout)
