"""Every machine-readable code the rules engine emits, in one place.

docs/reason-codes.md explains each one; a test checks that the two agree.
"""

from __future__ import annotations

# --- per-criterion results (CriterionResult.reasons) -------------------------
CRITERION_MET = "criterion_met"
CRITERION_NOT_MET = "criterion_not_met"
INSUFFICIENT_SCORERS = "insufficient_scorers"
CONFLICT_EXCLUDED = "conflict_excluded"
MODERATION_REQUIRED = "moderation_required"
RATIONALE_REQUIRED = "rationale_required"
NOT_ASSESSED_AT_STAGE = "not_assessed_at_stage"
PRE_EMPLOYMENT_CHECK = "pre_employment_check"
WAIVER_APPLIED = "waiver_applied"
WAIVER_NOT_ALLOWED = "waiver_not_allowed"
ADJUSTMENT_REVIEW = "adjustment_review"
ADJUSTMENT_AGREED = "adjustment_agreed"
ADJUSTMENT_NOT_AGREED = "adjustment_not_agreed"

# --- recommendation outcome (Recommendation.reasons) --------------------------
ESSENTIAL_NOT_MET = "essential_not_met"
HUMAN_DECISION_REQUIRED = "human_decision_required"
ESSENTIALS_MET = "essentials_met"
NO_GATING_CRITERIA = "no_gating_criteria"
SCHEME_GUARANTEE = "scheme_guarantee"
ARMED_FORCES_GUARANTEE = "armed_forces_guarantee"
VOLUME_CAP = "volume_cap"
CAP_TIE = "cap_tie"

# --- probes (Recommendation.probes) -------------------------------------------
EMPLOYMENT_GAP = "employment_gap"
EMPLOYMENT_GAP_EXPLAINED = "employment_gap_explained"

# --- refusals (check_decision, check_finalise, check_cap_change) ---------------
GUARANTEE_PROTECTED = "guarantee_protected"
VOLUME_CAP_NOT_APPLICABLE = "volume_cap_not_applicable"
OVERRIDE_REQUIRED = "override_required"
REASON_REQUIRED = "reason_required"
DECISION_NOT_READY = "decision_not_ready"
HR_REVIEW_REQUIRED = "hr_review_required"
CANDIDATE_INCOMPLETE = "candidate_incomplete"
CANDIDATE_HR_REVIEW = "candidate_hr_review"
TOO_FEW_SHORTLISTERS = "too_few_shortlisters"
NO_TRAINED_PANEL_MEMBER = "no_trained_panel_member"
GAP_NOT_MARKED = "gap_not_marked"
DECISION_MISSING = "decision_missing"
DECISION_OUTDATED = "decision_outdated"
APPOINTMENT_GATE = "appointment_gate"
APPOINTMENT_NOT_READY = "appointment_not_ready"
CAP_AFTER_SCORING = "cap_after_scoring"
CAP_INVALID = "cap_invalid"
TIE_BREAK_NOT_TIED = "tie_break_not_tied"
TIE_BREAK_NOT_QUALIFIED = "tie_break_not_qualified"
TIE_BREAK_EVIDENCE_REQUIRED = "tie_break_evidence_required"
# --- interview pack gates (check_pack) -------------------------------------------
PACK_SHORTLIST_NOT_FINAL = "pack_shortlist_not_final"
PACK_NO_CANDIDATES = "pack_no_candidates"
PACK_NO_SAFEGUARDING_QUESTION = "pack_no_safeguarding_question"
# NO_TRAINED_PANEL_MEMBER (above) also refuses a pack

# --- vacancy findings (check_vacancy) -------------------------------------------
DBS_LEVEL_UNKNOWN = "dbs_level_unknown"
BARRED_LIST_UNKNOWN = "barred_list_unknown"
BARRED_LIST_NEEDS_ENHANCED = "barred_list_needs_enhanced"
BARRED_LIST_NEEDS_REGULATED_ACTIVITY = "barred_list_needs_regulated_activity"
REGULATED_ACTIVITY_WITHOUT_BARRED_LIST = "regulated_activity_without_barred_list"
REGULATED_ACTIVITY_NOT_SAFEGUARDING = "regulated_activity_not_safeguarding"
# NO_TRAINED_PANEL_MEMBER (above) is also a finding
FLUENCY_CRITERION_MISSING = "fluency_criterion_missing"
NO_CRITERIA = "no_criteria"
DUPLICATE_CRITERION_KEY = "duplicate_criterion_key"
CRITERION_WITHOUT_METHOD = "criterion_without_method"
UNKNOWN_METHOD = "unknown_method"
SHORTLISTING_WITHOUT_EVIDENCE = "shortlisting_without_evidence"
PRE_EMPLOYMENT_SCORED = "pre_employment_scored"
DBS_AS_CRITERION = "dbs_as_criterion"
NO_SHORTLISTING_ESSENTIALS = "no_shortlisting_essentials"
SCALE_MIN_ABOVE_MAX = "scale_min_above_max"
MET_OUTSIDE_SCALE = "met_outside_scale"
DIVERGENCE_GAP_INVALID = "divergence_gap_invalid"
DESCRIPTOR_MISSING = "descriptor_missing"
DESCRIPTOR_OUTSIDE_SCALE = "descriptor_outside_scale"
MIN_SCORERS_INVALID = "min_scorers_invalid"
MIN_SCORERS_BELOW_TWO = "min_scorers_below_two"
PANEL_TOO_SMALL = "panel_too_small"
DUPLICATE_PANEL_MEMBER = "duplicate_panel_member"
UNKNOWN_PANEL_ROLE = "unknown_panel_role"
TRAINING_DATE_IN_FUTURE = "training_date_in_future"
GAP_MONTHS_INVALID = "gap_months_invalid"
CAP_PLACES_INVALID = "cap_places_invalid"
CAP_REASON_MISSING = "cap_reason_missing"
SCHEME_SETTING_INEFFECTIVE = "scheme_setting_ineffective"
# --- campaign files: the shortlisters' gap marks (services.vacancy_checks) ---------
GAP_MARK_MISSING = "gap_mark_missing"
GAP_MARK_UNKNOWN_GAP = "gap_mark_unknown_gap"
GAP_MARK_WITHOUT_SCORES = "gap_mark_without_scores"

REASON_CODES: frozenset[str] = frozenset({
    CRITERION_MET, CRITERION_NOT_MET, INSUFFICIENT_SCORERS, CONFLICT_EXCLUDED,
    MODERATION_REQUIRED, RATIONALE_REQUIRED, NOT_ASSESSED_AT_STAGE, PRE_EMPLOYMENT_CHECK,
    WAIVER_APPLIED, WAIVER_NOT_ALLOWED, ADJUSTMENT_REVIEW, ADJUSTMENT_AGREED, ADJUSTMENT_NOT_AGREED,
    ESSENTIAL_NOT_MET,
    HUMAN_DECISION_REQUIRED, ESSENTIALS_MET, NO_GATING_CRITERIA, SCHEME_GUARANTEE,
    ARMED_FORCES_GUARANTEE, VOLUME_CAP, CAP_TIE, EMPLOYMENT_GAP, EMPLOYMENT_GAP_EXPLAINED,
})

REFUSAL_CODES: frozenset[str] = frozenset({
    GUARANTEE_PROTECTED, VOLUME_CAP_NOT_APPLICABLE, OVERRIDE_REQUIRED, REASON_REQUIRED,
    DECISION_NOT_READY, HR_REVIEW_REQUIRED, CANDIDATE_INCOMPLETE, CANDIDATE_HR_REVIEW,
    TOO_FEW_SHORTLISTERS, NO_TRAINED_PANEL_MEMBER, GAP_NOT_MARKED, DECISION_MISSING, DECISION_OUTDATED,
    APPOINTMENT_GATE, APPOINTMENT_NOT_READY,
    CAP_AFTER_SCORING, CAP_INVALID, TIE_BREAK_NOT_TIED, TIE_BREAK_NOT_QUALIFIED,
    TIE_BREAK_EVIDENCE_REQUIRED,
    PACK_SHORTLIST_NOT_FINAL, PACK_NO_CANDIDATES, PACK_NO_SAFEGUARDING_QUESTION,
})

FINDING_CODES: frozenset[str] = frozenset({
    DBS_LEVEL_UNKNOWN, BARRED_LIST_UNKNOWN, BARRED_LIST_NEEDS_ENHANCED,
    BARRED_LIST_NEEDS_REGULATED_ACTIVITY, REGULATED_ACTIVITY_WITHOUT_BARRED_LIST,
    REGULATED_ACTIVITY_NOT_SAFEGUARDING, NO_TRAINED_PANEL_MEMBER, FLUENCY_CRITERION_MISSING, NO_CRITERIA, DUPLICATE_CRITERION_KEY,
    CRITERION_WITHOUT_METHOD, UNKNOWN_METHOD, SHORTLISTING_WITHOUT_EVIDENCE,
    PRE_EMPLOYMENT_SCORED, DBS_AS_CRITERION, NO_SHORTLISTING_ESSENTIALS, SCALE_MIN_ABOVE_MAX,
    MET_OUTSIDE_SCALE, DIVERGENCE_GAP_INVALID, DESCRIPTOR_MISSING, DESCRIPTOR_OUTSIDE_SCALE,
    MIN_SCORERS_INVALID, MIN_SCORERS_BELOW_TWO, PANEL_TOO_SMALL, DUPLICATE_PANEL_MEMBER,
    UNKNOWN_PANEL_ROLE, TRAINING_DATE_IN_FUTURE, GAP_MONTHS_INVALID, CAP_PLACES_INVALID,
    CAP_REASON_MISSING, SCHEME_SETTING_INEFFECTIVE, GAP_MARK_MISSING, GAP_MARK_UNKNOWN_GAP,
    GAP_MARK_WITHOUT_SCORES,
})

ALL_CODES: frozenset[str] = REASON_CODES | REFUSAL_CODES | FINDING_CODES
