"""Organisations (issue 17): creating one (a system administrator), finding the one a
campaign file or a form names, and what organisations a person belongs to. Who may see what
of them is the access policy's (shortlist/permissions.py)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, or_, select

from shortlist.extensions import db
from shortlist.models import Organisation, OrganisationRole, PanelMembership, User, Vacancy
from shortlist.models.retention import MAX_RETENTION_MONTHS
from shortlist.rules import organisations as rules
from shortlist.services import audit
from shortlist.services.refusals import OrganisationRefused, Problem
from shortlist.services.transactions import transaction

MAX_NAME = 200


def all_organisations() -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).order_by(func.lower(Organisation.name))))


def by_ids(ids: Iterable[int]) -> list[Organisation]:
    ids = sorted(set(ids))
    if not ids:
        return []
    return list(db.session.scalars(select(Organisation).where(Organisation.id.in_(ids))
                                   .order_by(func.lower(Organisation.name))))


def by_code(code: str) -> Organisation | None:
    return db.session.scalar(select(Organisation).where(func.upper(Organisation.code) == code.strip().upper()))


def organisations_of(user: User) -> frozenset[int]:
    """The organisations a person works in: where they hold a role, manage a vacancy or sit
    on a vacancy's panel (HR of these may act on their account)."""
    held = {r.organisation_id for r in user.organisation_roles}
    on_panel = select(PanelMembership.vacancy_id).where(PanelMembership.user_id == user.id)
    worked = db.session.scalars(select(Vacancy.organisation_id).distinct().where(
        or_(Vacancy.recruiting_manager_id == user.id, Vacancy.id.in_(on_panel))))
    return frozenset(held | set(worked))


def _check(name: str, code: str, domains_text: str, retention: str | int | None) -> tuple[list[Problem], list[str],
                                                                                          int | None]:
    problems: list[Problem] = []
    if not name:
        problems.append(Problem("name_missing", "Enter the organisation’s name", "name"))
    elif len(name) > MAX_NAME:
        problems.append(Problem("name_too_long", f"The name must be {MAX_NAME} characters or fewer", "name"))
    elif db.session.scalar(select(Organisation.id).where(func.lower(Organisation.name) == name.lower())):
        problems.append(Problem("name_taken", f"An organisation called {name} already exists", "name"))
    if not code:
        problems.append(Problem("code_missing", "Enter a short code, for example KCC", "code"))
    elif not rules.is_code(code):
        problems.append(Problem("code_invalid", "The code must be 2 to 20 capital letters, digits or hyphens, "
                                                "starting with a letter, for example KCC", "code"))
    elif by_code(code) is not None:
        problems.append(Problem("code_taken", f"The code {code} is already used by another organisation", "code"))
    domains, bad = rules.parse_domains(domains_text)
    if bad:
        problems.append(Problem("domain_invalid", "These are not e-mail domains: " + ", ".join(bad[:5])
                                + " (write a domain like kent.gov.uk)", "email_domains"))
    months: int | None = None
    if retention not in (None, ""):
        text = str(retention).strip()
        if not text.isdigit() or not 1 <= int(text) <= MAX_RETENTION_MONTHS:
            problems.append(Problem("retention_invalid", f"The retention period must be a whole number of months "
                                                         f"from 1 to {MAX_RETENTION_MONTHS}", "retention_months"))
        else:
            months = int(text)
    return problems, domains, months


def _add(actor: audit.Actor, name: str, code: str, domains: list[str], months: int | None) -> Organisation:
    organisation = Organisation(name=name, code=code, email_domains=domains, retention_months=months)
    db.session.add(organisation)
    db.session.flush()
    audit.record(actor, "organisation.created", organisation_id=organisation.id, subject=f"organisation {code}",
                 code=code, name=name, email_domains=domains, retention_months=months)
    return organisation


def create(actor: audit.Actor, name: str, code: str, email_domains: str = "",
           retention_months: str | int | None = None) -> Organisation:
    """A new organisation, audited; one transaction. Refused (nothing stored) with every
    problem named by its field."""
    name, code = " ".join(name.split()), code.strip().upper()
    problems, domains, months = _check(name, code, email_domains, retention_months)
    if problems:
        raise OrganisationRefused(problems)
    with transaction():
        return _add(actor, name, code, domains, months)


def set_password_sign_in(actor: audit.Actor, code: str, allowed: bool) -> Organisation | None:
    """Whether the organisation's people may sign in with a password (False: those whose
    address is in its e-mail domains are sent to its single sign-on, where it has one),
    audited when it changes; one transaction. None: no organisation has the code."""
    with transaction():
        organisation = by_code(code.strip().upper())
        if organisation is None:
            return None
        if organisation.password_sign_in != allowed:
            organisation.password_sign_in = allowed
            audit.record(actor, "organisation.sign_in_changed", organisation_id=organisation.id,
                         subject=f"organisation {organisation.code}", code=organisation.code,
                         password_sign_in=allowed)
    return organisation


class Unresolved(Exception):
    """A campaign file's organisation is unknown or ambiguous: ``message`` says which and how to fix it."""


def for_campaign(text: str, actor: audit.Actor) -> Organisation:
    """The organisation a campaign file names: by its code; or, as files written before
    organisations had codes do, by its exact name (any case). A name no organisation has
    yet adds it (a code made of its initials, audited), within the caller's transaction; a
    code no organisation has, or text that is one organisation's code and another's name, is
    refused."""
    text = " ".join(text.split())
    coded = by_code(text) if rules.is_code(text.upper()) else None
    named = db.session.scalars(select(Organisation).where(func.lower(Organisation.name) == text.lower())).all()
    if coded is not None and named and named[0].id != coded.id:
        raise Unresolved(f"“{text}” is the code of {coded.name} and the name of another organisation "
                         f"({named[0].code}): name the organisation by its code")
    if coded is not None:
        return coded
    if named:
        return named[0]
    if rules.is_code(text):
        known = ", ".join(o.code for o in all_organisations()) or "none yet"
        raise Unresolved(f"no organisation has the code {text} (codes: {known}); a system administrator "
                         "creates organisations")
    taken = db.session.scalars(select(Organisation.code))
    return _add(actor, text[:MAX_NAME], rules.derive_code(text, taken), [], None)


def role_pairs(user: User) -> list[tuple[str, str]]:
    """(organisation code, role) the person holds, sorted: what the audit log records."""
    return sorted((r.organisation.code, r.role) for r in user.organisation_roles)


def members(organisation_ids: Iterable[int]) -> frozenset[int]:
    """The people (ids) who work in these organisations: roles held, vacancies managed, panels sat on."""
    ids = sorted(set(organisation_ids))
    if not ids:
        return frozenset()
    held = select(OrganisationRole.user_id).where(OrganisationRole.organisation_id.in_(ids))
    managing = select(Vacancy.recruiting_manager_id).where(Vacancy.organisation_id.in_(ids),
                                                           Vacancy.recruiting_manager_id.is_not(None))
    on_panel = (select(PanelMembership.user_id).join(Vacancy, Vacancy.id == PanelMembership.vacancy_id)
                .where(Vacancy.organisation_id.in_(ids)))
    return frozenset(db.session.scalars(select(User.id).where(
        or_(User.id.in_(held), User.id.in_(managing), User.id.in_(on_panel)))))


def ensure_role(user_id: int, organisation: Organisation, role: str, actor: audit.Actor) -> bool:
    """Give the person ``role`` in the organisation unless they hold it (audited), within the
    caller's transaction: the recruiting manager a campaign file names manages for its
    organisation. True when added."""
    held = db.session.scalar(select(OrganisationRole.id).where(
        OrganisationRole.user_id == user_id, OrganisationRole.organisation_id == organisation.id,
        OrganisationRole.role == role))
    if held is not None:
        return False
    user = db.session.get(User, user_id)
    assert user is not None
    before = role_pairs(user)
    user.organisation_roles.append(OrganisationRole(organisation=organisation, role=role))
    db.session.flush()
    if user.role == "panel_member" and role == "recruiting_manager":
        user.role = role
    audit.record(actor, "user.roles_changed", organisation_id=organisation.id, subject=f"user {user.id}",
                 email=user.email, before=[list(p) for p in before], after=[list(p) for p in role_pairs(user)])
    return True


def hr_admin_ids(organisation_id: int) -> frozenset[int]:
    """The people (ids) who are HR administrators of the organisation."""
    return frozenset(db.session.scalars(select(OrganisationRole.user_id).where(
        OrganisationRole.organisation_id == organisation_id, OrganisationRole.role == "hr_admin")))
