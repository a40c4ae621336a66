"""The facts the access policy (shortlist.permissions: sees_scores, sees_disability, ...)
judges for one person and one vacancy: read here, judged there. Also the audit record of
an HR administrator's view of disability information (finding 14 of the security review:
logged as sealed views are)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from shortlist.extensions import db
from shortlist.models import Application, ConflictDeclaration, ScoreSheet, User, Vacancy
from shortlist.permissions import (
    EVERYTHING,
    SCORING_RELATIONS,
    DeclarationFacts,
    Sight,
    sees_disability,
    vacancy_relations,
)
from shortlist.services import audit
from shortlist.services.transactions import transaction


def sight(vacancy: Vacancy, user: User | None, stage: str = "shortlisting") -> Sight:
    """What ``user`` sees of the vacancy's candidates at ``stage`` (None: the command line's operator)."""
    if user is None:
        return EVERYTHING
    relations = frozenset(vacancy_relations(user, vacancy))
    hr = "hr" in relations  # HR of the vacancy's organisation
    if not relations & SCORING_RELATIONS:
        return Sight(relations=relations, hr=hr, declared=True)
    from shortlist.services.panel import conflict_state  # panel imports this module's callers

    state = conflict_state(vacancy, user)
    submitted = frozenset(db.session.scalars(
        select(Application.reference).join(ScoreSheet, ScoreSheet.application_id == Application.id)
        .where(Application.vacancy_id == vacancy.id, ScoreSheet.user_id == user.id, ScoreSheet.stage == stage,
               ScoreSheet.submitted_at.is_not(None))))
    conflicted = frozenset(db.session.scalars(
        select(Application.reference).join(ConflictDeclaration, ConflictDeclaration.application_id == Application.id)
        .where(Application.vacancy_id == vacancy.id, ConflictDeclaration.user_id == user.id,
               ConflictDeclaration.conflict.is_(True))))
    allocated = None
    if vacancy.sift is not None and stage == "shortlisting":
        from shortlist.services.sift import assigned_ids

        allocated = frozenset(db.session.scalars(
            select(Application.reference).where(Application.id.in_(assigned_ids(vacancy, user.id)))))
    return Sight(relations=relations, hr=hr, declared=state.complete, submitted=submitted, conflicted=conflicted,
                 allocated=allocated)


def declaration_facts(vacancy: Vacancy, user: User) -> DeclarationFacts:
    """What the policy's `may_see_declarations` judges for this person and vacancy."""
    from shortlist.services import sealed

    return DeclarationFacts(shared=sealed.policy_for(vacancy).share_declarations,
                            shortlist_made=sealed.shortlist_made(vacancy),
                            granted=sealed.active_grant(vacancy, user) is not None)


def across_vacancies(user: User) -> Sight:
    """What a person sees on pages about many vacancies at once (HR's reports): their global role."""
    return Sight(relations=frozenset({"hr"}) if user.is_hr else frozenset(), hr=user.is_hr, declared=True)


def record_disability_view(vacancy_reference: str | None, user: User, seen: Sight, what: str,
                           references: Iterable[str]) -> None:
    """Audit a view of a page or export that shows disability information to those the
    policy shows it to (HR administrators): who, which page, and the applications whose
    scheme membership or disability it showed (none, sometimes: the view is recorded all the
    same, so the log says who looked, not only who found something), committed at once as a
    sealed view is."""
    refs = sorted(set(references))
    if not sees_disability(seen):
        return
    with transaction():
        audit.record(audit.Actor.of(user), "disability.viewed", vacancy=vacancy_reference,
                     subject=what, what=what, applications=refs)
