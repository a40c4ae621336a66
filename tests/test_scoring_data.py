"""What the rules engine is given about a vacancy's applications (services/scoring_data.gather)."""

from __future__ import annotations

from shortlist.extensions import db
from shortlist.services import panel_changes
from shortlist.services.recommendations import recommend_with_records
from tests.factories import CHAIR, MEMBER, OTHER, campaign_dict, load, make_user


def test_a_member_who_left_the_panel_still_counts_and_their_conflict_still_applies():
    data = campaign_dict()
    data["applications"].append({
        "reference": "A002", "name": "Applicant Two", "email": "two@example.net",
        "evidence": {"K1": "Some evidence."}, "conflicts": [OTHER],
        "scores": {"shortlisting": {CHAIR: {"K1": 2, "D1": 2}, MEMBER: {"K1": 2, "D1": 1},
                                    OTHER: {"K1": 0, "D1": 0}}}})
    vacancy = load(data)
    hr = make_user("hr.gather@example.org")
    for email in (MEMBER, OTHER):
        membership = next(m for m in vacancy.panel if m.user.email == email)
        panel_changes.remove_member(vacancy, hr, membership, "Left the organisation")
    db.session.expire_all()
    assert {m.user.email for m in vacancy.panel} == {CHAIR}

    by_ref = {record.reference: (record, rec) for record, rec in recommend_with_records(vacancy)}
    one, one_rec = by_ref["A001"]
    assert one.scores == {CHAIR: {"K1": 2, "D1": 1}, MEMBER: {"K1": 3, "D1": 2}}
    assert one_rec.criteria["K1"].scores == (2, 3)
    two, two_rec = by_ref["A002"]
    assert two.conflicts == {OTHER} and two.submitted_by == {CHAIR, MEMBER, OTHER}
    assert two_rec.criteria["K1"].scores == (2, 2)  # the conflicted member's 0 is not counted
    assert "conflict_excluded" in {r.code for r in two_rec.criteria["K1"].reasons}
