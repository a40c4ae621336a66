"""check_decision, check_finalise, check_cap_change (R4, R5, R18, R19, R20, R28, R31)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from shortlist.rules import (
    InterviewCap,
    Outcome,
    Recommendation,
    check_cap_change,
    check_decision,
    check_finalise,
    check_interview_decision,
    recommend,
)
from tests.rules.helpers import A, B, C, TODAY, cand, codes_of, crit, gis, same, spell, vac

SCORES = {
    Outcome.GUARANTEED_INTERVIEW: (gis(), same({"K1": 2, "K2": 2, "K3": 2})),
    Outcome.MEETS_ESSENTIALS: (cand(), same({"K1": 2, "K2": 2, "K3": 2})),
    Outcome.DOES_NOT_MEET: (cand(), same({"K1": 1, "K2": 2, "K3": 2})),
    Outcome.INCOMPLETE: (cand(), same({"K1": 2, "K2": 2})),
    Outcome.HR_REVIEW: (cand(disability_declared=True, unmet_due_to_disability=frozenset({"K1"})),
                        same({"K1": 0, "K2": 2, "K3": 2})),
}


def rec_for(outcome: Outcome, within_cap: bool = True) -> Recommendation:
    candidate, scores = SCORES[outcome]
    rec = recommend(vac(), candidate, scores, {}, today=TODAY)
    assert rec.outcome is outcome
    return replace(rec, within_cap=within_cap)


G, M, N, INC, HR = (Outcome.GUARANTEED_INTERVIEW, Outcome.MEETS_ESSENTIALS,
                    Outcome.DOES_NOT_MEET, Outcome.INCOMPLETE, Outcome.HR_REVIEW)

ROWS = [
    # guaranteed interview (R4)
    (G, "invite", "member", None, True, []),
    (G, "reject", "chair", None, True, ["guarantee_protected"]),
    (G, "reserve", "chair", "reserve list", True, ["guarantee_protected"]),
    (G, "reject", "hr_admin", "not a good fit", True, ["guarantee_protected"]),
    (G, "reject", "hr_adviser", "withdrew", True, ["guarantee_protected"]),
    (G, "reject", "hr_admin", "withdrew", True, []),
    (G, "reject", "hr_admin", "duplicate", True, []),
    (G, "reject", "hr_admin", "statutory_bar", True, []),
    (G, "reject", "hr_admin", "volume_cap", True, ["volume_cap_not_applicable"]),
    (G, "reject", "hr_admin", "volume_cap", False, []),
    (G, "invite", "hr_admin", None, False, ["reason_required"]),
    # does not meet: rejection is recommended, inviting is an HR override
    (N, "reject", "chair", None, True, []),
    (N, "invite", "chair", "strong candidate", True, ["override_required"]),
    (N, "invite", "chair", None, True, ["override_required", "reason_required"]),
    (N, "invite", "hr_admin", None, True, ["reason_required"]),
    (N, "invite", "hr_admin", "Agreed score under appeal", True, []),
    (N, "reserve", "member", "x", True, ["override_required"]),
    # meets essentials: not inviting needs a recorded reason (R28)
    (M, "invite", "member", None, True, []),
    (M, "reject", "chair", None, True, ["reason_required"]),
    (M, "reject", "chair", "Ranked 9th on desirable criteria", True, []),
    (M, "reserve", "chair", "  ", True, ["reason_required"]),
    (M, "invite", "chair", None, False, ["reason_required"]),
    # not ready
    (INC, "invite", "hr_admin", "x", True, ["decision_not_ready"]),
    (INC, "reject", "chair", "withdrew", True, ["decision_not_ready"]),
    (INC, "reject", "hr_admin", "withdrew", True, []),
    (HR, "invite", "chair", "ok", True, ["hr_review_required"]),
    (HR, "invite", "hr_admin", None, True, ["reason_required"]),
    (HR, "invite", "hr_admin", "Adjustment agreed: automatic car", True, []),
]


@pytest.mark.parametrize(
    ("outcome", "decision", "role", "reason", "within_cap", "expected"),
    [pytest.param(*row, id=f"{row[0].value}-{row[1]}-{row[2]}-{row[3] or 'no-reason'}"
                  f"{'' if row[4] else '-beyond-cap'}") for row in ROWS],
)
def test_check_decision(outcome: Outcome, decision: str, role: str, reason: str | None,
                        within_cap: bool, expected: list[str]) -> None:
    refusals = check_decision(rec_for(outcome, within_cap), decision, role, reason)
    assert codes_of(refusals) == expected
    assert all(r.message for r in refusals)


def test_unknown_decision_raises() -> None:
    with pytest.raises(ValueError, match="unknown decision"):
        check_decision(rec_for(M), "maybe", "chair", None)


def test_finalise_allowed_when_complete() -> None:
    recs = [rec_for(G), rec_for(M), rec_for(N)]
    assert check_finalise(recs, vac(), TODAY, submitted_by=[A, B]) == []


def test_finalise_refusals_name_each_problem() -> None:
    recs = [rec_for(INC), rec_for(HR), rec_for(M)]
    refusals = check_finalise(recs, vac(safeguarding_role=True, panel=()), TODAY,
                              submitted_by=[A], decisions={"A001": "invite"})
    assert codes_of(refusals) == ["too_few_shortlisters", "no_trained_panel_member",
                                  "candidate_incomplete", "candidate_hr_review"]


def test_finalise_needs_every_decision_when_decisions_given() -> None:
    recs = [rec_for(M), replace(rec_for(N), reference="A002")]
    refusals = check_finalise(recs, vac(), TODAY, submitted_by=[A, B], decisions={"A001": "invite"})
    assert [(r.code, "A002" in r.message) for r in refusals] == [("decision_missing", True)]


def test_finalise_gap_marks_skip_conflicted_shortlisters() -> None:
    applicant = cand(conflicts=frozenset({C}),
                     employment_history=(spell("2015-01", "2019-12"), spell("2020-08", None)))
    rec = recommend(vac(), applicant, same({"K1": 2, "K2": 2, "K3": 2}), {}, today=TODAY)
    assert [p.gap_start for p in rec.probes] == ["2020-01"]
    marks = {"A001": {"2020-01": {A: "explained", B: "explore"}}}
    assert check_finalise([rec], vac(), TODAY, submitted_by=[A, B, C], gap_marks=marks) == []
    refusals = check_finalise([rec], vac(), TODAY, submitted_by=[A, B, C])
    assert [(r.code, r.member, r.gap_start) for r in refusals] == [
        ("gap_not_marked", A, "2020-01"), ("gap_not_marked", B, "2020-01")]


def test_finalise_rejects_unknown_gap_mark() -> None:
    applicant = cand(employment_history=(spell("2015-01", "2019-12"), spell("2020-08", None)))
    rec = recommend(vac(), applicant, same({"K1": 2, "K2": 2, "K3": 2}), {}, today=TODAY)
    with pytest.raises(ValueError, match="mark"):
        check_finalise([rec], vac(), TODAY, submitted_by=[A, B],
                       gap_marks={"A001": {"2020-01": {A: "ignored"}}})


@pytest.mark.parametrize(
    ("current", "new", "scored", "role", "approval", "expected"),
    [
        pytest.param(None, InterviewCap(20, "volume"), False, "hr_admin", None, [],
                     id="declared-before-scoring"),
        pytest.param(None, InterviewCap(0, ""), False, "hr_admin", None,
                     ["cap_invalid", "cap_invalid"], id="invalid-cap"),
        pytest.param(InterviewCap(20, "volume"), InterviewCap(20, "volume"), True, "chair", None,
                     [], id="unchanged-after-scoring"),
        pytest.param(InterviewCap(20, "volume"), InterviewCap(10, "volume"), True, "chair", None,
                     ["cap_after_scoring"], id="reduced-after-scoring"),
        pytest.param(InterviewCap(20, "volume"), None, True, "chair", None, [],
                     id="removed-after-scoring"),
    ],
)
def test_check_cap_change(current: InterviewCap | None, new: InterviewCap | None, scored: bool,
                          role: str, approval: str | None, expected: list[str]) -> None:
    vacancy = vac(interview_cap=current)
    assert codes_of(check_cap_change(vacancy, new, scored, role, approval)) == expected


# --------------------------------------------------------------------------- interview outcomes

INTERVIEW = vac(crit("K1", methods=("AF", "I")), crit("I1", methods=("I",)), crit("D1", essential=False, methods=("I",)))


def interview_rec(scores: dict[str, int], candidate=None) -> Recommendation:
    return recommend(INTERVIEW, candidate or cand(), same(scores), {}, stage="interview", today=TODAY)


@pytest.mark.parametrize(("scores", "decision", "reason", "expected"), [
    ({"K1": 2, "I1": 3, "D1": 0}, "appoint", "Best at interview.", []),
    ({"K1": 2, "I1": 1, "D1": 3}, "appoint", "Strong desirables.", ["appointment_gate"]),
    ({"K1": 2, "I1": 1, "D1": 3}, "not_appointed", "I1 not met at interview.", []),
    ({"K1": 2, "I1": 3, "D1": 0}, "reserve", "", ["reason_required"]),
    ({"K1": 2, "D1": 0}, "appoint", "Looks fine.", ["appointment_not_ready"]),
    ({"K1": 2, "D1": 0}, "not_appointed", "Withdrew.", ["appointment_not_ready"]),
])
def test_check_interview_decision(scores, decision, reason, expected) -> None:
    rec = interview_rec(scores)
    assert [r.code for r in check_interview_decision(rec, decision, reason)] == expected


def test_the_appointment_gate_names_the_unmet_criterion_and_the_scheme_does_not_lift_it() -> None:
    rec = interview_rec({"K1": 3, "I1": 0, "D1": 3}, gis())
    assert rec.outcome is Outcome.DOES_NOT_MEET  # the scheme guarantees an interview, not a job
    (refusal,) = check_interview_decision(rec, "appoint", "Guaranteed.")
    assert refusal.code == "appointment_gate" and "I1" in refusal.message


def test_unknown_interview_decision_raises() -> None:
    with pytest.raises(ValueError, match="unknown decision"):
        check_interview_decision(interview_rec({"K1": 2, "I1": 2}), "invite", "x")
