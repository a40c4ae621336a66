"""What the rest of the panel's work stands on: who is on the panel and in what role, the
stage's criteria and whether it is open (and why not), a candidate's shortlisting outcome
and whether their name is revealed. Reads only; nothing here writes."""

from __future__ import annotations

from sqlalchemy import select

from shortlist import rules
from shortlist.extensions import db
from shortlist.models import Application, Criterion, Decision, PanelMembership, User, Vacancy
from shortlist.rules.vocabulary import REVEALED_OUTCOMES, SCORING_ROLES
from shortlist.services import audit, closing
from shortlist.services.refusals import PanelRefused
from shortlist.services.recommendations import vacancy_from_model


DECISION_LABELS = {
    "shortlisting": {"invite": "Invite to interview", "reserve": "Reserve", "reject": "Not shortlisted"},
}


OVERRIDE_LABELS = rules.OVERRIDE_REASON_LABELS


def actor(user: User) -> audit.Actor:
    return audit.Actor.of(user)


def membership(vacancy: Vacancy, user: User) -> PanelMembership | None:
    return next((m for m in vacancy.panel if m.user_id == user.id), None)


def user_by_email(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        raise LookupError(email)
    return user


def scorers(vacancy: Vacancy) -> list[PanelMembership]:
    return [m for m in vacancy.panel if m.role in SCORING_ROLES]


def conflict_phase(vacancy: Vacancy) -> str:
    """Before scoring, members see names only; once the shortlist is finalised and names
    are revealed to the whole panel, they are asked again (R30)."""
    return "after_reveal" if vacancy.names_revealed else "before_scoring"


def application_by_reference(vacancy: Vacancy, reference: str) -> Application | None:
    return db.session.scalar(
        select(Application).where(Application.vacancy_id == vacancy.id, Application.reference == reference))


def stage_criteria(vacancy: Vacancy, stage: str) -> list[Criterion]:
    keys = {c.key for c in rules.stage_criteria(vacancy_from_model(vacancy), stage)}
    return [c for c in vacancy.criteria if c.key in keys]


def stage_open(vacancy: Vacancy, stage: str) -> bool:
    """Shortlisting runs from the close of applications to the finalised shortlist;
    interviews from then on."""
    if stage == "shortlisting":
        return closing.applications_closed(vacancy) and not vacancy.names_revealed
    return vacancy.names_revealed


def stage_refusal(vacancy: Vacancy, stage: str) -> PanelRefused:
    """Why work at a stage that is not open is refused."""
    if stage == "shortlisting" and not vacancy.names_revealed:
        return PanelRefused.one("applications_open", closing.open_message(vacancy))
    if stage == "shortlisting":
        return PanelRefused.one("shortlist_finalised",
                       "The shortlist has been finalised, so shortlisting scores can no longer change.")
    return PanelRefused.one("interviews_not_open", "Interview scoring opens once the shortlist is finalised.")


def decision_outcome(application: Application, stage: str) -> str | None:
    return db.session.scalar(
        select(Decision.outcome).where(Decision.application_id == application.id, Decision.stage == stage))


def name_revealed(vacancy: Vacancy, application: Application) -> bool:
    return vacancy.names_revealed and decision_outcome(application, "shortlisting") in REVEALED_OUTCOMES
