"""The panel's work: conflicts of interest, independent scores, employment-gap marks,
agreed scores, decisions and finalising the shortlist.

Each public function that writes is one use case: it checks everything first, then
writes, records its audit event and commits; or it raises `PanelRefused` naming each
problem (with the form field to fix) and writes nothing.

A package by use case, each module a room that says what it holds:

- `base`: who is on the panel, the stage's criteria and whether it is open (reads only);
- `declarations`: conflicts of interest (R30);
- `scoring`: a member's sheet, and whose scores one may see (R27);
- `progress`: each scorer's progress and a member's queue (read-models);
- `moderation`: the chair's agreed scores;
- `decisions`: recommendations, decisions and finalising the shortlist;
- `cap`: the interview cap (R5) and positive action (R11);
- `pages`: read-models, what a page shows in one call (`score_page`, `moderation_page`).

`from shortlist.services import panel` then `panel.save_sheet(...)` works as it did when
this was one module: every public name is here.
"""

from __future__ import annotations

# What callers have always found here though it lives elsewhere: the access policy's
# predicates, the refusal, a vocabulary list and the vacancy's recommendations.
from shortlist.permissions import is_scorer, may_decide, may_moderate, may_set_cap
from shortlist.rules.vocabulary import REVEALED_OUTCOMES
from shortlist.services.recommendations import recommend_vacancy
from shortlist.services.refusals import PanelRefused, Problem
from shortlist.services.panel.base import (
    DECISION_LABELS,
    OVERRIDE_LABELS,
    membership,
    user_by_email,
    scorers,
    conflict_phase,
    application_by_reference,
    stage_criteria,
    stage_open,
    name_revealed,
)
from shortlist.services.panel.declarations import (
    ConflictState,
    conflict_state,
    declarations_complete,
    has_declared_about,
    NamedApplicant,
    applicants_for_declaration,
    declare_conflicts,
    late_conflicts,
    conflicted_with,
)
from shortlist.services.panel.scoring import (
    SheetView,
    sheet_for,
    gap_marks_for,
    gaps_for,
    save_sheet,
    MemberScores,
    submitted_scores,
    others_scores,
    may_see_others,
)
from shortlist.services.panel.progress import Progress, progress, QueueItem, my_queue
from shortlist.services.panel.moderation import agreed_for, record_agreed, AgreedEntry, record_agreed_scores
from shortlist.services.panel.decisions import (
    recommendation_for,
    decisions_for,
    suggested_reason,
    recommended_decision,
    decide,
    gap_marks_by_candidate,
    shortlisters,
    finalise_refusals,
    finalise_shortlist,
)
from shortlist.services.panel.pages import (
    CONFLICTED, DECLARE_FIRST, NOT_IN_QUEUE, MatrixRow, ModerationPage, ScorePage, moderation_page, score_page,
)
from shortlist.services.panel.cap import scoring_started, set_cap, positive_actions, apply_positive_action

__all__ = [
    "CONFLICTED",
    "DECLARE_FIRST",
    "NOT_IN_QUEUE",
    "ScorePage",
    "score_page",
    "MatrixRow",
    "ModerationPage",
    "moderation_page",
    "is_scorer",
    "may_decide",
    "may_moderate",
    "may_set_cap",
    "REVEALED_OUTCOMES",
    "recommend_vacancy",
    "PanelRefused",
    "Problem",
    "DECISION_LABELS",
    "OVERRIDE_LABELS",
    "membership",
    "user_by_email",
    "scorers",
    "conflict_phase",
    "application_by_reference",
    "stage_criteria",
    "stage_open",
    "name_revealed",
    "ConflictState",
    "conflict_state",
    "declarations_complete",
    "has_declared_about",
    "NamedApplicant",
    "applicants_for_declaration",
    "declare_conflicts",
    "late_conflicts",
    "conflicted_with",
    "SheetView",
    "sheet_for",
    "gap_marks_for",
    "gaps_for",
    "save_sheet",
    "MemberScores",
    "submitted_scores",
    "others_scores",
    "may_see_others",
    "Progress",
    "progress",
    "QueueItem",
    "my_queue",
    "agreed_for",
    "record_agreed",
    "AgreedEntry",
    "record_agreed_scores",
    "recommendation_for",
    "decisions_for",
    "suggested_reason",
    "recommended_decision",
    "decide",
    "gap_marks_by_candidate",
    "shortlisters",
    "finalise_refusals",
    "finalise_shortlist",
    "scoring_started",
    "set_cap",
    "positive_actions",
    "apply_positive_action",
]
