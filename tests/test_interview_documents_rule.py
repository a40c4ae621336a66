"""Security review finding 4 with issue 14's finding 5: one rule for packs, schedules,
calendar files and the member's copy (README, "Who sees what"). Adjustments (what to do)
go to those who arrange and those who interview, never to a member about a candidate they
declared a conflict with; none of these ever carries the scheme, the guarantee, a disability
or HR's adjustment-review rationale."""

from __future__ import annotations

from sqlalchemy import select

from shortlist import rules
from shortlist.extensions import db
from shortlist.models import User, Vacancy
from shortlist.permissions import Sight, interview_reasons, sees_adjustments
from shortlist.services import packs
from tests import access_world
from tests.app_fixtures import login

ADJUSTMENT = "A ground-floor room"  # A001's, in tests/access_world.py


def test_the_rule_itself():
    member = Sight(relations=frozenset({"member"}), declared=True, conflicted=frozenset({"A001"}))
    assert not sees_adjustments(member, "A001") and sees_adjustments(member, "A002")
    assert sees_adjustments(Sight(relations=frozenset({"manager"})), "A001")
    assert not sees_adjustments(Sight(relations=frozenset()), "A001")
    reasons = interview_reasons([
        rules.Reason(rules.codes.SCHEME_GUARANTEE, None, 'in the "offer an interview" scheme'),
        rules.Reason(rules.codes.WAIVER_APPLIED, "K1", "says they cannot meet K1 because of their disability"),
        rules.Reason(rules.codes.ESSENTIALS_MET, None, "Meets all 2 essential criteria")])
    assert [r.code for r in reasons] == [rules.codes.WAIVER_APPLIED, rules.codes.ESSENTIALS_MET]
    assert "disability" not in " ".join(r.message for r in reasons)


def test_a_member_with_a_conflict_gets_no_adjustment_for_that_candidate(client, app):
    access_world.build()
    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == "VAC-A"))
    conflicted = db.session.scalar(select(User).where(User.email == access_world.CONFLICTED))
    member = db.session.scalar(select(User).where(User.email == access_world.MEMBER))
    theirs = packs.html(packs.build(vacancy, packs.DocumentSpec("pack", member_id=conflicted.id)))
    assert ADJUSTMENT not in theirs and "Not shown: you declared a conflict of interest" in theirs
    assert ADJUSTMENT in packs.html(packs.build(vacancy, packs.DocumentSpec("pack", member_id=member.id)))
    assert ADJUSTMENT in packs.html(packs.build(vacancy, packs.DocumentSpec("pack")))

    login(client, access_world.CONFLICTED)
    schedule = client.get("/vacancies/VAC-A/interviews").get_data(as_text=True)
    assert ADJUSTMENT not in schedule and "Not shown: you declared a conflict of interest" in schedule
    assert client.get("/vacancies/VAC-A/interviews/A001.ics").status_code == 403
    login(client, access_world.MEMBER)
    assert ADJUSTMENT in client.get("/vacancies/VAC-A/interviews").get_data(as_text=True)
    ics = client.get("/vacancies/VAC-A/interviews/A001.ics").get_data(as_text=True)
    assert ADJUSTMENT not in ics and "Alice" not in ics  # a calendar entry: reference, time and place only


def test_a_bare_carriage_return_in_a_location_stays_inside_it(app):
    """Finding 12: the calendar file is written by the icalendar library; a lone CR in the
    location cannot start a line of its own (it started a new property before)."""
    import re
    from datetime import datetime

    import icalendar

    from shortlist.models import Application, InterviewSlot
    from shortlist.services import interviews

    access_world.build()
    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == "VAC-A"))
    application = db.session.scalar(select(Application).where(Application.reference == "A001",
                                                              Application.vacancy_id == vacancy.id))
    slot = InterviewSlot(application_id=application.id, starts_at=datetime(2026, 12, 10, 10, 30), duration_minutes=45,
                         location="Room 2\rEND:VEVENT\rBEGIN:VEVENT\rSUMMARY:Free lunch")
    body = interviews.calendar_file(vacancy, application, slot, "shortlist.example")
    assert not re.search(r"\r(?!\n)", body) and not re.search(r"(?<!\r)\n", body)
    [event] = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Interview A001: Family Therapist (VAC-A)"
    assert str(event["LOCATION"]) == "Room 2\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:Free lunch"
