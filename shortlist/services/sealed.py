"""Sealed data: equality monitoring and criminal-record declarations (R10, R15, R17).

HR sees both. Someone HR grants access on a vacancy whose policy allows it sees the
declarations of the candidates invited to interview, once the shortlist is made.
Every view is recorded in the audit log (who, when, which applications), in the same
transaction as nothing else: a view is the event.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from shortlist.extensions import db
from shortlist.permissions import is_hr_of
from shortlist.services.refusals import GrantRefused
from shortlist.services.transactions import transaction
from shortlist.models import (
    Application,
    CriminalRecordDeclaration,
    DataPolicy,
    Decision,
    DeclarationGrant,
    EqualityMonitoring,
    User,
    Vacancy,
)
from shortlist.models.base import utcnow
from shortlist.services import audit



def policy_for(vacancy: Vacancy) -> DataPolicy:
    """The vacancy's data policy (the defaults, unsaved, when none was set: its organisation's
    retention period, else 6 months; declarations HR only)."""
    policy = db.session.scalar(select(DataPolicy).where(DataPolicy.vacancy_id == vacancy.id))
    if policy is None:
        policy = DataPolicy(vacancy_id=vacancy.id, retention_months=vacancy.org.retention_months or 6,
                            share_declarations=False)
    return policy


def shortlist_made(vacancy: Vacancy) -> bool:
    return vacancy.shortlist_finalised_at is not None or vacancy.status in ("interview", "closed")


@dataclass(frozen=True)
class SealedRecord:
    application: Application
    equality: EqualityMonitoring | None
    declaration: CriminalRecordDeclaration | None


def view_sealed(vacancy: Vacancy, reference: str, actor: User) -> SealedRecord | None:
    """HR: one application's sealed data; the view is recorded. None: no such application."""
    application = db.session.scalar(
        select(Application).where(Application.vacancy_id == vacancy.id, Application.reference == reference))
    if application is None:
        return None
    record = SealedRecord(application, application.equality_monitoring, application.criminal_record_declaration)
    parts = [name for name, value in (("equality_monitoring", record.equality),
                                      ("criminal_record_declaration", record.declaration)) if value is not None]
    with transaction():
        audit.record(audit.Actor.of(actor), "sealed.viewed", vacancy=vacancy.reference,
                     subject=f"application {reference}", application=reference, parts=parts)
    return record


# --------------------------------------------------------------------------- declarations by grant


def active_grant(vacancy: Vacancy, user: User) -> DeclarationGrant | None:
    return db.session.scalar(select(DeclarationGrant).where(
        DeclarationGrant.vacancy_id == vacancy.id, DeclarationGrant.user_id == user.id,
        DeclarationGrant.revoked_at.is_(None)))


@dataclass(frozen=True)
class DeclarationRow:
    reference: str
    declaration: CriminalRecordDeclaration | None


def view_declarations(vacancy: Vacancy, actor: User) -> list[DeclarationRow]:
    """The declarations of the candidates invited to interview; the view is recorded.

    The caller has checked `shortlist.permissions.may_see_declarations`.
    """
    rows = db.session.execute(
        select(Application.reference, CriminalRecordDeclaration)
        .join(Decision, (Decision.application_id == Application.id) & (Decision.stage == "shortlisting")
              & (Decision.outcome == "invite"))
        .outerjoin(CriminalRecordDeclaration, CriminalRecordDeclaration.application_id == Application.id)
        .where(Application.vacancy_id == vacancy.id)
        .order_by(Application.reference)
    ).all()
    result = [DeclarationRow(r[0], r[1]) for r in rows]
    with transaction():
        audit.record(audit.Actor.of(actor), "declarations.viewed", vacancy=vacancy.reference,
                     subject=f"vacancy {vacancy.reference}",
                     applications=[r.reference for r in result if r.declaration is not None])
    return result


def grants(vacancy: Vacancy) -> list[DeclarationGrant]:
    return list(db.session.scalars(
        select(DeclarationGrant).where(DeclarationGrant.vacancy_id == vacancy.id).order_by(DeclarationGrant.id)))


def grantable_people(vacancy: Vacancy) -> list[User]:
    """Who HR may grant access: the vacancy's recruiting manager and its panel (not HR, who see it anyway)."""
    ids = {m.user_id for m in vacancy.panel}
    if vacancy.recruiting_manager_id:
        ids.add(vacancy.recruiting_manager_id)
    if not ids:
        return []
    people = db.session.scalars(select(User).where(User.id.in_(ids)).order_by(func.lower(User.name))).all()
    return [u for u in people if not is_hr_of(u, vacancy)]


def grant_declarations(vacancy: Vacancy, actor: User, user_id: int, reason: str) -> DeclarationGrant:
    policy = policy_for(vacancy)
    if not policy.share_declarations:
        raise GrantRefused(field="user_id", message="This vacancy's policy keeps criminal-record declarations to HR. "
                                      "Change the policy first if the role allows sharing them (for example, "
                                      "a school asking shortlisted candidates, KCSIE).")
    if not shortlist_made(vacancy):
        raise GrantRefused(field="user_id", message="Declarations can be shared only after shortlisting: finalise the "
                                      "shortlist first.")
    person = next((u for u in grantable_people(vacancy) if u.id == user_id), None)
    if person is None:
        raise GrantRefused(field="user_id", message="Select someone on this vacancy's panel, or its recruiting manager")
    if active_grant(vacancy, person) is not None:
        raise GrantRefused(field="user_id", message=f"{person.name} can already see the declarations")
    if not reason.strip():
        raise GrantRefused(field="reason", message="Enter why they need to see the declarations")
    with transaction():
        grant = DeclarationGrant(vacancy_id=vacancy.id, user_id=person.id, reason=reason.strip(),
                                 granted_by_id=actor.id)
        db.session.add(grant)
        db.session.flush()
        audit.record(audit.Actor.of(actor), "declaration_grant.added", vacancy=vacancy.reference,
                     subject=f"vacancy {vacancy.reference}", grant=grant.id, email=person.email,
                     reason=grant.reason)
    return grant


def revoke_grant(vacancy: Vacancy, actor: User, grant_id: int) -> DeclarationGrant | None:
    grant = db.session.scalar(select(DeclarationGrant).where(
        DeclarationGrant.id == grant_id, DeclarationGrant.vacancy_id == vacancy.id))
    if grant is None or not grant.active:
        return None
    with transaction():
        grant.revoked_at = utcnow()
        grant.revoked_by_id = actor.id
        audit.record(audit.Actor.of(actor), "declaration_grant.revoked", vacancy=vacancy.reference,
                     subject=f"vacancy {vacancy.reference}", grant=grant.id, email=grant.user.email)
    return grant
