"""Documents made off the request path: the page starts a job and shows its progress, a
worker (an in-process thread, or RQ workers on a real Redis) makes the PDF, the file is
kept, served only to those allowed and only while it matches the data."""

from __future__ import annotations

import uuid
from datetime import timedelta
from io import BytesIO

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from shortlist.extensions import db
from shortlist.models import AuditEvent, GeneratedDocument, Role
from shortlist.models.base import utcnow
from shortlist.packs import render
from shortlist import worker
from shortlist.services import interviews, jobs, panel, vacancies
from shortlist.services import packs as service
from shortlist.services.packs import DocumentSpec
from tests.app_fixtures import login
from tests.factories import CHAIR, HR, MEMBER, OTHER, make_user
from tests.test_packs import ready, user, vacancy
from tests.pages import page


@pytest.fixture
def at_pack():
    ready()


def documents() -> list[GeneratedDocument]:
    db.session.remove()
    return list(db.session.scalars(select(GeneratedDocument).order_by(GeneratedDocument.id)))


def test_the_page_starts_a_job_shows_progress_and_offers_the_download(client, at_pack):
    login(client, CHAIR)
    soup = page(client.get("/vacancies/TST-01/pack"))
    assert soup.select_one("h1").get_text(strip=True) == "Interview pack"
    assert soup.select_one("#candidate-A001") and soup.select_one("#candidate-A002")  # the preview
    assert soup.select_one("#document-generate") and not soup.select("script[src*=document-progress]")

    response = client.post("/vacancies/TST-01/pack", data={})
    assert response.status_code == 302 and response.headers["Location"].endswith("/vacancies/TST-01/pack#document")
    [doc] = documents()
    assert doc.requested_by.email == CHAIR and doc.status in ("queued", "running", "done")
    soup = page(client.get("/vacancies/TST-01/pack"))
    if doc.status != "done":  # the page polls the status while the job runs
        region = soup.select_one("[data-module=app-document-progress]")
        assert region["data-status-url"] == f"/vacancies/TST-01/documents/{doc.id}/status"
        assert region.select_one("progress[max='100']") and region.select_one("[role=status]")
        assert soup.select_one("script[type=module][src$='/assets/document-progress.js']")
    assert worker.drain(120)

    status = client.get(f"/vacancies/TST-01/documents/{doc.id}/status").get_json()
    assert status["status"] == "done" and status["progress"] == 100 and status["pages"] >= 5
    soup = page(client.get("/vacancies/TST-01/pack"))
    link = soup.select_one("#document-download")
    assert link["href"] == f"/vacancies/TST-01/documents/{doc.id}.pdf"
    assert f"{status['pages']} pages" in soup.select_one("#document-ready").get_text()
    download = client.get(link["href"])
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert 'filename=interview-pack-TST-01.pdf;' in download.headers["Content-Disposition"]
    text = PdfReader(BytesIO(download.data)).pages[0].extract_text()
    assert "Interview pack: Family Therapist" in text and "OFFICIAL-SENSITIVE" in text

    actions = dict(db.session.execute(select(AuditEvent.action, AuditEvent.actor)
                                      .where(AuditEvent.action.like("document.%"))).all())
    assert actions == {"document.requested": CHAIR, "document.generated": CHAIR, "document.downloaded": CHAIR}
    # asking again for the same data reuses the kept file: no second job
    client.post("/vacancies/TST-01/pack", data={})
    assert len(documents()) == 1


def test_progress_is_reported_page_by_page(at_pack):
    seen: list[int] = []
    original = jobs._progress

    def spy(doc_id: int, percent: int, message: str) -> None:
        seen.append(percent)
        original(doc_id, percent, message)

    v = vacancy()
    spec = DocumentSpec("pack", "A001")
    doc = jobs.request(v, user(CHAIR), spec, render.fingerprint(service.build(v, spec)))
    jobs._progress, saved = spy, jobs._progress
    try:
        assert worker.drain(120)
    finally:
        jobs._progress = saved
    assert seen == sorted(seen) and seen[0] == 8 and len(seen) >= 2 and max(seen) <= 95
    [done] = documents()
    assert (done.id, done.status, done.progress) == (doc.id, "done", 100)


def test_a_changed_schedule_makes_the_kept_file_out_of_date(client, at_pack):
    login(client, CHAIR)
    client.post("/vacancies/TST-01/pack", data={})
    assert worker.drain(120)
    [first] = documents()
    v = vacancy()
    interviews.arrange(v, panel.application_by_reference(v, "A001"), user(CHAIR), "2026-12-11", "09:30", "45", "Room 9")
    response = client.get(f"/vacancies/TST-01/documents/{first.id}.pdf")
    assert response.status_code == 302  # never an out-of-date file
    assert "a new one is being made" in page(client.get(response.headers["Location"])).get_text()
    assert worker.drain(120)
    [latest] = documents()  # the new file replaced the old one
    assert latest.id != first.id and latest.status == "done" and latest.fingerprint != first.fingerprint
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(client.get(f"/vacancies/TST-01/documents/{latest.id}.pdf").data)).pages)
    assert "11 December 2026" in text and "Room 9" in text


def test_opening_the_page_remakes_an_out_of_date_file(client, at_pack):
    login(client, CHAIR)
    client.post("/vacancies/TST-01/pack", data={"candidate": "A002"})
    assert worker.drain(120)
    v = vacancy()
    vacancies.save_questions(v, user(CHAIR), {"K1": ["Safeguarding: what would you do if a child disclosed harm?"]})
    soup = page(client.get("/vacancies/TST-01/pack?candidate=A002"))
    assert soup.select_one("[data-module=app-document-progress]") or soup.select_one("#document-download")
    assert worker.drain(120)
    [doc] = documents()
    assert doc.candidate_reference == "A002" and doc.status == "done"
    assert doc.fingerprint == render.fingerprint(service.build(vacancy(), DocumentSpec("pack", "A002")))


def test_a_job_refused_when_it_runs_says_why(at_pack):
    v = vacancy()
    spec = DocumentSpec()
    fingerprint = render.fingerprint(service.build(v, spec))
    db.session.add(GeneratedDocument(vacancy_id=v.id, kind="pack", fingerprint=fingerprint, status="queued"))
    db.session.commit()
    vacancies.save_questions(vacancy(), user(CHAIR), {"K1": ["Tell us about your caseload."]})
    [doc] = documents()
    jobs.run_document(doc.id)  # as a worker would, after the questions changed
    [doc] = documents()
    assert doc.status == "failed" and "at least one safeguarding question (R23)" in doc.message


def test_a_job_that_died_can_be_started_again(client, at_pack):
    v = vacancy()
    fingerprint = render.fingerprint(service.build(v, DocumentSpec()))
    db.session.add(GeneratedDocument(vacancy_id=v.id, kind="pack", fingerprint=fingerprint, status="running",
                                     progress=40, updated_at=utcnow() - timedelta(hours=1)))
    db.session.commit()
    login(client, CHAIR)
    soup = page(client.get("/vacancies/TST-01/pack"))
    failed = soup.select_one("#document-failed").get_text()
    assert "The PDF was not made" in failed and "No worker finished making it within 10 minutes" in failed
    assert "stopped at 40%" in failed
    assert soup.select_one("#document-generate").get_text(strip=True) == "Try again"
    client.post("/vacancies/TST-01/pack", data={})
    assert worker.drain(120)
    assert [d.status for d in documents()] == ["done"]


@pytest.fixture
def redis_queue(app, monkeypatch):
    """A real RQ queue on the machine's Redis, private to this test."""
    from redis import Redis

    url = "redis://127.0.0.1:6379/0"
    name = f"shortlist-test-{uuid.uuid4().hex}"
    monkeypatch.setitem(app.config, "REDIS_URL", url)
    monkeypatch.setitem(app.config, "SHORTLIST_JOB_QUEUE", name)
    queue = worker.rq_queue()
    yield queue
    queue.delete(delete_jobs=True)
    Redis.from_url(url).close()


def test_with_redis_jobs_go_to_rq_workers(client, at_pack, redis_queue):
    from rq import SimpleWorker

    login(client, CHAIR)
    client.post("/vacancies/TST-01/pack", data={"member": str(user(MEMBER).id)})
    assert redis_queue.count == 1  # queued in Redis, not run in this process
    assert not worker.drain(0.5) or documents()[0].status == "queued"
    [doc] = documents()
    assert doc.status == "queued" and doc.member.email == MEMBER
    assert SimpleWorker([redis_queue], connection=redis_queue.connection).work(burst=True)
    [doc] = documents()
    assert doc.status == "done" and doc.pages and redis_queue.count == 0
    download = client.get(f"/vacancies/TST-01/documents/{doc.id}.pdf")
    assert 'filename=interview-pack-TST-01-copy-member-person.pdf;' in download.headers["Content-Disposition"]
    assert "Copy for Member Person" in PdfReader(BytesIO(download.data)).pages[-1].extract_text()


def test_the_record_pdf_is_made_by_a_job_for_hr(client, at_pack):
    make_user(HR, Role.HR_ADMIN)
    login(client, HR)
    soup = page(client.get("/vacancies/TST-01/shortlisting-record"))
    assert soup.select_one("#record-A003") and "Cara Cole" not in soup.get_text()
    client.post("/vacancies/TST-01/shortlisting-record", data={})
    assert worker.drain(120)
    [doc] = documents()
    assert doc.kind == "record" and doc.status == "done"
    response = client.get(f"/vacancies/TST-01/documents/{doc.id}.pdf")
    assert 'filename=shortlisting-record-TST-01.pdf;' in response.headers["Content-Disposition"]
    login(client, MEMBER)  # the record is not the panel's
    assert client.get(f"/vacancies/TST-01/documents/{doc.id}.pdf").status_code == 403
    assert client.get(f"/vacancies/TST-01/documents/{doc.id}/status").status_code == 403


@pytest.mark.parametrize(("who", "path", "status"), [
    ("stranger@example.org", "/vacancies/TST-01/pack", 404),
    (OTHER, "/vacancies/TST-01/pack", 200),
    (HR, "/vacancies/TST-01/pack", 200),
    (MEMBER, "/vacancies/TST-01/pack?candidate=A003", 404),  # not invited
    (MEMBER, "/vacancies/TST-01/pack?member=MEMBER", 200),  # their own copy
    (MEMBER, "/vacancies/TST-01/pack?member=OTHER", 403),  # someone else's
    (CHAIR, "/vacancies/TST-01/pack?member=OTHER", 200),  # the chair prints the panel's copies
    (MEMBER, "/vacancies/TST-01/shortlisting-record", 403),
    (MEMBER, "/vacancies/TST-01/shortlisting-record.csv", 403),
    (CHAIR, "/vacancies/TST-01/shortlisting-record", 200),  # the recruiting manager
    (HR, "/vacancies/TST-01/shortlisting-record", 200),
])
def test_who_may_have_which_document(client, at_pack, who, path, status):
    make_user("stranger@example.org")
    for name, email in (("MEMBER", MEMBER), ("OTHER", OTHER)):
        path = path.replace(f"member={name}", f"member={user(email).id}")
    login(client, who)
    assert client.get(path).status_code == status


def test_a_member_cannot_download_another_members_copy(client, at_pack):
    login(client, CHAIR)
    client.post("/vacancies/TST-01/pack", data={"member": str(user(OTHER).id)})
    assert worker.drain(120)
    [doc] = documents()
    login(client, MEMBER)
    assert client.get(f"/vacancies/TST-01/documents/{doc.id}.pdf").status_code == 403
    login(client, OTHER)
    assert client.get(f"/vacancies/TST-01/documents/{doc.id}.pdf").status_code == 200
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "document.downloaded")) == 1


def test_the_page_explains_a_refusal_and_what_to_do(client):
    from tests.factories import load
    from tests.test_panel import campaign

    load(campaign())
    login(client, CHAIR)
    soup = page(client.get("/vacancies/TST-01/pack"))
    items = {li["data-code"]: li for li in soup.select("#pack-refusals li")}
    assert list(items) == ["pack_shortlist_not_final", "pack_no_safeguarding_question"]
    assert items["pack_shortlist_not_final"].a["href"] == "/vacancies/TST-01/decisions"
    assert items["pack_no_safeguarding_question"].a["href"] == "/vacancies/TST-01/setup/questions"
    assert not soup.select("#document-generate")
    response = client.post("/vacancies/TST-01/pack", data={})
    assert response.status_code == 302 and documents() == []


def test_a_member_gets_their_own_copy_and_never_the_whole_panels(client, at_pack):
    login(client, MEMBER)
    soup = page(client.get("/vacancies/TST-01/pack"))
    assert soup.select_one("h1").get_text(strip=True) == "Interview pack: Member Person's copy"
    login(client, CHAIR)
    client.post("/vacancies/TST-01/pack", data={})
    [doc] = documents()
    assert doc.member is None  # the chair's whole-panel pack
    login(client, MEMBER)
    assert client.get(f"/vacancies/TST-01/documents/{doc.id}/status").status_code == 403
    assert client.get(f"/vacancies/TST-01/documents/{doc.id}.pdf").status_code == 403
