"""The 25 test scenarios at the end of shared/guides/uk-rules.md, where the engine has a part.

Covered here: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 13, 14, 17, 18, 19, 20, 21, 22, 24, 25;
12 in part (the engine's types carry no equality or criminal-record data, so no
recommendation can leak them; role-based API filtering is tested with the app);
15 in part (a criminal-record criterion is never scored; what forms may ask lives in
the app's publish checks).
Out of the engine: 11 (health question on a form: form publishing, app),
16 (DBS certificate retention: retention job, app), 23 (retention with legal hold:
retention job, app).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from shortlist.rules import (
    DBS,
    Candidate,
    ForcesService,
    InterviewCap,
    Outcome,
    PanelMember,
    Scale,
    Vacancy,
    check_cap_change,
    check_decision,
    check_finalise,
    check_tie_break,
    check_vacancy,
    recommend,
    recommend_all,
)
from tests.rules.helpers import (
    A,
    B,
    PANEL,
    TODAY,
    cand,
    codes_of,
    crit,
    gis,
    pairs,
    same,
    spell,
    status_of,
    vac,
)

E3 = {"K1": 2, "K2": 3, "K3": 2, "D1": 0}
DRIVING = crit("K4", "Full UK driving licence")
NMC = crit("K4", "Current NMC registration", methods=("Q",), non_waivable=True)
COMMUNICATION = crit("K5", "Communication with families", methods=("I",))


@dataclass(frozen=True)
class Case:
    vacancy: Vacancy
    candidate: Candidate
    scores: dict[str, dict[str, int]]
    outcome: Outcome
    reasons: set[tuple[str, str | None]]
    agreed: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, str] = field(default_factory=dict)
    rationales: dict[str, str] | None = None


CASES: dict[str, Case] = {
    "s01-gis-meets-all-essentials": Case(
        vac(), gis(), same(E3), Outcome.GUARANTEED_INTERVIEW, {("scheme_guarantee", None)},
        statuses={"K1": "met", "K2": "met", "K3": "met", "D1": "not_met"}),
    "s02-gis-fails-essential-2": Case(
        vac(), gis(), same({"K1": 2, "K2": 1, "K3": 3}), Outcome.DOES_NOT_MEET,
        {("essential_not_met", "K2"), ("human_decision_required", None)},
        statuses={"K2": "not_met"}),
    "s02-agreed-score-decides": Case(
        vac(), gis(), same({"K1": 2, "K2": 2, "K3": 3}), Outcome.DOES_NOT_MEET,
        {("essential_not_met", "K2"), ("human_decision_required", None)}, agreed={"K2": 1}),
    "s04-interview-only-essential-ignored": Case(
        vac(crit("K1"), crit("K2"), COMMUNICATION), gis(), same({"K1": 2, "K2": 2}),
        Outcome.GUARANTEED_INTERVIEW, {("scheme_guarantee", None)},
        statuses={"K5": "not_assessed"}),
    "s05-declared-not-opted-in": Case(
        vac(), cand(disability_declared=True), same(E3), Outcome.MEETS_ESSENTIALS,
        {("essentials_met", None)}),
    "s05-declaration-triggers-scheme": Case(
        vac(declaration_triggers_scheme=True), cand(disability_declared=True), same(E3),
        Outcome.GUARANTEED_INTERVIEW, {("scheme_guarantee", None)}),
    "s08-waiver-policy-on": Case(
        vac(crit("K1"), crit("K2"), DRIVING, waiver_policy=True),
        cand(disability_declared=True, unmet_due_to_disability=frozenset({"K4"})),
        same({"K1": 2, "K2": 3, "K4": 0}), Outcome.GUARANTEED_INTERVIEW,
        {("waiver_applied", "K4")}, statuses={"K4": "waived"}),
    "s08-waiver-policy-off": Case(
        vac(crit("K1"), crit("K2"), DRIVING, waiver_policy=False),
        cand(disability_declared=True, unmet_due_to_disability=frozenset({"K4"})),
        same({"K1": 2, "K2": 3, "K4": 0}), Outcome.HR_REVIEW,
        {("adjustment_review", "K4")}, statuses={"K4": "hr_review"}),
    # issue 14 finding 7: HR's adjustment review has an outcome of its own, with a reason
    "s08-hr-agrees-an-adjustment": Case(
        vac(crit("K1"), crit("K2"), DRIVING, waiver_policy=False, offer_interview=False),
        cand(disability_declared=True, unmet_due_to_disability=frozenset({"K4"}),
             adjustment_reviews={"K4": "met_with_adjustment"}),
        same({"K1": 2, "K2": 3, "K4": 0}), Outcome.MEETS_ESSENTIALS,
        {("essentials_met", None), ("adjustment_agreed", "K4")}, statuses={"K4": "met"}),
    "s08-hr-agrees-an-adjustment-in-the-scheme": Case(
        vac(crit("K1"), crit("K2"), DRIVING, waiver_policy=False),
        gis(unmet_due_to_disability=frozenset({"K4"}), adjustment_reviews={"K4": "met_with_adjustment"}),
        same({"K1": 2, "K2": 3, "K4": 0}), Outcome.GUARANTEED_INTERVIEW,
        {("scheme_guarantee", None), ("adjustment_agreed", "K4")}, statuses={"K4": "met"}),
    "s08-hr-finds-no-reasonable-adjustment": Case(
        vac(crit("K1"), crit("K2"), DRIVING, waiver_policy=False),
        cand(disability_declared=True, unmet_due_to_disability=frozenset({"K4"}),
             adjustment_reviews={"K4": "not_met"}),
        same({"K1": 2, "K2": 3, "K4": 0}), Outcome.DOES_NOT_MEET,
        {("essential_not_met", "K4"), ("adjustment_not_agreed", "K4"), ("human_decision_required", None)},
        statuses={"K4": "not_met"}),
    "s09-non-waivable-registration": Case(
        vac(crit("K1"), NMC, waiver_policy=True),
        gis(unmet_due_to_disability=frozenset({"K4"})),
        same({"K1": 3, "K4": 0}), Outcome.DOES_NOT_MEET,
        {("essential_not_met", "K4"), ("waiver_not_allowed", "K4"),
         ("human_decision_required", None)}, statuses={"K4": "not_met"}),
    "s19-employment-gap-no-effect-on-scores": Case(
        vac(offer_interview=False),
        cand(employment_history=(spell("2018-01", "2021-02"), spell("2021-10", None))),
        same(E3), Outcome.MEETS_ESSENTIALS, {("essentials_met", None)}),
    "s20-divergence-needs-moderation": Case(
        vac(), cand(), {A: {"K1": 0, "K2": 2, "K3": 2}, B: {"K1": 3, "K2": 2, "K3": 2}},
        Outcome.INCOMPLETE, {("moderation_required", "K1")}, statuses={"K1": "incomplete"}),
    "s20-agreed-without-rationale": Case(
        vac(), cand(), {A: {"K1": 0, "K2": 2, "K3": 2}, B: {"K1": 3, "K2": 2, "K3": 2}},
        Outcome.INCOMPLETE, {("rationale_required", "K1")}, agreed={"K1": 2}, rationales={}),
    "s20-agreed-with-rationale": Case(
        vac(offer_interview=False), cand(),
        {A: {"K1": 0, "K2": 2, "K3": 2}, B: {"K1": 3, "K2": 2, "K3": 2}},
        Outcome.MEETS_ESSENTIALS, {("essentials_met", None)}, agreed={"K1": 2},
        rationales={"K1": "Evidence in section 4 meets the descriptor."}),
    "s21-conflicted-member-excluded": Case(
        vac(offer_interview=False), cand(conflicts=frozenset({B})),
        {A: {"K1": 3, "K2": 3, "K3": 3}, B: {"K1": 0, "K2": 0, "K3": 0}},
        Outcome.INCOMPLETE,
        {("insufficient_scorers", "K1"), ("insufficient_scorers", "K2"),
         ("insufficient_scorers", "K3"), ("conflict_excluded", "K1"), ("conflict_excluded", "K2"),
         ("conflict_excluded", "K3"), ("conflict_excluded", None)}),
    "s24-auto-reject-is-a-recommendation": Case(
        vac(offer_interview=False), cand(), same({"K1": 1, "K2": 2, "K3": 2}),
        Outcome.DOES_NOT_MEET, {("essential_not_met", "K1"), ("human_decision_required", None)}),
    "s25-veteran-left-4-years-ago": Case(
        vac(offer_interview=False, armed_forces_scheme=True),
        cand(forces=ForcesService(left_on=date(2022, 5, 1))), same(E3),
        Outcome.MEETS_ESSENTIALS, {("essentials_met", None)}),
    "s25-veteran-left-2-years-ago": Case(
        vac(offer_interview=False, armed_forces_scheme=True),
        cand(forces=ForcesService(left_on=date(2024, 5, 1))), same(E3),
        Outcome.GUARANTEED_INTERVIEW, {("armed_forces_guarantee", None)}),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_scenario_recommendation(case: Case) -> None:
    rec = recommend(case.vacancy, case.candidate, case.scores, case.agreed, today=TODAY,
                    rationales=case.rationales)
    assert rec.outcome is case.outcome
    assert pairs(rec.reasons) == case.reasons
    statuses = status_of(rec)
    for key, status in case.statuses.items():
        assert statuses[key] == status


def test_s01_panel_cannot_reject_guaranteed_candidate() -> None:
    rec = recommend(vac(), gis(), same(E3), {}, today=TODAY)
    assert codes_of(check_decision(rec, "reject", "chair", "weaker than others")) == [
        "guarantee_protected"]
    assert check_decision(rec, "invite", "chair", None) == []


def test_s03_desirable_criteria_never_exclude_a_scheme_candidate() -> None:
    field_: list[tuple[Candidate, Any, Any]] = [(gis("A001"), same({"K1": 2, "K2": 2, "K3": 2, "D1": 0}), {})] + [
        (cand(f"A10{i}"), same({"K1": 3, "K2": 3, "K3": 3, "D1": 3}), {}) for i in range(6)]
    recs = recommend_all(vac(), field_)
    scheme = recs[0]
    assert scheme.outcome is Outcome.GUARANTEED_INTERVIEW
    assert scheme.total < min(r.total for r in recs[1:])
    shortlisted = [r for r in recs if r.outcome in (Outcome.GUARANTEED_INTERVIEW,
                                                    Outcome.MEETS_ESSENTIALS)]
    assert len(shortlisted) == 7


def test_s06_high_volume_cap_ranks_scheme_candidates_on_essentials() -> None:
    vacancy = vac(interview_cap=InterviewCap(20, "Seasonal campaign, 400 applicants"))
    field_: list[tuple[Candidate, Any, Any]] = []
    for i in range(30):  # scheme candidates meeting essentials, essential totals 6..9
        e = 2 + (i % 2)
        field_.append((gis(f"G{i:03d}"), same({"K1": e, "K2": 2 + (i % 4 == 0), "K3": 2,
                                                 "D1": 3}), {}))
    for i in range(370):
        if i % 2:
            field_.append((cand(f"N{i:03d}"), same({"K1": 1, "K2": 2, "K3": 2, "D1": 0}), {}))
        else:
            field_.append((cand(f"N{i:03d}"), same({"K1": 3, "K2": 3, "K3": 2, "D1": i % 4}), {}))
    recs = recommend_all(vacancy, field_)
    g = [r for r in recs if r.outcome is Outcome.GUARANTEED_INTERVIEW]
    m = [r for r in recs if r.outcome is Outcome.MEETS_ESSENTIALS]
    assert len(g) == 30
    g_in, g_out = [r for r in g if r.within_cap], [r for r in g if not r.within_cap]
    m_out = [r for r in m if not r.within_cap]
    assert g_out and m_out  # the guarantee no longer covers all 30; the cap binds both pools
    assert min(r.essential_total for r in g_in) > max(r.essential_total for r in g_out)
    assert all("volume_cap" in codes_of(r.reasons) for r in g_out + m_out)
    assert all(r.outcome is Outcome.GUARANTEED_INTERVIEW for r in g_out)  # outcome unchanged
    not_meeting = [r for r in recs if r.outcome is Outcome.DOES_NOT_MEET]
    assert all(r.within_cap for r in not_meeting)


@pytest.mark.parametrize(
    ("scores_submitted", "role", "approval", "expected"),
    [
        pytest.param(False, "hr_admin", None, [], id="before-scoring-allowed"),
        pytest.param(True, "hr_admin", None, ["cap_after_scoring"], id="after-scoring-blocked"),
        pytest.param(True, "chair", "urgent", ["cap_after_scoring"], id="after-scoring-not-hr"),
        pytest.param(True, "hr_admin", "Approved by Head of HR, 400 applicants", [],
                     id="after-scoring-senior-hr-approval"),
    ],
)
def test_s07_cap_added_after_scoring(scores_submitted: bool, role: str, approval: str | None,
                                     expected: list[str]) -> None:
    refusals = check_cap_change(vac(), InterviewCap(20, "volume"), scores_submitted, role, approval)
    assert codes_of(refusals) == expected


@pytest.mark.parametrize(
    ("role", "reason", "expected"),
    [
        pytest.param("chair", "withdrew", ["guarantee_protected"], id="panel-chair"),
        pytest.param("member", None, ["guarantee_protected"], id="panel-member-no-reason"),
        pytest.param("hr_admin", "weaker candidate", ["guarantee_protected"], id="hr-free-reason"),
        pytest.param("hr_admin", "withdrew", [], id="hr-withdrew"),
        pytest.param("hr_admin", "statutory_bar", [], id="hr-statutory-bar"),
        pytest.param("hr_admin", "volume_cap", ["volume_cap_not_applicable"], id="hr-cap-within"),
    ],
)
def test_s10_panel_override_of_a_guarantee(role: str, reason: str | None,
                                           expected: list[str]) -> None:
    rec = recommend(vac(), gis(), same(E3), {}, today=TODAY)
    assert codes_of(check_decision(rec, "reject", role, reason)) == expected


def test_s12_recommendations_carry_no_monitoring_data() -> None:
    rec = recommend(vac(), gis(), same(E3), {}, today=TODAY).to_dict()
    sealed = {"ethnicity", "sex", "religion", "sexual_orientation", "age_band", "disability",
              "disability_declared", "criminal_record_declaration", "name", "email"}
    assert not sealed & set(rec)
    assert not {"equality_monitoring", "criminal_record_declaration", "name", "email"} & {
        f for f in Candidate.__dataclass_fields__}


@pytest.mark.parametrize(
    ("other_scores", "expected"),
    [
        pytest.param({"K1": 10, "K2": 2, "K3": 2, "D1": 3}, [], id="17-vs-17-allowed"),
        pytest.param({"K1": 10, "K2": 2, "K3": 2, "D1": 2}, ["tie_break_not_tied"],
                     id="17-vs-16-refused"),
    ],
)
def test_s13_positive_action_tie_break(other_scores: dict[str, int], expected: list[str]) -> None:
    vacancy = vac(offer_interview=False, scale=Scale(0, 10, 2, 11, {n: str(n) for n in range(11)}))
    first = recommend(vacancy, cand("A1"), same({"K1": 10, "K2": 2, "K3": 2, "D1": 3}), {},
                      today=TODAY)
    second = recommend(vacancy, cand("A2"), same(other_scores), {}, today=TODAY)
    assert first.total == 17
    refusals = check_tie_break(first, second, "sex", "Workforce report 2025, table 3",
                               "Equally qualified; women under-represented at this grade")
    assert codes_of(refusals) == expected
    assert codes_of(check_tie_break(first, second, "sex", "", "")) == expected + [
        "tie_break_evidence_required"]


def test_s14_barred_list_without_regulated_activity() -> None:
    vacancy = vac(dbs=DBS("enhanced", ("adults",), regulated_activity=False))
    found = {(f.severity, f.code, f.field) for f in check_vacancy(vacancy, TODAY)}
    assert ("error", "barred_list_needs_regulated_activity", "dbs.barred_lists") in found
    # "wrong list" (adults' list for a children-only workforce) is HR-asserted eligibility (R13):
    # the engine cannot compute it.


def test_s15_criminal_record_criterion_never_scored() -> None:
    dbs = crit("K9", "Satisfactory enhanced criminal records bureau disclosure", pre_employment=True)
    vacancy = vac(crit("K1"), dbs)
    rec = recommend(vacancy, cand(), same({"K1": 2, "K9": 0}), {}, today=TODAY)
    assert rec.outcome is Outcome.MEETS_ESSENTIALS or rec.outcome is Outcome.GUARANTEED_INTERVIEW
    assert rec.criteria["K9"].status.value == "not_assessed"
    assert rec.criteria["K9"].scores == ()


def test_s17_safer_recruitment_training_expired() -> None:
    expired = (PanelMember(A, "Ann Chair", "chair", date(2022, 1, 10)),
               PanelMember(B, "Bob Member", "member", None))
    vacancy = vac(safeguarding_role=True, panel=expired)
    assert [(f.severity, f.code) for f in check_vacancy(vacancy, TODAY)] == [
        ("warning", "no_trained_panel_member")]
    refusals = check_finalise([], vacancy, TODAY, submitted_by={A, B})
    assert codes_of(refusals) == ["no_trained_panel_member"]
    retrained = vac(safeguarding_role=True, panel=PANEL)
    assert check_finalise([], retrained, TODAY, submitted_by={A, B}) == []


def test_s18_single_shortlister() -> None:
    vacancy = vac(offer_interview=False)
    rec = recommend(vacancy, cand(), same(E3, members=(A,)), {}, today=TODAY)
    assert rec.outcome is Outcome.INCOMPLETE
    assert {c for c, _ in pairs(rec.reasons)} == {"insufficient_scorers"}
    refusals = check_finalise([rec], vacancy, TODAY, submitted_by={A})
    assert codes_of(refusals) == ["too_few_shortlisters", "candidate_incomplete"]


def test_s19_gap_probe_must_be_marked_by_each_shortlister() -> None:
    vacancy = vac(offer_interview=False)
    applicant = cand(employment_history=(spell("2018-01", "2021-02"), spell("2021-10", None)))
    rec = recommend(vacancy, applicant, same(E3), {}, today=TODAY)
    assert rec.outcome is Outcome.MEETS_ESSENTIALS
    assert [(p.code, p.gap_start) for p in rec.probes] == [("employment_gap", "2021-03")]
    assert "7 months" in rec.probes[0].message
    refusals = check_finalise([rec], vacancy, TODAY, submitted_by={A, B},
                              gap_marks={"A001": {"2021-03": {A: "explore"}}})
    assert [(r.code, r.member) for r in refusals] == [("gap_not_marked", B)]
    marks = {"A001": {"2021-03": {A: "explore", B: "explore"}}}
    assert check_finalise([rec], vacancy, TODAY, submitted_by={A, B}, gap_marks=marks) == []


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        pytest.param((crit("K1"),), [("error", "fluency_criterion_missing", None)], id="missing"),
        pytest.param((crit("K1"), crit("K2", "An ability to fulfil all spoken aspects of the role "
                                              "with confidence using the English Language as "
                                              "required by Part 7 of the Immigration Act 2016",
                                       methods=("I",))),
                     [], id="birmingham-wording-by-interview"),
        pytest.param((crit("K1"), crit("K2", "Fluent spoken English", methods=("AF",))),
                     [("error", "fluency_criterion_missing", "K2")], id="fluency-by-form-only"),
        pytest.param((crit("K1"), crit("K2", "Fluent spoken English", essential=False,
                                       methods=("I",))),
                     [("error", "fluency_criterion_missing", "K2")], id="fluency-desirable"),
    ],
)
def test_s22_customer_facing_role_needs_fluency(criteria: tuple[Any, ...],
                                                expected: list[tuple[str, str, str | None]]) -> None:
    vacancy = vac(*criteria, customer_facing=True)
    found = [(f.severity, f.code, f.criterion) for f in check_vacancy(vacancy, TODAY)
             if f.code == "fluency_criterion_missing"]
    assert found == expected


def test_s24_rejection_needs_a_named_person() -> None:
    rec = recommend(vac(offer_interview=False), cand(), same({"K1": 1, "K2": 2, "K3": 2}), {},
                    today=TODAY)
    assert rec.outcome is Outcome.DOES_NOT_MEET  # a recommendation; there is no "rejected" outcome
    assert "rejected" not in {o.value for o in Outcome}
    assert check_decision(rec, "reject", "chair", None) == []


def test_s25_veteran_guarantee_displaces_no_one() -> None:
    vacancy = vac(offer_interview=False, armed_forces_scheme=True)
    others: list[tuple[Candidate, Any, Any]] = [(cand(f"A{i}"), same(E3), {}) for i in range(3)]
    veteran: tuple[Candidate, Any, Any] = (cand("V1", forces=ForcesService(left_on=date(2024, 5, 1))), same(E3), {})
    before = recommend_all(vacancy, others, today=TODAY)
    after = recommend_all(vacancy, [*others, veteran], today=TODAY)
    assert [r.outcome for r in after[:3]] == [r.outcome for r in before]
    assert after[3].outcome is Outcome.GUARANTEED_INTERVIEW
