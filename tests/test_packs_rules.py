"""The interview pack's gates (R18, R23), pure: no app, no database."""

from __future__ import annotations

from datetime import date

import pytest

from shortlist import rules
from shortlist.rules import codes

TODAY = date(2026, 12, 1)
K1 = rules.Criterion("K1", "Knowledge", "Knowledge of systemic therapy.", True, ("AF", "I"), True)
SG = rules.Criterion("SG1", "Safeguarding Children", "Sound knowledge of safeguarding legislation.", True, ("AF", "I"), True)
FORM_ONLY = rules.Criterion("D1", "Experience", "Experience of safeguarding audits.", False, ("AF",), True)
TRAINED = rules.PanelMember("chair@example.org", "Chair", "chair", date(2025, 3, 1))
UNTRAINED = rules.PanelMember("member@example.org", "Member", "member", None)


def vacancy(safeguarding: bool = True, panel=(TRAINED, UNTRAINED)) -> rules.Vacancy:
    return rules.Vacancy("TST-01", "Therapist", safeguarding_role=safeguarding, criteria=(K1, SG, FORM_ONLY),
                         panel=tuple(panel))


@pytest.mark.parametrize(("text", "criterion", "expected"), [
    ("Safeguarding: a child tells you a secret. What do you do?", K1, True),
    ("What is the role of the LADO?", K1, True),
    ("How do you keep professional boundaries with a young person?", K1, True),
    ("Why do you want to work with children? What motivates you to work with children?", K1, True),
    ("Tell us about a time you were worried about a child's safety.", K1, True),
    ("A colleague shares a concern about abuse by a carer.", K1, True),
    ("What would you do if an allegation were made against a colleague?", K1, True),
    ("Which guidance shapes your practice?", SG, True),  # asked under a safeguarding criterion
    ("Tell us about a placement you helped to stabilise.", K1, False),
    ("Describe the harmony of your team.", K1, False),  # not "harm"
    ("Explain what art therapy is to a carer.", None, False),
])
def test_what_counts_as_a_safeguarding_question(text, criterion, expected):
    assert rules.is_safeguarding_question(text, criterion) is expected


def test_a_finalised_safeguarding_vacancy_with_a_question_and_a_trained_member_passes():
    assert rules.check_pack(vacancy(), True, 2, [("SG1", "Which guidance shapes your practice?")], TODAY) == []


def test_no_pack_before_the_shortlist_is_finalised():
    refusals = rules.check_pack(vacancy(safeguarding=False), False, 0, [], TODAY)
    assert [r.code for r in refusals] == [codes.PACK_SHORTLIST_NOT_FINAL]
    assert "finalises the shortlist" in refusals[0].message  # says what to do


def test_no_pack_when_nobody_was_invited():
    refusals = rules.check_pack(vacancy(safeguarding=False), True, 0, [], TODAY)
    assert [r.code for r in refusals] == [codes.PACK_NO_CANDIDATES]


def test_a_safeguarding_role_needs_a_safeguarding_question_asked_at_interview():
    # a safeguarding-worded question under a form-only criterion is never asked at interview
    refusals = rules.check_pack(vacancy(), True, 2, [("K1", "Tell us about your caseload."),
                                                     ("D1", "Safeguarding: what do you do?")], TODAY)
    assert [r.code for r in refusals] == [codes.PACK_NO_SAFEGUARDING_QUESTION]
    assert "R23" in refusals[0].message and "Interview questions page" in refusals[0].message
    assert rules.check_pack(vacancy(safeguarding=False), True, 2, [], TODAY) == []


def test_a_safeguarding_role_needs_an_in_date_trained_panel_member():
    expired = rules.PanelMember("chair@example.org", "Chair", "chair", date(2022, 6, 1))
    refusals = rules.check_pack(vacancy(panel=(expired, UNTRAINED)), True, 2, [("SG1", "Any question")], TODAY)
    assert [r.code for r in refusals] == [codes.NO_TRAINED_PANEL_MEMBER]
    assert "Training has expired for Chair (2022-06-01)" in refusals[0].message
    assert "interview pack" in refusals[0].message


def test_every_refusal_is_given_at_once():
    refusals = rules.check_pack(vacancy(panel=(UNTRAINED,)), False, 0, [], TODAY)
    assert [r.code for r in refusals] == [codes.PACK_SHORTLIST_NOT_FINAL, codes.PACK_NO_SAFEGUARDING_QUESTION,
                                          codes.NO_TRAINED_PANEL_MEMBER]
