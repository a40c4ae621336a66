"""The demo ends with one seed vacancy at interview, reached through the panel's services,
so a newcomer can open and download a real interview pack straight after `make demo`."""

from __future__ import annotations

from sqlalchemy import func, select

from shortlist.extensions import db
from shortlist.models import AuditEvent, InterviewSlot, Vacancy
from shortlist.services import audit
from shortlist.services import packs as service
from shortlist.services.packs import DocumentSpec
from tests.app_fixtures import login


def vacancy(reference: str) -> Vacancy:
    return db.session.scalar(select(Vacancy).where(Vacancy.reference == reference))


def test_birmingham_is_at_interview_and_the_others_at_shortlisting(demo_data):
    statuses = dict(db.session.execute(select(Vacancy.reference, Vacancy.status)).all())
    assert statuses == {"BCT-AP-01": "interview", "KCC-ST-01": "shortlisting", "LBL-FFT-01": "shortlisting"}
    bct = vacancy("BCT-AP-01")
    assert bct.shortlist_finalised_at is not None
    invited = [ref for ref, _name in service.invited(bct)]
    assert {"A002", "A004", "A007"} <= set(invited)  # guaranteed, guaranteed after HR's review, the gap to probe
    slots = db.session.scalar(select(func.count()).select_from(InterviewSlot))
    assert slots == len(invited)
    # every step went through the services: its audit records are there and the chain is intact
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.vacancy_reference == "BCT-AP-01")))
    assert {"conflicts.declared", "scores.submitted", "agreed.recorded", "decision.recorded", "shortlist.finalised",
            "interview.arranged"} <= actions
    assert audit.verify() is None


def test_the_demo_pack_can_be_made_and_holds_the_gap_probe(demo_data):
    bct = vacancy("BCT-AP-01")
    assert service.gate(bct) == []
    pack = service.build(bct, DocumentSpec("pack", "A007"))
    [a007] = pack.candidates
    assert a007.name and a007.slot.startswith("18 December 2026")
    assert [p.code for p in a007.probes] == ["employment_gap"]
    assert any("explore at interview" in m for m in a007.probes[0].marks)
    assert any(q.safeguarding for c in pack.criteria for q in c.questions)  # R23
    assert any("Safer-recruitment trained" in line for line in pack.safeguarding)  # R18


def test_the_other_demo_vacancies_refuse_a_pack_and_say_why(client, demo_data):
    kent = vacancy("KCC-ST-01")
    assert [r.code for r in service.gate(kent)] == ["pack_shortlist_not_final", "no_trained_panel_member"]
    login(client, "manager.kent@example.org")
    html = client.get("/vacancies/KCC-ST-01/pack").get_data(as_text=True)
    assert "The interview pack cannot be produced yet" in html and "Training has expired for Martin Fairbairn" in html


def test_the_demo_pack_page_for_a_panel_member(client, demo_data):
    login(client, "tom.okafor@example.org")
    html = client.get("/vacancies/BCT-AP-01").get_data(as_text=True)
    assert "Interview pack" in html
    page = client.get("/vacancies/BCT-AP-01/pack?candidate=A002").get_data(as_text=True)
    assert "Candidate A002" in page and "Make the PDF" in page
    assert "Guaranteed interview" not in page  # nor the scheme: an interviewer needs neither
