"""Two vacancies with every relation a person can have to one, built through the services:
the data the access matrix (tests/test_access_matrix.py) and the CSRF tests run against.

VAC-A has a recruiting manager who is not on its panel, a chair, a member, a member who
declared a conflict of interest with A001, and an HR adviser; its shortlist is final
(A001 and A002 invited), A001 has an interview slot, the chair may see the declarations,
there is a legal hold and a kept document. VAC-B has its own people and the same kinds of
objects, so any of its ids or references can be put into VAC-A's URLs.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from shortlist.extensions import db
from shortlist.models import GeneratedDocument, PanelMembership, Role, User, Vacancy
from shortlist.forms import dates
from shortlist.services import access_links, api_tokens, interview_booking, interviews, panel, retention
from shortlist.services import sealed as sealed_service
from tests.factories import campaign_dict, load, make_user

HR = "hr.admin@example.org"
MANAGER = "manager.a@example.org"
CHAIR = "chair.a@example.org"
MEMBER = "member.a@example.org"
ADVISER = "adviser.a@example.org"
CONFLICTED = "conflicted.a@example.org"
OUTSIDER = "member.b@example.org"  # on VAC-B's panel only
BOSS_B = "chair.b@example.org"
# VAC-C: its recruiting manager chairs its panel and has neither declared conflicts nor scored;
# its two members have scored everyone (security review, finding 1)
CHAIR_MANAGER = "manager.chair.c@example.org"
MEMBER_C1 = "member.c1@example.org"
MEMBER_C2 = "member.c2@example.org"
# HR of other organisations only (issue 17): HR administrator of Other Trust and HR adviser of
# Third Trust, two roles and neither in Example Council, whose vacancies these are
OTHER_HR = "hr.other@example.org"
# a system administrator (creates organisations), with no role in any and on no panel
SYSADMIN = "sysadmin@example.org"

#: the people the matrix signs in as, in its columns' order (None: not signed in)
WHO: dict[str, str | None] = {
    "anon": None, "hr": HR, "manager": MANAGER, "chair": CHAIR, "member": MEMBER,
    "adviser": ADVISER, "outsider": OUTSIDER, "conflicted": CONFLICTED, "otherhr": OTHER_HR,
    "sysadmin": SYSADMIN,
}


def _application(ref: str, name: str, **extra: Any) -> dict[str, Any]:
    return {
        "reference": ref, "name": name, "email": f"{ref.lower()}@example.net",
        "evidence": {"K1": f"{name}'s systemic work.", "D1": "Supervised students."},
        "employment_history": [{"from": "2018-01", "to": None, "employer": "East Trust", "role": "Therapist"}],
        "equality_monitoring": {"ethnicity": "Prefer not to say"},
        "criminal_record_declaration": {"unspent_convictions": False, "details": ""},
        **extra,
    }


def campaign_a() -> dict[str, Any]:
    data = campaign_dict("VAC-A", recruiting_manager=MANAGER)
    data["panel"] = [
        {"email": CHAIR, "name": "Chair A", "role": "chair", "safer_recruitment_trained_on": date(2025, 3, 1)},
        {"email": MEMBER, "name": "Member A", "role": "member", "safer_recruitment_trained_on": None},
        {"email": CONFLICTED, "name": "Conflicted A", "role": "member", "safer_recruitment_trained_on": None},
        {"email": ADVISER, "name": "Adviser A", "role": "hr_adviser", "safer_recruitment_trained_on": None},
    ]
    data["questions"] = {"K1": ["Tell us about your systemic practice.",
                                "What is your motivation to work with children?"]}
    data["applications"] = [
        _application("A001", "Alice Adams", adjustments="A ground-floor room"),
        _application("A002", "Bob Brown"),
        _application("A003", "Cara Cole"),
    ]
    return data


def campaign_b() -> dict[str, Any]:
    data = campaign_dict("VAC-B", recruiting_manager=BOSS_B)
    data["panel"] = [
        {"email": BOSS_B, "name": "Chair B", "role": "chair", "safer_recruitment_trained_on": date(2025, 3, 1)},
        {"email": OUTSIDER, "name": "Member B", "role": "member", "safer_recruitment_trained_on": None},
    ]
    # a criterion key VAC-A does not have
    data["criteria"] = copy.deepcopy(data["criteria"]) + [
        {"key": "B9", "category": "Experience", "text": "Experience of court reports.",
         "essential": False, "methods": ["AF"]}]
    data["applications"] = [_application("B001", "Dan Dale"), _application("B002", "Eve East")]
    return data


def campaign_c() -> dict[str, Any]:
    """C001 is in the offer-an-interview scheme and meets the essentials (guaranteed), C002
    says a disability stops them meeting K1 (waived), C003 misses K1 on both scores."""
    data = campaign_dict("VAC-C", recruiting_manager=CHAIR_MANAGER,
                         disability_confident={"offer_interview": True, "waiver_policy": True})
    data["panel"] = [
        {"email": CHAIR_MANAGER, "name": "Chair Manager C", "role": "chair",
         "safer_recruitment_trained_on": date(2025, 3, 1)},
        {"email": MEMBER_C1, "name": "Member C1", "role": "member", "safer_recruitment_trained_on": None},
        {"email": MEMBER_C2, "name": "Member C2", "role": "member", "safer_recruitment_trained_on": None},
    ]

    def scores(k1: int, d1: int) -> dict[str, Any]:
        return {"shortlisting": {MEMBER_C1: {"K1": k1, "D1": d1}, MEMBER_C2: {"K1": k1, "D1": d1}}}

    data["applications"] = [
        _application("C001", "Cai Cole", disability_declared=True, offer_interview_opt_in=True,
                     adjustments="Extra time", scores=scores(3, 2)),
        _application("C002", "Dee Dunn", disability_declared=True, unmet_due_to_disability=["K1"],
                     scores=scores(0, 2)),
        _application("C003", "Eli Eze", scores=scores(1, 1)),
    ]
    return data


@dataclass
class Objects:
    """One vacancy's objects, by the URL argument that names them."""

    reference: str
    application_reference: str
    key: str
    membership_id: int = 0
    hold_id: int = 0
    grant_id: int = 0
    document_id: int = 0
    token_id: int = 0  # an API token for the vacancy's organisation (the Integrations page)
    webhook_id: int = 0  # a webhook for the vacancy's organisation
    delivery_id: int = 0  # a delivery to it
    draft_id: int = 0  # HR's uploaded export waiting for its column mapping
    token: str = ""  # a live link to set the member's password
    message_id: int = 0
    kind: str = "scoring_open"  # a kind of message (its wording page)
    user_id: int = 0  # the member, as HR's people pages name them
    time_id: int = 0  # a published interview time (self-booking), nobody booked into it
    booking_token: str = ""  # the invited candidate's interview booking link
    code: str = "kent"  # an organisation's short code (its single sign-on: none set up in this world)
    extra: dict[str, Any] = field(default_factory=dict)


def _user(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    assert user is not None, email
    return user


def _vacancy(reference: str) -> Vacancy:
    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == reference))
    assert vacancy is not None
    return vacancy


def _two_factor_on(email: str) -> None:
    """Two-factor sign-in on (the matrix signs people in without it; their account pages differ)."""
    import pyotp

    from shortlist.services import two_factor

    user = _user(email)
    two_factor.confirm(user, pyotp.TOTP(two_factor.start_enrolment(user).secret).now())


def _finalise(reference: str, scorers: list[str], conflicts: dict[str, set[str]], invite: set[str]) -> None:
    """Declarations, submitted scores, a decision for everyone, the shortlist final, declarations again."""
    vacancy = _vacancy(reference)

    def declare(email: str) -> None:
        user = _user(email)
        mine = conflicts.get(email, set())
        answers = {}
        for a in panel.applicants_for_declaration(vacancy, user):
            conflicted = any(a.name == name for name in mine)
            answers[a.token] = ("yes", "We worked together for five years.") if conflicted else ("no", "")
        panel.declare_conflicts(vacancy, user, answers)

    for email in scorers:
        declare(email)
        user = _user(email)
        for application in vacancy.applications:
            if application.id in panel.conflict_state(vacancy, user).conflicted:
                continue
            high = application.reference in invite
            values = {c.key: ("3" if high and c.essential else "1" if high else "0")
                      for c in panel.stage_criteria(vacancy, "shortlisting")}
            panel.save_sheet(vacancy, application, user, "shortlisting", values, {}, {}, submit=True)
    chair = _user(scorers[0])
    for application in sorted(vacancy.applications, key=lambda a: a.reference):
        outcome = "invite" if application.reference in invite else "reject"
        rec = panel.recommendation_for(vacancy, application.reference, "shortlisting")
        panel.decide(vacancy, application, chair, outcome, panel.suggested_reason(rec))
    panel.finalise_shortlist(vacancy, chair)
    for email in scorers:
        declare(email)
    db.session.remove()


def _document(vacancy: Vacancy, requester: User) -> int:
    """A kept document row (a failed job: nothing to render when it is asked for)."""
    doc = GeneratedDocument(vacancy_id=vacancy.id, kind="pack", candidate_reference="", member_id=None,
                            fingerprint="0" * 64, status="failed", progress=0, message="The job stopped",
                            requested_by_id=requester.id)
    db.session.add(doc)
    db.session.commit()
    return doc.id


def _message(vacancy: Vacancy, application: Any, chair: User) -> int:
    """An e-mail in the outbox: the candidate's interview confirmation, with its calendar file."""
    from datetime import datetime

    from shortlist.messages import calendar as ics
    from shortlist.messages import catalogue
    from shortlist.services import audit, outbox

    calendar = ics.calendar_file(ics.Interview(
        uid=ics.interview_uid(vacancy.id, application.id, "localhost"), sequence=0,
        starts_at=datetime(2026, 12, 10, 10, 30), minutes=45, summary=f"Interview: {vacancy.title}",
        location="Room 2, Civic Centre", description="", organizer_email="recruitment@example.org",
        organizer_name=vacancy.organisation))
    message_id = outbox.queue("interview_confirmed", outbox.to_candidate(application),
                              catalogue.sample_context(catalogue.kind("interview_confirmed")),
                              actor=audit.Actor.of(chair), vacancy=vacancy, calendar=calendar)
    assert message_id is not None
    db.session.commit()
    return message_id


def _objects(reference: str, chair_email: str, member_email: str, application_reference: str,
             key: str) -> Objects:
    vacancy = _vacancy(reference)
    hr, chair, member = _user(HR), _user(chair_email), _user(member_email)
    retention.update_policy(vacancy, hr, retention_months=6, share_declarations=True)
    hold = retention.place_hold(vacancy, hr, kind="claim", reason="Claim 1234/2026")
    grant = sealed_service.grant_declarations(vacancy, hr, chair.id, "Shortlisted candidates' declarations")
    application = panel.application_by_reference(vacancy, application_reference)
    assert application is not None
    interviews.arrange(vacancy, application, chair, day="2026-12-10", time="10:30", duration="45",
                       location="Room 2, Civic Centre")
    published = interview_booking.publish_time(
        vacancy, chair, day=dates.from_iso("day", date.today() + timedelta(days=30)), time="09:30",
        duration="45", location="Room 3, Civic Centre", capacity="2")
    membership = db.session.scalar(select(PanelMembership).where(
        PanelMembership.vacancy_id == vacancy.id, PanelMembership.user_id == member.id))
    assert membership is not None
    objects = Objects(reference=reference, application_reference=application_reference, key=key,
                      membership_id=membership.id, hold_id=hold.id, grant_id=grant.id,
                      document_id=_document(vacancy, chair), token=access_links.issue(hr, member, vacancy).token,
                      message_id=_message(vacancy, application, chair), user_id=member.id,
                      time_id=published.id, token_id=api_tokens.create(hr, f"ATS {reference}", vacancy.org,
                                                                       ["vacancies:read"])[0].id,
                      booking_token=interview_booking.token_for(interview_booking.invitation_for(application)))
    objects.webhook_id, objects.delivery_id = _webhook(vacancy, hr)
    from shortlist.services import exports as exports_service

    objects.draft_id = exports_service.upload(vacancy, hr, "export.csv", b"Candidate ID,Candidate Name\nX9,Xena\n").id
    db.session.remove()
    return objects


def _webhook(vacancy: Vacancy, hr: User) -> tuple[int, int]:
    """A webhook (to a port nothing listens on: no delivery is made in these tests) and one delivery."""
    from shortlist.models import WebhookDelivery
    from shortlist.services import audit, webhooks

    endpoint, _secret = webhooks.register(vacancy.org, "http://127.0.0.1:9/hook", ["decision.changed"],
                                          audit.Actor.of(hr), user=hr)
    delivery = WebhookDelivery(endpoint_id=endpoint.id, event="decision.changed", vacancy_reference=vacancy.reference,
                               body="{}", status="failed", attempts=1, last_error="refused", log=[])
    db.session.add(delivery)
    db.session.commit()
    return endpoint.id, delivery.id


def build() -> tuple[Objects, Objects]:
    """Both vacancies and their people; returns (VAC-A's objects, VAC-B's)."""
    make_user(HR, Role.HR_ADMIN, name="Hana HR")
    make_user(OTHER_HR, Role.HR_ADMIN, name="Olu Other", organisations_named=("Other Trust",))
    make_user(OTHER_HR, "hr_adviser", name="Olu Other", organisations_named=("Third Trust",))
    make_user(SYSADMIN, name="Sam Sysadmin", system_admin=True)
    load(campaign_a())
    load(campaign_b())
    load(campaign_c())
    _finalise("VAC-A", [CHAIR, MEMBER, CONFLICTED], {CONFLICTED: {"Alice Adams"}}, invite={"A001", "A002"})
    _finalise("VAC-B", [BOSS_B, OUTSIDER], {}, invite={"B001"})
    a = _objects("VAC-A", CHAIR, MEMBER, "A001", "K1")
    b = _objects("VAC-B", BOSS_B, OUTSIDER, "B001", "B9")
    for email in (HR, MEMBER):  # a role that must use it and one that chose to
        _two_factor_on(email)
    return a, b
