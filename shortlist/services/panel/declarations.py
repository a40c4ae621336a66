"""Conflicts of interest: whom a member declares about (every applicant by name before
scoring, the shortlisted after the reveal, R30), what they have declared, and declaring."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from shortlist.extensions import db
from shortlist.models import ApplicantDetails, Application, ConflictDeclaration, Decision, ScoreSheet, User, Vacancy
from shortlist.models.base import utcnow
from shortlist.rules.vocabulary import REVEALED_OUTCOMES
from shortlist.services import audit, closing
from shortlist.services.transactions import transaction
from shortlist.services.refusals import PanelRefused, Problem
from shortlist.services.panel.base import actor, membership, conflict_phase, name_revealed


def _declaration_pool(vacancy: Vacancy, user: User | None = None):  # noqa: ANN202 - a Select of application ids
    """Whom a member declares about: every applicant before scoring (with a sift pool, those
    allocated to them); after the reveal, only the shortlisted (invited or reserve), whose
    names alone are revealed."""
    query = select(Application.id).where(Application.vacancy_id == vacancy.id)
    if user is not None and vacancy.sift is not None and not vacancy.names_revealed:
        from shortlist.services import sift

        query = query.where(Application.id.in_(sift.assigned_ids(vacancy, user.id)))
    if vacancy.names_revealed:
        query = query.join(Decision, Decision.application_id == Application.id).where(
            Decision.stage == "shortlisting", Decision.outcome.in_(REVEALED_OUTCOMES))
    return query


@dataclass
class ConflictState:
    phase: str
    declared: set[int]  # application ids declared (either way) in this phase
    conflicted: set[int]  # application ids with a declared conflict, in any phase
    total: int

    @property
    def complete(self) -> bool:
        return len(self.declared) >= self.total


def conflict_state(vacancy: Vacancy, user: User) -> ConflictState:
    phase = conflict_phase(vacancy)
    rows = db.session.execute(
        select(ConflictDeclaration.application_id, ConflictDeclaration.phase, ConflictDeclaration.conflict)
        .join(Application, Application.id == ConflictDeclaration.application_id)
        .where(Application.vacancy_id == vacancy.id, ConflictDeclaration.user_id == user.id)
    ).all()
    pool = set(db.session.scalars(_declaration_pool(vacancy, user)))
    return ConflictState(
        phase=phase,
        declared={r.application_id for r in rows if r.phase == phase and r.application_id in pool},
        conflicted={r.application_id for r in rows if r.conflict},
        total=len(pool),
    )


def declarations_complete(vacancy: Vacancy, user: User) -> bool:
    """``conflict_state(vacancy, user).complete`` in one query that reads no declaration out:
    whether every applicant they declare about has their answer in this phase. A sifter's
    queue page asks only this (1,000 declarations and applications read and compared in
    Python before, for each page of 50)."""
    answered = select(ConflictDeclaration.application_id).where(
        ConflictDeclaration.user_id == user.id, ConflictDeclaration.phase == conflict_phase(vacancy))
    missing = _declaration_pool(vacancy, user).where(Application.id.not_in(answered))
    return not db.session.scalar(select(missing.exists()))


def has_declared_about(vacancy: Vacancy, application: Application, user: User,
                       state: ConflictState | None = None) -> bool:
    """A member reads an application only once they have answered the conflict question
    about it (security review, finding 5): in the current phase while it is one they are
    asked about (every applicant before the reveal, the shortlisted after it), else in any
    phase (an applicant not shortlisted, read again after the reveal). Someone who joined
    the panel after the reveal never answered about those, so never reads them."""
    state = state or conflict_state(vacancy, user)
    if application.id in state.declared:
        return True
    if not vacancy.names_revealed or name_revealed(vacancy, application):
        return False
    return db.session.scalar(select(
        select(ConflictDeclaration.id).where(ConflictDeclaration.application_id == application.id,
                                             ConflictDeclaration.user_id == user.id).exists())) or False


@dataclass(frozen=True)
class NamedApplicant:
    """What the conflict step shows: a name (and, once revealed, the reference)."""

    token: str  # the form's field suffix: an index into the name-sorted list, not an id
    application_id: int
    name: str
    reference: str | None
    declared: bool | None
    details: str
    withdrawal_requested: bool = False  # they asked HR or the chair to withdraw their declared conflict


def applicants_for_declaration(vacancy: Vacancy, user: User) -> list[NamedApplicant]:
    """Applicants by name, sorted by name, so the list reveals nothing of the references
    the anonymised applications carry (before the reveal)."""
    phase = conflict_phase(vacancy)
    rows = db.session.execute(
        select(Application.id, Application.reference, ApplicantDetails.name)
        .join(ApplicantDetails, ApplicantDetails.application_id == Application.id)
        .where(Application.id.in_(_declaration_pool(vacancy, user)))
        .order_by(ApplicantDetails.name, Application.id)
    ).all()
    answers = _declarations(vacancy, user, phase)
    out = []
    for index, row in enumerate(rows, start=1):
        answer = answers.get(row.id)
        out.append(NamedApplicant(
            token=str(index), application_id=row.id, name=row.name,
            reference=row.reference if vacancy.names_revealed else None,
            declared=None if answer is None else answer.conflict,
            details=answer.details if answer else "",
            withdrawal_requested=answer is not None and answer.withdrawal_requested_at is not None))
    return out


def _declarations(vacancy: Vacancy, user: User, phase: str) -> dict[int, ConflictDeclaration]:
    """The member's declarations in this phase, by application id."""
    return {
        d.application_id: d
        for d in db.session.scalars(
            select(ConflictDeclaration)
            .join(Application, Application.id == ConflictDeclaration.application_id)
            .where(Application.vacancy_id == vacancy.id, ConflictDeclaration.user_id == user.id,
                   ConflictDeclaration.phase == phase))
    }


def declare_conflicts(vacancy: Vacancy, user: User, answers: Mapping[str, tuple[str | None, str]]) -> list[str]:
    """Record the member's answer for every applicant (token -> ("yes"|"no", details)).

    Returns the references of applicants they declared a conflict with.
    """
    if membership(vacancy, user) is None:
        raise PanelRefused.one("not_on_panel", "Only members of this vacancy's panel declare conflicts of interest.")
    if not closing.applications_closed(vacancy):
        raise PanelRefused.one("applications_open", closing.open_message(vacancy))
    phase = conflict_phase(vacancy)
    applicants = applicants_for_declaration(vacancy, user)
    problems: list[Problem] = []
    for a in applicants:
        answer, details = answers.get(a.token, (None, ""))
        if answer not in ("yes", "no"):
            problems.append(Problem("conflict_unanswered",
                                    f"Select yes if you know {a.name} or have any other conflict of interest",
                                    f"conflict-{a.token}"))
        elif answer == "yes" and not details.strip():
            problems.append(Problem("conflict_details_required",
                                    f"Describe how you know {a.name}", f"details-{a.token}"))
        elif len(details) > 2000:
            problems.append(Problem("too_long", "Describe the relationship in 2000 characters or fewer",
                                    f"details-{a.token}"))
    existing = _declarations(vacancy, user, phase)
    for a in applicants:
        row = existing.get(a.application_id)
        if row is not None and row.conflict and answers.get(a.token, (None, ""))[0] == "no":
            # withdrawing it alone would let a member map names to references (security review, finding 2)
            problems.append(Problem(
                "conflict_withdrawal_needs_review",
                f"You declared a conflict of interest with {a.name}. Only HR or the chair can withdraw it: "
                "ask for a review below, with your reason", f"conflict-{a.token}"))
    if problems:
        raise PanelRefused(problems)

    with transaction():
        closing.close_if_due(vacancy)  # recorded in this declaration's transaction, before it
        refs = dict(db.session.execute(
            select(Application.id, Application.reference).where(Application.vacancy_id == vacancy.id)).all())
        submitted = set(db.session.scalars(
            select(ScoreSheet.application_id).join(Application, Application.id == ScoreSheet.application_id)
            .where(Application.vacancy_id == vacancy.id, ScoreSheet.user_id == user.id,
                   ScoreSheet.submitted_at.is_not(None))))
        conflicts: list[str] = []
        newly: list[str] = []  # conflicts this declaration adds
        for a in applicants:
            answer, details = answers[a.token]
            conflict = answer == "yes"
            row = existing.get(a.application_id)
            if conflict and not (row is not None and row.conflict):
                newly.append(refs[a.application_id])
            if row is None:
                row = ConflictDeclaration(application_id=a.application_id, user_id=user.id, phase=phase)
                db.session.add(row)
            if row.conflict and not conflict:
                continue  # never reached: refused above
            row.conflict = conflict
            row.details = details.strip() if conflict else ""
            row.declared_at = utcnow()
            if conflict:
                conflicts.append(refs[a.application_id])
        conflicts.sort()
        audit.record(
            actor(user), "conflicts.declared", vacancy=vacancy.reference, subject=user.email,
            phase=phase, applicants=len(applicants), conflicts=conflicts,
            # a conflict found after scores were submitted: those scores no longer count (R30)
            scores_excluded=sorted(refs[i] for i in submitted if refs.get(i) in conflicts),
        )
        if phase == "after_reveal" and newly:
            from shortlist.services import notices

            notices.late_conflict(vacancy, user, sorted(newly), actor(user))  # HR is told
        if newly and vacancy.sift is not None:
            from shortlist.services import sift

            sift.reallocate(vacancy, user, "conflict_declared")  # their conflicted applications go to others
    return conflicts


def late_conflicts(vacancy: Vacancy) -> list[tuple[str, str]]:
    """(reference, member name) for conflicts declared after the reveal by members whose
    shortlisting scores for that candidate had been submitted: flagged for HR (scenario 21)."""
    rows = db.session.execute(
        select(Application.reference, User.name)
        .join(ConflictDeclaration, ConflictDeclaration.application_id == Application.id)
        .join(User, User.id == ConflictDeclaration.user_id)
        .join(ScoreSheet, (ScoreSheet.application_id == Application.id) & (ScoreSheet.user_id == User.id)
              & (ScoreSheet.stage == "shortlisting"))
        .where(Application.vacancy_id == vacancy.id, ConflictDeclaration.phase == "after_reveal",
               ConflictDeclaration.conflict.is_(True), ScoreSheet.submitted_at.is_not(None))
        .order_by(Application.reference)
    ).all()
    return [(r.reference, r.name) for r in rows]


def conflicted_with(application: Application, user: User) -> bool:
    """The member declared a conflict with this applicant (in either phase): what
    ``conflict_state(...).conflicted`` says about one application, in one small query."""
    return db.session.scalar(select(
        select(ConflictDeclaration.id).where(ConflictDeclaration.application_id == application.id,
                                             ConflictDeclaration.user_id == user.id,
                                             ConflictDeclaration.conflict.is_(True)).exists())) or False
