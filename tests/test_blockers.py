"""What stops the shortlist being finalised, as work for named people (services/blockers.py):
the same refusals the finalise check makes, each saying who must act and linking to where."""

from __future__ import annotations

from datetime import date

from shortlist.extensions import db
from shortlist.models import Role, User, Vacancy
from shortlist.services import panel
from shortlist.services.blockers import by_person, finalise_blockers
from tests.factories import CHAIR, MEMBER, OTHER, campaign_dict, load, make_user

TODAY = date(2026, 12, 20)


def vacancy() -> Vacancy:
    db.session.expire_all()
    return db.session.query(Vacancy).one()


def user(email: str) -> User:
    return db.session.query(User).filter_by(email=email).one()


def work(trained: bool = True) -> list:
    data = campaign_dict()
    if not trained:
        data["panel"][0]["safer_recruitment_trained_on"] = None
    data["applications"][0]["scores"] = {"shortlisting": {CHAIR: {"K1": 0, "D1": 1}, MEMBER: {"K1": 3, "D1": 2}}}
    data["applications"].append({"reference": "A002", "name": "Applicant Two",
                                 "scores": {"shortlisting": {MEMBER: {"K1": 2, "D1": 1}}}})
    load(data)
    make_user(HR, Role.HR_ADMIN)
    return finalise_blockers(vacancy(), TODAY)


HR = "hr@example.org"


def test_each_refusal_becomes_work_for_a_named_person(app):
    with app.test_request_context():
        blockers = work(trained=False)
        refusals = panel.finalise_refusals(vacancy(), TODAY)
        assert {b.code for b in blockers} == {r.code for r in refusals}
        lines = {(b.who, b.message, b.url) for b in blockers}
        assert ("Chair Person", "Chair Person: record agreed scores for A001 (K1, D1)",
                "/vacancies/TST-01/moderation/A001") in lines  # 0 and 3, 1 and 2: either side of 2, the met mark
        assert ("Chair Person", "Chair Person: submit scores for A002",
                "/vacancies/TST-01/scoring/A002") in lines
        assert ("Other Person", "Other Person: submit scores for A002",
                "/vacancies/TST-01/scoring/A002") in lines
        assert ("Chair Person", "Chair Person: confirm a decision for A002",
                "/vacancies/TST-01/decisions/A002") in lines
        trained = [b for b in blockers if b.code == "no_trained_panel_member"]
        assert [(b.who, b.url) for b in trained] == [("Chair Person", "/vacancies/TST-01/setup/panel")]
        # who may act on each
        assert [b.candidate for b in blockers if b.is_for(user(OTHER))] == ["A002"]
        assert not [b for b in blockers if b.is_for(user(HR))]
        grouped = dict(by_person(blockers))
        assert sorted(grouped) == ["Chair Person", "Other Person"]
        assert {b.role for b in grouped["Chair Person"]} == {"manager", "chair", "member"}


def test_no_blockers_exactly_when_the_finalise_check_passes(app, client):
    from tests.test_panel import campaign

    with app.test_request_context():
        load(campaign())
        v = vacancy()
        for email, values in ((CHAIR, {"A001": ("2", "1"), "A002": ("2", "0"), "A003": ("0", "0")}),
                              (MEMBER, {"A001": ("2", "1"), "A002": ("3", "0"), "A003": ("1", "0")})):
            member = user(email)
            panel.declare_conflicts(v, member, {a.token: ("no", "") for a in panel.applicants_for_declaration(v, member)})
            for ref, (k1, d1) in values.items():
                v = vacancy()
                marks = {"2020-01": ("explore", "")} if ref == "A001" else {}
                panel.save_sheet(v, panel.application_by_reference(v, ref), user(email), "shortlisting",
                                 {"K1": k1, "D1": d1}, {}, marks, submit=True)
        assert {b.code for b in finalise_blockers(vacancy())} == {"decision_missing"}
        for rec in panel.recommend_vacancy(vacancy(), "shortlisting"):
            v = vacancy()
            panel.decide(v, panel.application_by_reference(v, rec.reference), user(CHAIR),
                         panel.recommended_decision(rec), panel.suggested_reason(rec))
        assert finalise_blockers(vacancy()) == [] and panel.finalise_refusals(vacancy()) == []


def test_a_candidate_waiting_for_an_hr_review_is_work_for_hr(app, client):
    """A disabled applicant's claim that they cannot meet an essential criterion (R6), scored
    below it, waits for HR: the decisions page names HR and links to where HR acts."""
    from tests.app_fixtures import login

    data = campaign_dict()
    data["applications"][0].update({"disability_declared": True, "offer_interview_opt_in": True,
                                    "unmet_due_to_disability": ["K1"]})
    data["applications"][0]["scores"] = {"shortlisting": {CHAIR: {"K1": 1, "D1": 1}, MEMBER: {"K1": 1, "D1": 2}}}
    load(data)
    login(client, CHAIR)
    response = client.get("/vacancies/TST-01/decisions")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "HR: review the reasonable adjustment for A001 (K1)" in html
