"""Messages to staff: "scoring is open" when applications close; to the chair when every score
is in, when scores need moderating and when HR has decided a review; to HR when a candidate
waits for an HR review or a late conflict is declared. Each once, in the transaction of the
action that causes it or at the next `shortlist tick`; none says what a review was about."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from shortlist.extensions import db
from shortlist.models import AuditEvent, OutboxMessage, Role, User, Vacancy
from shortlist.services import closing, panel, scheduler
from tests.app_fixtures import login
from tests.factories import CHAIR, HR, MEMBER, OTHER, campaign_dict, load, make_user
from tests.test_adjustment_review import claim  # noqa: F401 - the fixture: A001 claims K1 unmet for a disability


def messages(kind: str) -> list[OutboxMessage]:
    db.session.remove()
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)
                                   .order_by(OutboxMessage.id)))


def user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def vacancy() -> Vacancy:
    db.session.remove()
    return db.session.scalar(select(Vacancy))


def test_each_scorer_is_told_scoring_is_open_when_hr_closes_applications(app):
    data = campaign_dict(status="open", closing_date=date.today() + timedelta(days=10))
    data["applications"][0].pop("scores")
    load(data)
    make_user(HR, Role.HR_ADMIN)
    assert messages("scoring_open") == []
    closing.close_applications(vacancy(), user(HR), "The post is needed sooner")
    sent = messages("scoring_open")
    assert sorted(m.to_address for m in sent) == sorted([CHAIR, MEMBER, OTHER])
    [to_member] = [m for m in sent if m.to_address == MEMBER]
    assert to_member.subject == "Shortlisting is open: Family Therapist (TST-01)"
    assert "There are 1 applications." in to_member.body
    assert "http://127.0.0.1:5000/vacancies/TST-01/conflicts" in to_member.body
    assert {e.actor for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action == "message.queued"))} \
        == {HR}


def test_the_daily_close_tells_the_scorers_once(app):
    data = campaign_dict(status="open", closing_date=date.today() - timedelta(days=1))
    data["applications"][0].pop("scores")
    load(data)
    scheduler.tick()
    scheduler.tick()
    assert len(messages("scoring_open")) == 3


def test_the_chair_hears_when_every_score_is_in_and_when_scores_need_moderating(app):
    load(campaign_dict())  # the chair and a member have submitted A001; OTHER has not
    scheduler.tick()
    assert messages("all_submitted") == [] and messages("moderation_needed") == []
    v = vacancy()
    other = user(OTHER)
    panel.declare_conflicts(v, other, {a.token: ("no", "") for a in panel.applicants_for_declaration(v, other)})
    application = panel.application_by_reference(v, "A001")
    # 0 on K1, far from the others' 2 and 3: a divergence to moderate
    panel.save_sheet(v, application, other, "shortlisting", {"K1": "0", "D1": "2"}, {}, {}, submit=True)
    assert messages("all_submitted") == []  # told by the tick, not by the submission's transaction
    report = scheduler.tick()
    assert report.steps["sweep"]["all_submitted"] == 1
    [done] = messages("all_submitted")
    assert done.to_address == CHAIR and "Every panel member has submitted their shortlisting scores" in done.body
    [moderate] = messages("moderation_needed")
    assert moderate.to_address == CHAIR and "differ for 1 candidates" in moderate.body
    assert "/vacancies/TST-01/moderation" in moderate.body
    scheduler.tick()
    assert len(messages("all_submitted")) == 1 and len(messages("moderation_needed")) == 1


def test_hr_hears_a_candidate_waits_for_review_and_the_chair_hears_it_is_decided_in_neutral_words(client, claim):  # noqa: F811 - the fixture
    make_user("hr.two@example.org", Role.HR_ADMIN, name="Second HR")
    scheduler.tick()
    waiting = messages("hr_review_needed")
    assert sorted(m.to_address for m in waiting) == sorted([HR, "hr.two@example.org"])
    assert "Candidate A001 for Family Therapist (TST-01) needs an HR review" in waiting[0].body
    scheduler.tick()
    assert len(messages("hr_review_needed")) == 2  # once

    login(client, HR)
    client.post("/vacancies/TST-01/adjustments/A001", data={
        "outcome-K1": "met_with_adjustment", "reason-K1": "With written questions in advance the evidence meets K1."})
    [told] = messages("review_decided")
    assert told.to_address == CHAIR and told.subject == "HR has decided A001: Family Therapist"
    for word in ("disab", "adjustment", "Written questions", "K1"):
        assert word not in told.body and word not in told.subject  # the chair learns it is decided, not what


def test_hr_hears_of_a_conflict_declared_after_names_are_revealed(client):
    from tests.test_panel import campaign, test_finalising_is_refused_until_everything_is_done_then_reveals_names

    load(campaign())
    make_user(HR, Role.HR_ADMIN, name="Hana HR")
    test_finalising_is_refused_until_everything_is_done_then_reveals_names(client, None)
    [late] = messages("late_conflict")
    assert late.to_address == HR
    assert "Member Person has declared a conflict of interest with candidate A001" in late.body
