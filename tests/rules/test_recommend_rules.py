"""One row per clause of the shortlisting recommendation (issue 3): outcome, reason
codes with their criteria, and criterion statuses."""

from __future__ import annotations

import json
from collections.abc import Set
from dataclasses import dataclass, field
from typing import Any

import pytest

from shortlist.rules import (
    Candidate,
    Outcome,
    Scale,
    Vacancy,
    gating_criteria,
    recommend,
    stage_criteria,
)
from tests.rules.helpers import A, B, C, TODAY, cand, crit, gis, pairs, same, status_of, vac

ESS = (crit("K1"), crit("K2"), crit("D1", essential=False))
INTERVIEW = crit("K3", methods=("I", "P"))
DBS_CHECK = crit("K9", "Satisfactory enhanced DBS disclosure", methods=("AF",),
                 pre_employment=True)
DRIVING = crit("K4", "Full driving licence")
CLAIM = frozenset({"K4"})


@dataclass(frozen=True)
class Row:
    vacancy: Vacancy
    candidate: Candidate
    scores: dict[str, dict[str, int]]
    outcome: Outcome
    reasons: Set[tuple[str, str | None]]
    statuses: dict[str, str] = field(default_factory=dict)
    agreed: dict[str, int] = field(default_factory=dict)
    stage: str = "shortlisting"


NO_SCHEME = {"offer_interview": False}
MET: set[tuple[str, str | None]] = {("essentials_met", None)}

ROWS: dict[str, Row] = {
    # 1. agreed score decides
    "agreed-met-overrides-low-scores": Row(
        vac(*ESS, **NO_SCHEME), cand(), same({"K1": 1, "K2": 2}), Outcome.MEETS_ESSENTIALS, MET,
        {"K1": "met"}, agreed={"K1": 2}),
    "agreed-not-met-overrides-high-scores": Row(
        vac(*ESS, **NO_SCHEME), cand(), same({"K1": 3, "K2": 2}), Outcome.DOES_NOT_MEET,
        {("essential_not_met", "K1"), ("human_decision_required", None)}, {"K1": "not_met"},
        agreed={"K1": 1}),
    "agreed-settles-divergence": Row(
        vac(*ESS, **NO_SCHEME), cand(), {A: {"K1": 0, "K2": 2}, B: {"K1": 3, "K2": 2}},
        Outcome.MEETS_ESSENTIALS, MET, {"K1": "met"}, agreed={"K1": 2}),
    # 2. scorers
    "one-scorer-incomplete": Row(
        vac(*ESS, **NO_SCHEME), cand(), same({"K1": 2, "K2": 2}, members=(A,)),
        Outcome.INCOMPLETE, {("insufficient_scorers", "K1"), ("insufficient_scorers", "K2")},
        {"K1": "incomplete", "K2": "incomplete"}),
    "missing-score-on-one-criterion": Row(
        vac(*ESS, **NO_SCHEME), cand(), {A: {"K1": 2, "K2": 2}, B: {"K1": 2}},
        Outcome.INCOMPLETE, {("insufficient_scorers", "K2")}, {"K1": "met", "K2": "incomplete"}),
    "min-scorers-three": Row(
        vac(*ESS, min_scorers=3, **NO_SCHEME), cand(), same({"K1": 2, "K2": 2}),
        Outcome.INCOMPLETE, {("insufficient_scorers", "K1"), ("insufficient_scorers", "K2")}),
    "conflict-leaves-enough-scorers": Row(
        vac(*ESS, **NO_SCHEME), cand(conflicts=frozenset({C})),
        {**same({"K1": 2, "K2": 2}), C: {"K1": 0, "K2": 0}}, Outcome.MEETS_ESSENTIALS,
        MET | {("conflict_excluded", None)}, {"K1": "met", "K2": "met"}),
    "conflict-leaves-too-few": Row(
        vac(*ESS, **NO_SCHEME), cand(conflicts=frozenset({B})), same({"K1": 2, "K2": 2}),
        Outcome.INCOMPLETE, {("insufficient_scorers", "K1"), ("insufficient_scorers", "K2"),
                             ("conflict_excluded", "K1"), ("conflict_excluded", "K2"),
                             ("conflict_excluded", None)}),
    "declared-conflict-without-scores": Row(
        vac(*ESS, **NO_SCHEME), cand(conflicts=frozenset({C})), same({"K1": 2, "K2": 2}),
        Outcome.MEETS_ESSENTIALS, MET),
    # 3. independent scores
    "all-at-or-above-met": Row(
        vac(*ESS, **NO_SCHEME), cand(), {A: {"K1": 2, "K2": 3}, B: {"K1": 3, "K2": 3}},
        Outcome.MEETS_ESSENTIALS, MET, {"K1": "met", "K2": "met"}),
    "all-below-met": Row(
        vac(*ESS, **NO_SCHEME), cand(), {A: {"K1": 0, "K2": 1}, B: {"K1": 1, "K2": 1}},
        Outcome.DOES_NOT_MEET, {("essential_not_met", "K1"), ("essential_not_met", "K2"),
                                ("human_decision_required", None)}),
    "both-sides-of-met": Row(
        vac(*ESS, **NO_SCHEME), cand(), {A: {"K1": 1, "K2": 2}, B: {"K1": 2, "K2": 2}},
        Outcome.INCOMPLETE, {("moderation_required", "K1")}, {"K1": "incomplete"}),
    "spread-on-one-side-1-to-5": Row(
        vac(*ESS, scale=Scale(1, 5, 3, 2), **NO_SCHEME), cand(),
        {A: {"K1": 3, "K2": 4}, B: {"K1": 5, "K2": 4}},
        Outcome.INCOMPLETE, {("moderation_required", "K1")}, {"K1": "incomplete", "K2": "met"}),
    "not-met-beats-incomplete": Row(
        vac(*ESS, **NO_SCHEME), cand(), {A: {"K1": 0, "K2": 1}, B: {"K1": 1, "K2": 3}},
        Outcome.DOES_NOT_MEET, {("essential_not_met", "K1"), ("human_decision_required", None)},
        {"K2": "incomplete"}),
    "civil-service-1-7-met-4": Row(
        vac(*ESS, scale=Scale(1, 7, 4, 3), **NO_SCHEME), cand(),
        {A: {"K1": 4, "K2": 5}, B: {"K1": 5, "K2": 6}}, Outcome.MEETS_ESSENTIALS, MET),
    # desirable and stage rules
    "desirable-never-gates": Row(
        vac(*ESS, **NO_SCHEME), cand(), same({"K1": 2, "K2": 2, "D1": 0}),
        Outcome.MEETS_ESSENTIALS, MET, {"D1": "not_met"}),
    "desirable-divergence-never-gates": Row(
        vac(*ESS, **NO_SCHEME), cand(), {A: {"K1": 2, "K2": 2, "D1": 0},
                                         B: {"K1": 2, "K2": 2, "D1": 3}},
        Outcome.MEETS_ESSENTIALS, MET, {"D1": "incomplete"}),
    "interview-only-essential-not-judged": Row(
        vac(*ESS, INTERVIEW, **NO_SCHEME), cand(), same({"K1": 2, "K2": 2}),
        Outcome.MEETS_ESSENTIALS, MET, {"K3": "not_assessed"}),
    "interview-stage-gates-interview-criteria": Row(
        vac(*ESS, INTERVIEW, **NO_SCHEME), cand(), same({"K3": 1}), Outcome.DOES_NOT_MEET,
        {("essential_not_met", "K3"), ("human_decision_required", None)},
        {"K1": "not_assessed", "K3": "not_met"}, stage="interview"),
    "interview-stage-no-guarantee-outcome": Row(
        vac(*ESS, INTERVIEW), gis(), same({"K3": 2}), Outcome.MEETS_ESSENTIALS,
        {("essentials_met", None)}, stage="interview"),
    "pre-employment-never-scored": Row(
        vac(*ESS, DBS_CHECK, **NO_SCHEME), cand(), same({"K1": 2, "K2": 2, "K9": 0}),
        Outcome.MEETS_ESSENTIALS, MET, {"K9": "not_assessed"}),
    "pre-employment-not-at-interview": Row(
        vac(*ESS, crit("K8", "Right to work", methods=("I",), pre_employment=True), **NO_SCHEME),
        cand(), same({}), Outcome.MEETS_ESSENTIALS, {("no_gating_criteria", None)},
        {"K8": "not_assessed"}, stage="interview"),
    "zero-gating-criteria": Row(
        vac(crit("D1", essential=False), INTERVIEW, **NO_SCHEME), cand(), same({}),
        Outcome.MEETS_ESSENTIALS, {("no_gating_criteria", None)}),
    "zero-gating-criteria-scheme": Row(
        vac(crit("D1", essential=False), INTERVIEW), gis(), same({}),
        Outcome.GUARANTEED_INTERVIEW, {("no_gating_criteria", None), ("scheme_guarantee", None)}),
    # scheme membership
    "opted-in-and-declared": Row(
        vac(*ESS), gis(), same({"K1": 2, "K2": 2}), Outcome.GUARANTEED_INTERVIEW,
        {("scheme_guarantee", None)}),
    "opted-in-not-declared": Row(
        vac(*ESS), cand(offer_interview_opt_in=True), same({"K1": 2, "K2": 2}),
        Outcome.MEETS_ESSENTIALS, MET),
    "vacancy-not-in-scheme": Row(
        vac(*ESS, **NO_SCHEME), gis(), same({"K1": 2, "K2": 2}), Outcome.MEETS_ESSENTIALS, MET),
    "scheme-candidate-incomplete": Row(
        vac(*ESS), gis(), same({"K1": 2}), Outcome.INCOMPLETE, {("insufficient_scorers", "K2")}),
    # 4. disability-related unmet criterion
    "waiver-on-others-met": Row(
        vac(*ESS, DRIVING, waiver_policy=True, **NO_SCHEME),
        cand(disability_declared=True, unmet_due_to_disability=CLAIM),
        same({"K1": 2, "K2": 2, "K4": 0}), Outcome.GUARANTEED_INTERVIEW,
        {("waiver_applied", "K4")}, {"K4": "waived"}),
    "waiver-on-other-not-met": Row(
        vac(*ESS, DRIVING, waiver_policy=True, **NO_SCHEME),
        cand(disability_declared=True, unmet_due_to_disability=CLAIM),
        same({"K1": 1, "K2": 2, "K4": 0}), Outcome.DOES_NOT_MEET,
        {("essential_not_met", "K1"), ("human_decision_required", None)},
        {"K4": "hr_review", "K1": "not_met"}),
    "waiver-on-other-incomplete": Row(
        vac(*ESS, DRIVING, waiver_policy=True, **NO_SCHEME),
        cand(disability_declared=True, unmet_due_to_disability=CLAIM),
        {A: {"K1": 2, "K2": 1, "K4": 0}, B: {"K1": 2, "K2": 3, "K4": 0}}, Outcome.INCOMPLETE,
        {("moderation_required", "K2")}, {"K4": "hr_review"}),
    "waiver-on-two-claims": Row(
        vac(*ESS, DRIVING, crit("K5", "Lift 20kg"), waiver_policy=True, **NO_SCHEME),
        cand(disability_declared=True, unmet_due_to_disability=frozenset({"K4", "K5"})),
        same({"K1": 2, "K2": 2, "K4": 0, "K5": 1}), Outcome.GUARANTEED_INTERVIEW,
        {("waiver_applied", "K4"), ("waiver_applied", "K5")}),
    "waiver-off-hr-review": Row(
        vac(*ESS, DRIVING, **NO_SCHEME),
        cand(disability_declared=True, unmet_due_to_disability=CLAIM),
        same({"K1": 2, "K2": 2, "K4": 0}), Outcome.HR_REVIEW, {("adjustment_review", "K4")},
        {"K4": "hr_review"}),
    "waiver-non-waivable": Row(
        vac(*ESS, crit("K4", "Full driving licence (legal requirement)", non_waivable=True),
            waiver_policy=True, **NO_SCHEME),
        cand(disability_declared=True, unmet_due_to_disability=CLAIM),
        same({"K1": 2, "K2": 2, "K4": 0}), Outcome.DOES_NOT_MEET,
        {("essential_not_met", "K4"), ("waiver_not_allowed", "K4"),
         ("human_decision_required", None)}),
    "claim-without-declaration-ignored": Row(
        vac(*ESS, DRIVING, waiver_policy=True, **NO_SCHEME),
        cand(unmet_due_to_disability=CLAIM), same({"K1": 2, "K2": 2, "K4": 0}),
        Outcome.DOES_NOT_MEET, {("essential_not_met", "K4"), ("human_decision_required", None)}),
    "claim-on-met-criterion-no-waiver": Row(
        vac(*ESS, DRIVING, waiver_policy=True, **NO_SCHEME),
        cand(disability_declared=True, unmet_due_to_disability=CLAIM),
        same({"K1": 2, "K2": 2, "K4": 2}), Outcome.MEETS_ESSENTIALS, MET, {"K4": "met"}),
    "claim-on-desirable-ignored": Row(
        vac(*ESS, waiver_policy=True, **NO_SCHEME),
        cand(disability_declared=True, unmet_due_to_disability=frozenset({"D1"})),
        same({"K1": 2, "K2": 2, "D1": 0}), Outcome.MEETS_ESSENTIALS, MET, {"D1": "not_met"}),
    "scheme-and-waiver": Row(
        vac(*ESS, DRIVING, waiver_policy=True), gis(unmet_due_to_disability=CLAIM),
        same({"K1": 3, "K2": 2, "K4": 1}), Outcome.GUARANTEED_INTERVIEW,
        {("scheme_guarantee", None), ("waiver_applied", "K4")}),
}


@pytest.mark.parametrize("row", ROWS.values(), ids=ROWS.keys())
def test_rule(row: Row) -> None:
    rec = recommend(row.vacancy, row.candidate, row.scores, row.agreed, stage=row.stage,
                    today=TODAY)
    assert rec.outcome is row.outcome
    assert pairs(rec.reasons) == row.reasons
    statuses = status_of(rec)
    for key, status in row.statuses.items():
        assert statuses[key] == status, key
    json.dumps(rec.to_dict())  # JSON-ready


def test_every_reason_message_names_its_criterion() -> None:
    vacancy = vac(crit("K1", "Experience of systemic family therapy"), crit("K2"), **NO_SCHEME)
    rec = recommend(vacancy, cand(), same({"K1": 1, "K2": 2}), {}, today=TODAY)
    for reason in rec.reasons + rec.criteria["K1"].reasons:
        if reason.criterion == "K1":
            assert 'K1 "Experience of systemic family therapy"' in reason.message


def test_conflict_reason_names_member_outside_the_message() -> None:
    rec = recommend(vac(*ESS), cand(conflicts=frozenset({C})),
                    {**same({"K1": 2, "K2": 2}), C: {"K1": 0}}, {}, today=TODAY)
    conflict = [r for r in rec.criteria["K1"].reasons if r.code == "conflict_excluded"]
    assert [r.member for r in conflict] == [C]
    assert C not in conflict[0].message
    assert rec.criteria["K1"].scores == (2, 2)
    assert rec.conflicted_members == (C,)


@pytest.mark.parametrize(
    ("scores", "agreed", "expected"),
    [
        pytest.param({A: {"K1": 2, "K2": 3}, B: {"K1": 3, "K2": 3}}, {}, (2.5, 3.0, 5.5, 5.5),
                     id="mean-of-counted"),
        pytest.param({A: {"K1": 2, "K2": 3, "D1": 1}, B: {"K1": 3, "K2": 3, "D1": 2}}, {"K1": 3},
                     (3.0, 3.0, 6.0, 7.5), id="agreed-and-desirable"),
        pytest.param({A: {"K1": 2}}, {}, (2.0, None, 2.0, 2.0), id="missing-counts-zero"),
    ],
)
def test_scores_and_totals(scores: dict[str, dict[str, int]], agreed: dict[str, int],
                           expected: tuple[float, float | None, float, float]) -> None:
    rec = recommend(vac(*ESS), cand(), scores, agreed, today=TODAY)
    assert (rec.criteria["K1"].score, rec.criteria["K2"].score, rec.essential_total,
            rec.total) == expected


def test_waived_criterion_counts_at_the_met_mark_in_totals() -> None:
    vacancy = vac(*ESS, DRIVING, waiver_policy=True)
    rec = recommend(vacancy, cand(disability_declared=True, unmet_due_to_disability=CLAIM),
                    same({"K1": 2, "K2": 3, "K4": 0}), {}, today=TODAY)
    assert rec.criteria["K4"].score == 0.0
    assert rec.essential_total == 7.0


@pytest.mark.parametrize(
    ("scores", "agreed", "candidate", "stage", "message"),
    [
        pytest.param({A: {"K1": 4}}, {}, cand(), "shortlisting", "outside the scale",
                     id="score-above-scale"),
        pytest.param({A: {"K1": -1}}, {}, cand(), "shortlisting", "outside the scale",
                     id="score-below-scale"),
        pytest.param({A: {"K7": 2}}, {}, cand(), "shortlisting", "unknown criterion",
                     id="unknown-criterion"),
        pytest.param({A: {"K1": True}}, {}, cand(), "shortlisting", "not a whole number",
                     id="bool-score"),
        pytest.param({A: {"K1": 2.5}}, {}, cand(), "shortlisting", "not a whole number",
                     id="float-score"),
        pytest.param({}, {"K1": 9}, cand(), "shortlisting", "outside the scale",
                     id="agreed-outside-scale"),
        pytest.param({}, {"X": 2}, cand(), "shortlisting", "unknown criterion",
                     id="agreed-unknown-criterion"),
        pytest.param({}, {}, cand(disability_declared=True,
                                  unmet_due_to_disability=frozenset({"ZZ"})),
                     "shortlisting", "unknown criterion", id="claim-unknown-criterion"),
        pytest.param({}, {}, cand(), "sift", "unknown stage", id="unknown-stage"),
    ],
)
def test_invalid_input_raises(scores: dict[str, dict[str, Any]], agreed: dict[str, int],
                              candidate: Candidate, stage: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        recommend(vac(*ESS), candidate, scores, agreed, stage=stage, today=TODAY)


def test_stage_and_gating_criteria() -> None:
    vacancy = vac(*ESS, INTERVIEW, DBS_CHECK, crit("T1", methods=("AF", "T")),
                  crit("R1", methods=("R",)))
    assert [c.key for c in stage_criteria(vacancy, "shortlisting")] == ["K1", "K2", "D1", "T1"]
    assert [c.key for c in gating_criteria(vacancy, "shortlisting")] == ["K1", "K2", "T1"]
    assert [c.key for c in stage_criteria(vacancy, "interview")] == ["K3", "T1"]
    assert [c.key for c in gating_criteria(vacancy, "interview")] == ["K3", "T1"]


def test_recommendation_to_dict_shape() -> None:
    rec = recommend(vac(*ESS), gis(), same({"K1": 2, "K2": 3, "D1": 1}), {}, today=TODAY)
    data = rec.to_dict()
    assert data["outcome"] == "guaranteed_interview"
    assert data["criteria"]["K1"] == {
        "status": "met", "score": 2.0, "scores": [2, 2], "gating": True,
        "reasons": [{"code": "criterion_met", "criterion": "K1", "member": None,
                     "gap_start": None, "candidate": None,
                     "message": 'K1 "Criterion K1" is met: every independent score (2, 2) is 2 '
                                "or more."}]}
    assert data["within_cap"] is True
    assert json.loads(json.dumps(data)) == data
