"""Documents made off the request path (with progress, kept for download), on the worker
(`shortlist.worker`: an RQ queue with ``REDIS_URL`` set, else a thread in this process).

A request creates a `GeneratedDocument` row (queued) and hands its id to a worker:
with ``REDIS_URL`` set, an RQ queue (``shortlist worker`` or ``rq worker`` processes,
on any machine that reaches the database, take the jobs); without it, one worker thread
in this process. The job builds the document again from the data as it is then, renders
it page by page (the row's ``progress``), and stores the file with the fingerprint of
what it says. A file whose fingerprint is no longer the current one is out of date: it
is never served, and asking for it makes a new one.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from sqlalchemy import delete, or_, select, update

from shortlist import worker
from shortlist.extensions import db
from shortlist.models import GeneratedDocument, User, Vacancy
from shortlist.models.base import utcnow
from shortlist.packs import render
from shortlist.services import audit
from shortlist.services import packs as documents
from shortlist.services.packs import DocumentRefused, DocumentSpec
from shortlist.services.transactions import abandon, transaction

log = logging.getLogger(__name__)

STALE_AFTER = timedelta(minutes=10)  # a queued or running job with no news for this long has died


def spec_of(doc: GeneratedDocument) -> DocumentSpec:
    return DocumentSpec(doc.kind, doc.candidate_reference or "", doc.member_id)


def latest(vacancy: Vacancy, spec: DocumentSpec) -> GeneratedDocument | None:
    """The newest document of this kind and variant."""
    query = select(GeneratedDocument).where(
        GeneratedDocument.vacancy_id == vacancy.id, GeneratedDocument.kind == spec.kind,
        GeneratedDocument.candidate_reference == (spec.candidate or ""))
    query = query.where(GeneratedDocument.member_id.is_(None) if spec.member_id is None
                        else GeneratedDocument.member_id == spec.member_id)
    return db.session.scalar(query.order_by(GeneratedDocument.id.desc()).limit(1))


def is_live(doc: GeneratedDocument) -> bool:
    """Queued or running, and heard from recently."""
    return doc.status in ("queued", "running") and doc.updated_at > utcnow() - STALE_AFTER


def state(doc: GeneratedDocument | None, fingerprint: str) -> str:
    """none | working | ready | outdated | failed, for the page."""
    if doc is None:
        return "none"
    if is_live(doc):
        return "working"
    if doc.status == "done":
        return "ready" if doc.fingerprint == fingerprint else "outdated"
    return "failed"


def request(vacancy: Vacancy, user: User | None, spec: DocumentSpec, fingerprint: str) -> GeneratedDocument:
    """A document of the current data: the kept one if it is current or being made, else a
    new job. ``fingerprint`` is the current data's (see `shortlist.packs.render.fingerprint`)."""
    documents.check_allowed(vacancy, user, spec)
    doc = latest(vacancy, spec)
    if doc is not None and doc.fingerprint == fingerprint and (doc.status == "done" or is_live(doc)):
        return doc
    with transaction():
        doc = GeneratedDocument(vacancy_id=vacancy.id, kind=spec.kind, candidate_reference=spec.candidate or "",
                                member_id=spec.member_id, fingerprint=fingerprint, status="queued", progress=0,
                                message="Waiting for a worker", requested_by_id=user.id if user else None)
        db.session.add(doc)
        db.session.flush()
        audit.record(audit.Actor.of(user, "cli"), "document.requested", vacancy=vacancy.reference,
                     subject=f"{spec.kind} {spec.candidate or 'all'}", kind=spec.kind, candidate=spec.candidate or None,
                     member=spec.member_id, document=doc.id)
    submit(doc.id)
    return doc


# --------------------------------------------------------------------------- the job


def _progress(doc_id: int, percent: int, message: str) -> None:
    with transaction():
        db.session.execute(update(GeneratedDocument).where(GeneratedDocument.id == doc_id)
                           .values(progress=percent, message=message, updated_at=utcnow()))


def _fail(doc_id: int, message: str) -> None:
    abandon()  # whatever the failed job left unwritten
    with transaction():
        db.session.execute(update(GeneratedDocument).where(GeneratedDocument.id == doc_id).values(
            status="failed", message=message, finished_at=utcnow(), updated_at=utcnow()))


def _run(doc_id: int) -> None:
    doc = db.session.get(GeneratedDocument, doc_id)
    if doc is None or doc.status in ("done", "failed"):
        return
    spec = spec_of(doc)
    vacancy = doc.vacancy
    requester = doc.requested_by
    previous = db.session.scalar(
        select(GeneratedDocument.pages).where(
            GeneratedDocument.vacancy_id == doc.vacancy_id, GeneratedDocument.kind == doc.kind,
            GeneratedDocument.candidate_reference == doc.candidate_reference,
            GeneratedDocument.status == "done", GeneratedDocument.pages.is_not(None))
        .order_by(GeneratedDocument.id.desc()).limit(1))
    with transaction():
        doc.status, doc.started_at, doc.progress, doc.message = "running", utcnow(), 2, "Gathering the data"
    try:
        model = documents.build(vacancy, spec)
        fingerprint = render.fingerprint(model)
        html = documents.html(model)
        _progress(doc_id, 8, "Laying out the first page")
        expected = previous or documents.estimate_pages(model)
        last = [0.0, 8]

        def on_page(n: int) -> None:
            percent = min(95, 8 + int(87 * n / max(expected, n + 1)))
            now = time.monotonic()
            if percent > last[1] and now - last[0] >= 0.25:
                last[0], last[1] = now, percent
                _progress(doc_id, percent, f"Laying out page {n} of about {max(expected, n)}")

        pdf, pages = render.to_pdf(html, on_page)
    except DocumentRefused as refused:
        _fail(doc_id, str(refused))
        return
    except Exception as exc:  # the row says it failed; the log has the details
        log.exception("document %s failed", doc_id)
        _fail(doc_id, f"The document could not be made ({type(exc).__name__}). Try again; if it fails again, "
                      "tell your system administrator.")
        return
    with transaction():
        doc = db.session.get(GeneratedDocument, doc_id)
        assert doc is not None
        doc.content, doc.size, doc.pages, doc.fingerprint = pdf, len(pdf), pages, fingerprint
        doc.status, doc.progress, doc.message, doc.finished_at = "done", 100, f"Ready: {pages} pages", utcnow()
        # keep only the newest file of each variant: older ones are out of date
        db.session.execute(delete(GeneratedDocument).where(
            GeneratedDocument.vacancy_id == doc.vacancy_id, GeneratedDocument.kind == doc.kind,
            GeneratedDocument.candidate_reference == doc.candidate_reference,
            (GeneratedDocument.member_id.is_(None) if doc.member_id is None
             else GeneratedDocument.member_id == doc.member_id),
            GeneratedDocument.id < doc.id,
            or_(GeneratedDocument.status.in_(("done", "failed")), GeneratedDocument.updated_at < utcnow() - STALE_AFTER)))
        documents.record_generated(audit.Actor.of(requester, "system"), vacancy, spec, pages, fingerprint)


def run_document(doc_id: int) -> None:
    """The job: make document ``doc_id``. Runs in a worker thread, an RQ worker, or inline."""
    worker.run_in_app(_run, doc_id)


def submit(doc_id: int) -> None:
    worker.enqueue(_run, doc_id, description=f"shortlist document {doc_id}", timeout=STALE_AFTER)


def document(document_id: int) -> GeneratedDocument | None:
    return db.session.get(GeneratedDocument, document_id)


def content(doc: GeneratedDocument) -> bytes:
    """The file's bytes (loaded only when served)."""
    return db.session.scalar(select(GeneratedDocument.content).where(GeneratedDocument.id == doc.id)) or b""


# Jobs queued on Redis before the worker moved to shortlist.worker name this function here.
run_in_app = worker.run_in_app
