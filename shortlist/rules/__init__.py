"""The rules engine: pure functions over frozen dataclasses, standard library only.

Recommendations, never decisions (R31): the app records what a named person decides,
after ``check_decision`` allows it. docs/reason-codes.md lists every code.
"""

from __future__ import annotations

from shortlist.rules import codes
from shortlist.rules.checks import (
    DEFAULT_REFRESH_YEARS,
    check_vacancy,
    is_fluency_criterion,
    looks_like_dbs_check,
    trained_members,
)
from shortlist.rules.decisions import (
    GUARANTEE_OVERRIDE_REASONS,
    OVERRIDE_REASON_LABELS,
    check_cap_change,
    check_decision,
    check_decision_current,
    check_finalise,
    check_interview_decision,
    check_tie_break,
)
from shortlist.rules.vocabulary import (
    DECISIONS,
    GAP_MARKS,
    HR_ADMIN,
    INTERVIEW_DECISIONS,
)
from shortlist.rules.gaps import employment_gaps
from shortlist.rules.packs import check_pack, is_safeguarding_question, safeguarding_questions
from shortlist.rules.recommend import apply_cap, forces_eligible, in_scheme, recommend, recommend_all
from shortlist.rules.stages import gating_criteria, stage_criteria
from shortlist.rules.types import (
    DBS,
    Agreed,
    Candidate,
    Criterion,
    CriterionResult,
    CriterionStatus,
    EmploymentSpell,
    Finding,
    ForcesService,
    GapMarks,
    InterviewCap,
    Outcome,
    PanelMember,
    Reason,
    Recommendation,
    Scale,
    Scores,
    Vacancy,
    YearMonth,
)
from shortlist.rules.vocabulary import (
    ADJUSTMENT_MET,
    ADJUSTMENT_NOT_MET,
    ADJUSTMENT_OUTCOMES,
    STAGES,
)

__all__ = [
    "ADJUSTMENT_MET", "ADJUSTMENT_NOT_MET", "ADJUSTMENT_OUTCOMES",
    "DBS", "DECISIONS", "DEFAULT_REFRESH_YEARS", "GAP_MARKS", "GUARANTEE_OVERRIDE_REASONS",
    "HR_ADMIN", "INTERVIEW_DECISIONS", "OVERRIDE_REASON_LABELS", "STAGES", "Agreed", "Candidate", "Criterion", "CriterionResult",
    "CriterionStatus", "EmploymentSpell", "Finding", "ForcesService", "GapMarks",
    "InterviewCap", "Outcome", "PanelMember", "Reason", "Recommendation", "Scale", "Scores",
    "Vacancy", "YearMonth", "apply_cap", "check_cap_change", "check_decision",
    "check_decision_current", "check_finalise", "check_pack", "check_interview_decision", "check_tie_break", "check_vacancy", "codes", "employment_gaps", "forces_eligible",
    "gating_criteria", "in_scheme", "is_fluency_criterion", "is_safeguarding_question", "looks_like_dbs_check",
    "recommend", "recommend_all", "safeguarding_questions", "stage_criteria", "trained_members",
]
