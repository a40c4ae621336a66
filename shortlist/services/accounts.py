"""HR's Users page (issue 17): the people of the organisations an HR administrator
administers, their roles there, inviting someone, changing their roles, deactivating and
reactivating an account. One transaction per use case, each audited; who may act on whom is
the access policy's (shortlist.permissions.may_manage_person).

A deactivated person cannot sign in and their sessions end at once; their scores, decisions
and audit entries stay as they were.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select

from shortlist.extensions import db
from shortlist.models import AuditEvent, Organisation, OrganisationRole, User
from shortlist.permissions import may_manage_person, organisations_for
from shortlist.rules.organisations import domain_of
from shortlist.rules.vocabulary import ORGANISATION_ROLE_NAMES, ORGANISATION_ROLES
from shortlist.services import access_links, audit, organisations, sessions
from shortlist.services.refusals import AccountRefused, Problem
from shortlist.services.transactions import transaction
from shortlist.services.users import account_kind, find_by_email

MAX_SEARCH = 100
PAGE = 200


@dataclass(frozen=True)
class Person:
    """A row of the Users page."""

    user: User
    roles: tuple[str, ...]  # "HR administrator, Kent County Council", ... (every organisation's)
    last_signed_in: datetime | None


def administered(actor: User) -> list[Organisation]:
    """The organisations whose people this HR administrator manages."""
    return organisations.by_ids(organisations_for(actor, "administer"))


def people(actor: User, search: str = "") -> tuple[list[Person], int]:
    """The people of the actor's organisations (roles held, vacancies managed, panels sat
    on), by name, matching ``search`` in the name or e-mail; and how many match in all
    (the page lists the first PAGE)."""
    ids = organisations.members(organisations_for(actor, "administer"))
    if not ids:
        return [], 0
    query = select(User).where(User.id.in_(sorted(ids)))
    search = search.strip()[:MAX_SEARCH].lower()
    if search:
        like = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(func.lower(User.name).like(like, escape="\\"),
                                func.lower(User.email).like(like, escape="\\")))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    found = list(db.session.scalars(query.order_by(func.lower(User.name), User.id).limit(PAGE)))
    shown = [u.id for u in found]
    held: dict[int, list[str]] = {}
    for role in db.session.scalars(select(OrganisationRole).where(OrganisationRole.user_id.in_(shown))
                                   .order_by(OrganisationRole.id)):
        held.setdefault(role.user_id, []).append(role.label)
    last = dict(db.session.execute(
        select(AuditEvent.actor_id, func.max(AuditEvent.occurred_at))
        .where(AuditEvent.action == "auth.login", AuditEvent.actor_id.in_(shown))
        .group_by(AuditEvent.actor_id)).all())
    return [Person(u, tuple(held.get(u.id, ())), last.get(u.id)) for u in found], total


def person(actor: User, user_id: int) -> User | None:
    """The person, when the actor may manage their account (else None: not found)."""
    user = db.session.get(User, user_id)
    if user is None or not may_manage_person(actor, user, organisations.organisations_of(user)):
        return None
    return user


def roles_in(user: User, organisation_ids: Iterable[int]) -> dict[int, set[str]]:
    """organisation id -> the roles the person holds there, for these organisations."""
    wanted = set(organisation_ids)
    out: dict[int, set[str]] = {o: set() for o in wanted}
    for r in user.organisation_roles:
        if r.organisation_id in wanted:
            out[r.organisation_id].add(r.role)
    return out


def _check_roles(chosen: Mapping[int, Iterable[str]], allowed: set[int]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    for organisation_id, roles in chosen.items():
        if organisation_id not in allowed:
            raise AccountRefused([Problem("not_your_organisation", "Choose roles in your own organisations only",
                                          "roles")])
        roles = set(roles)
        unknown = roles - set(ORGANISATION_ROLES)
        if unknown:
            raise AccountRefused([Problem("unknown_role", f"Unknown role: {', '.join(sorted(unknown))}", "roles")])
        out[organisation_id] = roles
    return out


def _apply(actor: User, user: User, chosen: dict[int, set[str]]) -> list[int]:
    """Set the person's roles in these organisations (others untouched), recording a
    user.roles_changed per organisation whose roles changed; the ids of those."""
    changed = []
    codes = {o.id: o for o in organisations.by_ids(chosen)}
    for organisation_id, roles in chosen.items():
        before = {r.role for r in user.organisation_roles if r.organisation_id == organisation_id}
        if before == roles:
            continue
        for r in [r for r in user.organisation_roles if r.organisation_id == organisation_id and r.role not in roles]:
            user.organisation_roles.remove(r)
        for role in sorted(roles - before):
            user.organisation_roles.append(OrganisationRole(organisation=codes[organisation_id], role=role))
        changed.append(organisation_id)
        db.session.flush()
        audit.record(audit.Actor.of(actor), "user.roles_changed", organisation_id=organisation_id,
                     subject=f"user {user.id}", email=user.email,
                     before=[[codes[organisation_id].code, r] for r in sorted(before)],
                     after=[[codes[organisation_id].code, r] for r in sorted(roles)])
    user.role = account_kind(user)
    return changed


def change_roles(actor: User, user: User, chosen: Mapping[int, Iterable[str]]) -> bool:
    """Set the person's roles in the actor's organisations (organisation id -> roles); roles
    elsewhere stay. HR cannot take their own HR administrator role away (another HR
    administrator, or a system administrator, does). False when nothing changed."""
    mine = set(organisations_for(actor, "administer"))
    checked = _check_roles(chosen, mine)
    if user.id == actor.id and any("hr_admin" not in checked.get(o, {"hr_admin"}) for o in mine):
        raise AccountRefused([Problem("own_hr_role", "You cannot remove your own HR administrator role: ask "
                                                     "another HR administrator", "roles")])
    with transaction():
        return bool(_apply(actor, user, checked))


def _problems_for_invite(actor: User, email: str, name: str, organisation_id: int | None,
                         role: str) -> list[Problem]:
    problems = []
    if not name.strip():
        problems.append(Problem("name_missing", "Enter their full name", "name"))
    elif len(name) > 200:
        problems.append(Problem("name_too_long", "The name must be 200 characters or fewer", "name"))
    local, at, domain = email.partition("@")
    if not email:
        problems.append(Problem("email_missing", "Enter their e-mail address", "email"))
    elif len(email) > 254 or not at or not local or "." not in domain or " " in email:
        problems.append(Problem("email_invalid", "Enter an e-mail address like name@council.gov.uk", "email"))
    if organisation_id not in organisations_for(actor, "administer"):
        problems.append(Problem("organisation_missing", "Select the organisation", "organisation"))
    if role not in ORGANISATION_ROLES and role != "none":
        problems.append(Problem("role_missing", "Select their role", "role"))
    return problems


@dataclass(frozen=True)
class Invitation:
    user: User
    link: access_links.IssuedLink | None  # None: they already have a password (nothing to set)
    created: bool
    domain_warning: str | None


def invite(actor: User, email: str, name: str, organisation_id: int | None, role: str) -> Invitation:
    """Invite someone to one of the actor's organisations: their account (made if new, with
    no password), the role there (``none``: no organisation role, e.g. a panel member) and a
    link to set their password, the invitation recorded in the audit log; one transaction.
    Someone who already has a password is given the role only. The link is made by
    access_links.issue: how it is sent (and for how long it works) is that service's."""
    email = email.strip().lower()
    name = " ".join(name.split())
    problems = _problems_for_invite(actor, email, name, organisation_id, role)
    if problems:
        raise AccountRefused(problems)
    assert organisation_id is not None
    organisation = db.session.get(Organisation, organisation_id)
    assert organisation is not None
    user = find_by_email(email)
    created = user is None
    with transaction():
        if user is None:
            user = User(email=email, name=name, role="panel_member")
            db.session.add(user)
            db.session.flush()
            audit.record(audit.Actor.of(actor), "user.created", organisation_id=organisation.id,
                         subject=f"user {user.id}", email=email, role="panel_member")
        if role != "none":
            held = {r.role for r in user.organisation_roles if r.organisation_id == organisation.id}
            _apply(actor, user, {organisation.id: held | {role}})
        audit.record(audit.Actor.of(actor), "user.invited", organisation_id=organisation.id,
                     subject=f"user {user.id}", email=email,
                     roles=[[organisation.code, role]] if role != "none" else [])
    link = None if user.password_hash else access_links.issue(actor, user)
    warning = None
    if organisation.email_domains and domain_of(email) not in organisation.email_domains:
        warning = (f"{email} is not at {organisation.name}’s e-mail domains "
                   f"({', '.join(organisation.email_domains)}): check it is the right address.")
    return Invitation(user, link, created, warning)


def _status_refusal(actor: User, user: User) -> None:
    if user.id == actor.id:
        raise AccountRefused([Problem("own_account", "You cannot deactivate your own account")])
    elsewhere = organisations.organisations_of(user) - organisations_for(actor, "administer")
    if elsewhere:
        names = ", ".join(o.name for o in organisations.by_ids(elsewhere))
        raise AccountRefused([Problem("works_elsewhere", f"{user.name} also works for {names}: their HR, or a "
                                                         "system administrator, deactivates the account")])


def deactivate(actor: User, user: User) -> bool:
    """End the account: they cannot sign in, their sessions end at once, their work stays.
    False when it was already deactivated."""
    if not user.active:
        return False
    _status_refusal(actor, user)
    with transaction():
        user.active = False
        audit.record(audit.Actor.of(actor), "user.deactivated", organisation_id=_one_of(actor, user),
                     subject=f"user {user.id}", email=user.email, sessions_ended=True)
    sessions.end_all(user.id, "deactivated")  # after the commit: its own connection
    return True


def reactivate(actor: User, user: User) -> bool:
    """Let them sign in again (with their password, or a new link). False when already active."""
    if user.active:
        return False
    _status_refusal(actor, user)
    with transaction():
        user.active = True
        audit.record(audit.Actor.of(actor), "user.reactivated", organisation_id=_one_of(actor, user),
                     subject=f"user {user.id}", email=user.email)
    return True


def _one_of(actor: User, user: User) -> int | None:
    """The organisation a status change is recorded under: the first of the person's that
    the actor administers."""
    shared = sorted(organisations.organisations_of(user) & organisations_for(actor, "administer"))
    return shared[0] if shared else None


ROLE_CHOICES = [("none", "No organisation role (for example, a panel member)")] + [
    (value, label) for value, label in ORGANISATION_ROLE_NAMES.items()]
