"""check_vacancy: one row per check, asserting severity, code, field path and criterion."""

from __future__ import annotations

from datetime import date
import pytest

from shortlist.rules import (
    DBS,
    Criterion,
    InterviewCap,
    PanelMember,
    Scale,
    Vacancy,
    check_vacancy,
    is_fluency_criterion,
    looks_like_dbs_check,
    trained_members,
)
from tests.rules.helpers import A, B, TODAY, crit, vac

Found = tuple[str, str, str, str | None]

ROWS: dict[str, tuple[Vacancy, set[Found]]] = {
    "clean": (vac(), set()),
    "barred-list-level-none": (
        vac(dbs=DBS("none", ("children",), True), safeguarding_role=True),
        {("error", "barred_list_needs_enhanced", "dbs.barred_lists", None)}),
    "barred-list-level-standard": (
        vac(dbs=DBS("standard", ("adults",), True), safeguarding_role=True),
        {("error", "barred_list_needs_enhanced", "dbs.barred_lists", None)}),
    "barred-list-not-regulated": (
        vac(dbs=DBS("enhanced", ("children", "adults"), False)),
        {("error", "barred_list_needs_regulated_activity", "dbs.barred_lists", None)}),
    "barred-list-ok": (vac(dbs=DBS("enhanced", ("children",), True), safeguarding_role=True), set()),
    "regulated-not-safeguarding": (
        vac(dbs=DBS("enhanced", ("children",), True)),
        {("error", "regulated_activity_not_safeguarding", "safeguarding_exemption", None)}),
    "regulated-not-safeguarding-with-reason": (
        vac(dbs=DBS("enhanced", ("children",), True), safeguarding_exemption="Always supervised by trained staff."),
        set()),
    "regulated-not-safeguarding-blank-reason": (
        vac(dbs=DBS("enhanced", ("children",), True), safeguarding_exemption="   "),
        {("error", "regulated_activity_not_safeguarding", "safeguarding_exemption", None)}),
    "barred-list-unknown": (
        vac(dbs=DBS("enhanced", ("pets",), True), safeguarding_role=True),
        {("error", "barred_list_unknown", "dbs.barred_lists", None)}),
    "regulated-without-list": (
        vac(dbs=DBS("enhanced", (), True), safeguarding_role=True),
        {("warning", "regulated_activity_without_barred_list", "dbs.barred_lists", None)}),
    "dbs-level-unknown": (
        vac(dbs=DBS("enhanced_barred")), {("error", "dbs_level_unknown", "dbs.level", None)}),
    "no-trained-member": (
        vac(safeguarding_role=True, panel=(PanelMember(A, "Ann", "chair", date(2020, 1, 1)),
                                           PanelMember(B, "Bob", "member"))),
        {("warning", "no_trained_panel_member", "panel", None)}),
    "trained-member-in-date": (vac(safeguarding_role=True), set()),
    "essential-without-method": (
        vac(crit("K1"), crit("K2", methods=())),
        {("error", "criterion_without_method", "criteria[K2].methods", "K2")}),
    "desirable-without-method": (
        vac(crit("K1"), crit("D1", essential=False, methods=())),
        {("warning", "criterion_without_method", "criteria[D1].methods", "D1")}),
    "unknown-method": (
        vac(crit("K1"), crit("K2", methods=("AF", "X"))),
        {("error", "unknown_method", "criteria[K2].methods", "K2")}),
    "shortlisting-without-evidence": (
        vac(crit("K1"), crit("K2", methods=("I",), shortlisting=True)),
        {("warning", "shortlisting_without_evidence", "criteria[K2].methods", "K2")}),
    "dbs-as-criterion": (
        vac(crit("K1"), crit("K9", "Satisfactory enhanced criminal records bureau disclosure")),
        {("warning", "dbs_as_criterion", "criteria[K9].pre_employment", "K9")}),
    "dbs-criterion-pre-employment": (
        vac(crit("K1"), crit("K9", "Enhanced DBS check", methods=(), shortlisting=False,
                             pre_employment=True)), set()),
    "pre-employment-marked-for-shortlisting": (
        vac(crit("K1"), crit("K9", "Right to work", pre_employment=True)),
        {("warning", "pre_employment_scored", "criteria[K9].shortlisting", "K9")}),
    "met-outside-scale": (
        vac(scale=Scale(0, 3, 4)), {("error", "met_outside_scale", "scale.met", None)}),
    "min-above-max": (
        vac(scale=Scale(5, 1, 3, 2, {1: "a"})),
        {("error", "scale_min_above_max", "scale.min", None)}),
    "divergence-gap-zero": (
        vac(scale=Scale(0, 3, 2, 0)),
        {("error", "divergence_gap_invalid", "scale.divergence_gap", None)}),
    "descriptors-missing": (
        vac(scale=Scale(1, 5, 3, 2, {1: "No evidence", 2: "Weak", 3: "Moderate"})),
        {("warning", "descriptor_missing", "scale.descriptors", None)}),
    "descriptor-outside-scale": (
        vac(scale=Scale(0, 3, 2, 2, {0: "a", 1: "b", 2: "c", 3: "d", 4: "e"})),
        {("warning", "descriptor_outside_scale", "scale.descriptors", None)}),
    "min-scorers-one": (
        vac(min_scorers=1), {("warning", "min_scorers_below_two", "min_scorers", None)}),
    "min-scorers-zero": (
        vac(min_scorers=0), {("error", "min_scorers_invalid", "min_scorers", None)}),
    "panel-too-small": (
        vac(min_scorers=4), {("warning", "panel_too_small", "panel", None)}),
    "zero-shortlisting-essentials-with-scheme": (
        vac(crit("K1", methods=("I",)), crit("D1", essential=False)),
        {("warning", "no_shortlisting_essentials", "criteria", None)}),
    "duplicate-keys": (
        vac(crit("K1"), crit("K1", "Repeated")),
        {("error", "duplicate_criterion_key", "criteria[0].key", "K1"),
         ("error", "duplicate_criterion_key", "criteria[1].key", "K1")}),
    "no-criteria": (vac(criteria=()), {("warning", "no_criteria", "criteria", None)}),
    "gap-months-zero": (
        vac(employment_gap_months=0),
        {("error", "gap_months_invalid", "employment_gap_months", None)}),
    "cap-without-places-or-reason": (
        vac(interview_cap=InterviewCap(0, " ")),
        {("error", "cap_places_invalid", "interview_cap.places", None),
         ("error", "cap_reason_missing", "interview_cap.reason", None)}),
    "declaration-triggers-without-scheme": (
        vac(offer_interview=False, declaration_triggers_scheme=True),
        {("warning", "scheme_setting_ineffective",
          "disability_confident.declaration_triggers_scheme", None)}),
    "panel-duplicate-role-future-training": (
        vac(panel=(PanelMember(A, "Ann", "chair"), PanelMember(A.upper(), "Ann", "boss",
                                                               date(2027, 1, 1)))),
        {("error", "duplicate_panel_member", f"panel[{A}].email", None),
         ("error", "unknown_panel_role", f"panel[{A.upper()}].role", None),
         ("warning", "training_date_in_future",
          f"panel[{A.upper()}].safer_recruitment_trained_on", None),
         ("warning", "panel_too_small", "panel", None)}),
    "customer-facing-missing-fluency": (
        vac(customer_facing=True),
        {("error", "fluency_criterion_missing", "criteria", None)}),
}


@pytest.mark.parametrize(("vacancy", "expected"), ROWS.values(), ids=ROWS.keys())
def test_check_vacancy(vacancy: Vacancy, expected: set[Found]) -> None:
    found = {(f.severity, f.code, f.field, f.criterion) for f in check_vacancy(vacancy, TODAY)}
    assert found == expected
    for finding in check_vacancy(vacancy, TODAY):
        assert finding.message.endswith(".")
        assert finding.to_dict()["severity"] in {"error", "warning"}


def test_barred_list_messages_say_what_to_do() -> None:
    (finding,) = check_vacancy(vac(dbs=DBS("enhanced", ("adults",), False)), TODAY)
    assert "regulated activity" in finding.message
    assert "adults" in finding.message


FLUENCY: dict[str, tuple[str, bool]] = {
    "birmingham": ("An ability to fulfil all spoken aspects of the role with confidence using the "
                   "English Language as required by Part 7 of the Immigration Act 2016", True),
    "fluent-english": ("Fluent in English", True),
    "speak-welsh": ("Able to speak Welsh to level 3", True),
    "welsh-language": ("Welsh language skills", True),
    "verbal-english": ("Good verbal communication in English", True),
    "part-7-alone": ("Meets the fluency duty of the Immigration Act 2016", True),
    "written-english": ("Good standard of written English language", False),
    "english-qualification": ("GCSE English and Maths grade C or above", False),
    "communication-only": ("Excellent communication skills", False),
}


@pytest.mark.parametrize(("text", "expected"), FLUENCY.values(), ids=FLUENCY.keys())
def test_fluency_detection(text: str, expected: bool) -> None:
    assert is_fluency_criterion(crit("K1", text)) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Satisfactory enhanced criminal records bureau disclosure", True, id="crb"),
        pytest.param("Enhanced DBS with children's barred list", True, id="dbs"),
        pytest.param("Disclosure and Barring Service check", True, id="dbs-spelt-out"),
        pytest.param("Experience of safeguarding children", False, id="safeguarding"),
    ],
)
def test_dbs_criterion_detection(text: str, expected: bool) -> None:
    assert looks_like_dbs_check(crit("K1", text)) is expected


@pytest.mark.parametrize(
    ("trained_on", "refresh", "expected"),
    [
        pytest.param(date(2023, 6, 2), 3, True, id="one-day-short-of-three-years"),
        pytest.param(date(2023, 6, 1), 3, False, id="exactly-three-years-expired"),
        pytest.param(date(2022, 1, 1), 5, True, id="oxfordshire-five-years"),
        pytest.param(date(2026, 6, 2), 3, False, id="future-date-not-counted"),
        pytest.param(None, 3, False, id="never-trained"),
    ],
)
def test_trained_members(trained_on: date | None, refresh: int, expected: bool) -> None:
    vacancy = vac(panel=(PanelMember(A, "Ann", "chair", trained_on),))
    assert bool(trained_members(vacancy, TODAY, refresh)) is expected


def test_default_scale_matches_campaign_format() -> None:
    scale = Scale()
    assert (scale.min, scale.max, scale.met, scale.divergence_gap) == (0, 3, 2, 2)
    assert dict(scale.descriptors) == {0: "No evidence", 1: "Limited evidence", 2: "Meets",
                                       3: "Exceeds"}


def test_inputs_are_frozen_and_hashable() -> None:
    vacancy = vac()
    with pytest.raises(AttributeError):
        vacancy.title = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        vacancy.scale.descriptors[9] = "x"  # type: ignore[index]
    assert hash(vacancy) == hash(vac())
    assert vacancy.criteria[0] == Criterion("K1", "Experience", "Criterion K1", True, ("AF",), True)
