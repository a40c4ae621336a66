"""The band check: warnings (never errors) where essential criteria look out of line with the band's profile."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shortlist.library import (
    BAND_NO_PROFILE,
    BAND_REQUIREMENT_ABOVE_PROFILE,
    BAND_TRAINING_MISSING,
    band_check,
    parse_band,
)

MASTERS = ("Q1", "MA or MSc in Art Psychotherapy / Art Therapy from a HCPC-approved training programme.", True)
HCPC = ("Q2", "Registered with the Health and Care Professions Council (HCPC) as an Art Psychotherapist.", True)
DEGREE = ("Q1", "Degree in psychology or a related subject", True)
CASEWORK = ("E1", "Experience of therapeutic work with children and families", True)


def codes(warnings) -> list[tuple[str, str | None]]:
    return [(w.code, w.criterion_key) for w in warnings]


@pytest.mark.parametrize(("text", "expected"), [
    ("Band 6", ("6",)), ("6", ("6",)), ("band 7", ("7",)), ("AfC band 7", ("7",)),
    ("Agenda for Change Band 5", ("5",)), ("NHS AfC Band 9", ("9",)), ("8a", ("8a",)),
    ("Band 8C", ("8c",)), ("band 8d", ("8d",)), ("Band 8a-8b", ("8a", "8b")), ("8c\u20138d", ("8c", "8d")),
    ("Band 8a-b", ("8a", "8b")), ("Band 8", ("8a", "8b", "8c", "8d")), ("  band  3 ", ("3",)),
    ("P07", None), ("Grade D", None), ("KR11", None), ("Band 10", None), ("6a", None), ("", None),
    ("Band 6/7", None), ("band", None), (None, None), (7, None),
])
def test_parse_band(text, expected):
    assert parse_band(text) == expected


CASES = [
    # band, criteria, expected (code, key) pairs
    ("Band 6", [MASTERS, CASEWORK], []),
    ("Band 6", [HCPC, CASEWORK], []),
    ("Band 6", [DEGREE, CASEWORK], [(BAND_TRAINING_MISSING, None)]),
    ("6", [], [(BAND_TRAINING_MISSING, None)]),
    # A desirable master's does not meet an essential expectation.
    ("6", [(MASTERS[0], MASTERS[1], False)], [(BAND_TRAINING_MISSING, None)]),
    # A master's in another therapy is not arts therapy training.
    ("7", [("Q1", "MSc Systemic Family Therapy", True)], [(BAND_TRAINING_MISSING, None)]),
    ("AfC band 7", [("Q1", "Postgraduate Diploma in Dramatherapy", True)], []),
    ("7", [("Q1", "HCPC registration as a Music Therapist", True)], []),
    ("Band 7", [MASTERS, ("Q3", "Doctorate (PhD or DProf) in arts therapies", True)],
     [(BAND_REQUIREMENT_ABOVE_PROFILE, "Q3")]),
    ("Band 7", [MASTERS, ("Q3", "Doctorate in arts therapies", False)], []),
    ("Band 6", [MASTERS, ("E2", "Minimum 5 years post-qualification experience", True)],
     [(BAND_REQUIREMENT_ABOVE_PROFILE, "E2")]),
    ("Band 6", [MASTERS, ("E2", "At least one year's post-qualification experience", True)], []),
    ("Band 7", [MASTERS, ("E2", "Two years' experience as a qualified art therapist", True)], []),
    ("Band 7", [MASTERS, ("E2", "Five years' experience as a registered music therapist", True)],
     [(BAND_REQUIREMENT_ABOVE_PROFILE, "E2")]),
    ("Band 8a", [MASTERS, ("E2", "5 years post-registration experience", True)], []),
    ("Band 8d", [MASTERS, ("E2", "8 years post-registration experience", True)], []),
    # Ages are not years of experience.
    ("Band 6", [MASTERS, ("E3", "Experience of working with children under 5 years, post-qualification", True)], []),
    ("Band 6", [MASTERS, ("E4", "Experience as head of service for an arts therapies department", True)],
     [(BAND_REQUIREMENT_ABOVE_PROFILE, "E4")]),
    ("Band 7", [MASTERS, ("E4", "Strategic leadership of arts therapies", True)], [(BAND_REQUIREMENT_ABOVE_PROFILE, "E4")]),
    ("Band 8c", [MASTERS, ("E4", "Strategic leadership of arts therapies", True)], []),
    ("Band 7", [MASTERS, ("E5", "Experience as a consultant arts therapist", True)], [(BAND_REQUIREMENT_ABOVE_PROFILE, "E5")]),
    ("Band 8C", [MASTERS, ("E5", "Experience as a consultant arts therapist", True)], []),
    # Working alongside consultants is not consultant-level experience.
    ("Band 6", [MASTERS, ("E6", "Experience of working with consultant psychiatrists", True)], []),
    ("Band 7", [MASTERS, ("E7", "Line management of a team of therapists", True)], [(BAND_REQUIREMENT_ABOVE_PROFILE, "E7")]),
    ("Band 8a", [MASTERS, ("E7", "Line management of a team of therapists", True)], []),
    ("Band 7", [MASTERS, ("E8", "Experience of providing clinical supervision", True)], []),
    ("Band 6", [MASTERS, ("E9", "Budget holder for a service", True)], [(BAND_REQUIREMENT_ABOVE_PROFILE, "E9")]),
    ("Band 6", [MASTERS, ("E10", "A record of published research in peer-reviewed journals", True)],
     [(BAND_REQUIREMENT_ABOVE_PROFILE, "E10")]),
    ("Band 8b", [MASTERS, ("E10", "Has led research projects", True)], []),
    # One criterion asking for two things above the profile gets a warning for each.
    ("Band 6", [MASTERS, ("E11", "Doctorate and 6 years post-qualification experience", True)],
     [(BAND_REQUIREMENT_ABOVE_PROFILE, "E11"), (BAND_REQUIREMENT_ABOVE_PROFILE, "E11")]),
    # Bands without a profile in this library: one informational warning.
    ("band 3", [DEGREE, ("E1", "Doctorate", True)], [(BAND_NO_PROFILE, None)]),
    ("Band 5", [], [(BAND_NO_PROFILE, None)]),
    ("Band 9", [MASTERS], [(BAND_NO_PROFILE, None)]),
    # Not an NHS band: nothing to say.
    ("P07", [DEGREE, ("E1", "Doctorate", True)], []),
    ("Grade D", [], []),
    ("", [DEGREE], []),
]


@pytest.mark.parametrize(("band", "criteria", "expected"), CASES)
def test_band_check(band, criteria, expected):
    assert codes(band_check(band, criteria)) == expected


def test_band_8c_parses_and_uses_both_profiles():
    criteria = [MASTERS, ("E1", "Experience as a consultant arts therapist", True),
                ("E2", "Experience of managing an arts therapies service", True)]
    # 8c-8d has two profiles (head of arts therapies, consultant): in line with one of them is enough.
    assert band_check("Band 8C", criteria) == []
    # Checked against the head of service profile alone, consultant-level experience is above it.
    assert codes(band_check("Band 8C", criteria, profile="head-of-arts-therapies")) == [
        (BAND_REQUIREMENT_ABOVE_PROFILE, "E1")]
    # An unknown profile id falls back to all the band's profiles.
    assert band_check("Band 8C", criteria, profile="no-such-profile") == []


def test_messages_name_the_band_the_criterion_and_what_the_profile_says():
    [training] = band_check("Band 6", [DEGREE])
    assert "band 6" in training.message and "Arts Therapist Entry Level" in training.message
    assert "training in arts therapy/psychotherapy to master's level equivalent" in training.message
    [doctorate] = band_check("Band 7", [MASTERS, ("Q3", "PhD in music therapy", True)])
    assert doctorate.criterion_key == "Q3"
    assert doctorate.message.startswith("Criterion Q3 makes a doctorate essential at band 7.")
    assert "Factor 2" in doctorate.message and "master's level" in doctorate.message
    [years] = band_check("Band 6", [MASTERS, ("E2", "5 years post-qualification experience", True)])
    assert "5 years" in years.message and "entry-level" in years.message
    [manager] = band_check("band 7", [MASTERS, ("E7", "Line management experience", True)])
    assert "Factor 9 (Human Resources" in manager.message and "band 8a-8b" in manager.message
    [none] = band_check("Band 3", [])
    assert "band 3" in none.message and "6, 7, 8a-8b, 8c-8d" in none.message


def test_criteria_may_be_objects_or_mappings():
    as_object = SimpleNamespace(key="Q1", text=MASTERS[1], essential=True)
    as_mapping = {"key": "E1", "text": "Doctorate", "essential": True}
    assert codes(band_check("Band 7", [as_object, as_mapping])) == [(BAND_REQUIREMENT_ABOVE_PROFILE, "E1")]


@settings(max_examples=200, deadline=None)
@given(band=st.one_of(st.text(max_size=12), st.sampled_from(["Band 6", "7", "8a", "Band 8C", "band 3"])),
       texts=st.lists(st.tuples(st.text(max_size=60), st.booleans()), max_size=5))
def test_never_raises_and_only_warns(band, texts):
    criteria = [(f"E{i}", text, essential) for i, (text, essential) in enumerate(texts)]
    for warning in band_check(band, criteria):
        assert warning.code in {BAND_TRAINING_MISSING, BAND_REQUIREMENT_ABOVE_PROFILE, BAND_NO_PROFILE}
        assert warning.message
