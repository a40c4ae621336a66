"""Who may do what. Every view declares its rule with one of these decorators,
and a test fails for any endpoint that declares none.

Per-vacancy access comes from the user's relation to the vacancy:
`hr` (an HR administrator: every vacancy), `manager` (its recruiting manager),
or their panel role on it (`chair`, `member`, `hr_adviser`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from shortlist.extensions import db
from shortlist.models import PanelMembership, Role, User, Vacancy

F = TypeVar("F", bound=Callable[..., Any])

# capability -> the vacancy relations that grant it
CAPABILITIES: dict[str, frozenset[str]] = {
    "view": frozenset({"hr", "manager", "chair", "member", "hr_adviser"}),
    "view_recommendations": frozenset({"hr", "manager", "chair", "hr_adviser"}),
    "manage": frozenset({"hr", "manager"}),
    # the panel's own work: declaring conflicts, scoring (chair and members)
    "panel": frozenset({"chair", "member", "hr_adviser"}),
    "score": frozenset({"chair", "member"}),
    # agreed scores, decisions, finalising: the chair, or HR
    "moderate": frozenset({"hr", "chair"}),
    # arranging interviews (and seeing the adjustments to make): the manager, the chair, HR
    "arrange": frozenset({"hr", "manager", "chair"}),
}


def _mark(view: Callable[..., Any], rule: str) -> None:
    view.access_rule = rule  # type: ignore[attr-defined]


def public(view: F) -> F:
    """Anyone, signed in or not."""
    _mark(view, "public")
    return view


def signed_in(view: F) -> F:
    """Any signed-in user."""
    wrapped = login_required(view)
    _mark(wrapped, "signed_in")
    return wrapped  # type: ignore[return-value]


def role_required(*roles: Role) -> Callable[[F], F]:
    """A signed-in user with one of these global roles."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped = login_required(wrapper)
        _mark(wrapped, "role:" + ",".join(sorted(roles)))
        return wrapped  # type: ignore[return-value]

    return decorator


def vacancy_relations(user: User, vacancy: Vacancy) -> set[str]:
    relations: set[str] = set()
    if user.role == Role.HR_ADMIN:
        relations.add("hr")
    if vacancy.recruiting_manager_id == user.id:
        relations.add("manager")
    for membership in vacancy.panel:
        if membership.user_id == user.id:
            relations.add(membership.role)
    return relations


def can(user: User, capability: str, vacancy: Vacancy) -> bool:
    if capability not in CAPABILITIES:
        raise KeyError(f"unknown capability {capability!r}")
    return bool(vacancy_relations(user, vacancy) & CAPABILITIES[capability])


def vacancy_access(capability: str) -> Callable[[F], F]:
    """A signed-in user with `capability` on the vacancy named by the `reference` URL part.

    The view receives `vacancy` instead of `reference`. A vacancy the user has no
    relation to is a 404 (its existence is not confirmed); one they can see but not
    act on is a 403.
    """
    if capability not in CAPABILITIES:
        raise KeyError(f"unknown capability {capability!r}")

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, reference: str, **kwargs: Any) -> Any:
            # the panel and its users come in the same statement: every page needs them
            vacancy = db.session.execute(
                select(Vacancy).options(joinedload(Vacancy.panel).joinedload(PanelMembership.user))
                .where(Vacancy.reference == reference)).unique().scalar_one_or_none()
            if vacancy is None:
                abort(404)
            relations = vacancy_relations(current_user, vacancy)
            if not relations:
                abort(404)
            if not relations & CAPABILITIES[capability]:
                abort(403)
            return view(*args, vacancy=vacancy, **kwargs)

        wrapped = login_required(wrapper)
        _mark(wrapped, "vacancy:" + capability)
        return wrapped  # type: ignore[return-value]

    return decorator


def visible_vacancies_query(user: User):  # noqa: ANN201 - a SQLAlchemy Select
    query = select(Vacancy).order_by(Vacancy.closing_date, Vacancy.reference)
    if user.role == Role.HR_ADMIN:
        return query
    on_panel = select(PanelMembership.vacancy_id).where(PanelMembership.user_id == user.id)
    return query.where(or_(Vacancy.recruiting_manager_id == user.id, Vacancy.id.in_(on_panel)))
