"""Who may do what. Every view declares its rule with one of these decorators,
and a test fails for any endpoint that declares none.

Per-vacancy access comes from the user's relation to the vacancy:
`hr` (an HR administrator of the vacancy's organisation), `manager` (its recruiting manager),
or their panel role on it (`chair`, `member`, `hr_adviser`); an HR adviser of the vacancy's
organisation has the `hr_adviser` relation to each of its vacancies.

Pages that are not about one vacancy (the audit log, reports, the outbox, people) are for
those holding a role in some organisation (ORGANISATION_CAPABILITIES), and show that
organisation's data only: `organisations_for` names them. Someone with no relation to a
vacancy (HR of another organisation included) gets a 404 for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import wraps
from typing import Any, Protocol, TypeVar

from flask import abort
from flask_login import current_user, login_required
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from shortlist import rules
from shortlist.extensions import db
from shortlist.models import PanelMembership, Role, User, Vacancy
from shortlist.rules import codes as rules_codes
from shortlist.rules.vocabulary import HR_ADMIN, PANEL_ROLES, SCORING_ROLES

F = TypeVar("F", bound=Callable[..., Any])


class _Blocker(Protocol):
    code: str
    role: str
    candidate: str | None

    def is_for(self, user: User) -> bool: ...


B = TypeVar("B", bound=_Blocker)

# capability -> the vacancy relations that grant it
CAPABILITIES: dict[str, frozenset[str]] = {
    "view": frozenset({"hr", "manager", "chair", "member", "hr_adviser"}),
    "view_recommendations": frozenset({"hr", "manager", "chair", "hr_adviser"}),
    "manage": frozenset({"hr", "manager"}),
    # the panel's own work: declaring conflicts, scoring (chair and members)
    "panel": frozenset(PANEL_ROLES),
    "score": SCORING_ROLES,
    # agreed scores, decisions, finalising: the chair, or HR
    "moderate": frozenset({"hr", "chair"}),
    # arranging interviews (and seeing the adjustments to make): the manager, the chair, HR
    "arrange": frozenset({"hr", "manager", "chair"}),
    # declaring or changing the interview cap (R5): the manager, the chair, HR
    "set_cap": frozenset({"hr", "manager", "chair"}),
    # HR's pages about one vacancy: its data policy, legal holds, sealed data, erasure
    "hr": frozenset({"hr"}),
    # closing applications before the closing date (with a reason): HR
    "close_applications": frozenset({"hr"}),
    # reviewing a disability claim against an essential criterion (R6, R9): HR only, who
    # sees what the applicant says and the adjustments they asked for
    "review_adjustments": frozenset({"hr"}),
}


# capability -> the organisation roles that grant it, in that organisation (issue 17)
ORGANISATION_CAPABILITIES: dict[str, frozenset[str]] = {
    # HR's own pages that act: the outbox, the wording of messages, people's training, users
    "administer": frozenset({HR_ADMIN}),
    # reading what happened: the audit log, reports and their exports
    "audit": frozenset({HR_ADMIN, "hr_adviser"}),
    # creating a vacancy for the organisation
    "create_vacancy": frozenset({HR_ADMIN, "recruiting_manager"}),
}


def organisations_for(user: User, capability: str) -> frozenset[int]:
    """The organisations (ids) where this person has ``capability``: what a page that is not
    about one vacancy shows them."""
    return user.organisation_ids(*ORGANISATION_CAPABILITIES[capability])


def is_hr_of(user: User, vacancy: Vacancy) -> bool:
    """An HR administrator of the vacancy's organisation: HR's powers on it (overrides,
    disability information, declarations, closing early, resetting a password)."""
    return vacancy.organisation_id in user.organisation_ids(HR_ADMIN)


def may_manage_person(actor: User, person: User, organisation_ids: Iterable[int] | None = None) -> bool:
    """HR may act on a person's account (training, roles, status) when the person holds a
    role in one of the organisations they administer, or works on one of its vacancies
    (manages it or sits on its panel). ``organisation_ids``: the person's organisations, read
    by the caller (shortlist.services.people.organisations_of)."""
    mine = organisations_for(actor, "administer")
    theirs = set(organisation_ids) if organisation_ids is not None else set(person.organisation_ids(
        *ORGANISATION_CAPABILITIES["audit"] | ORGANISATION_CAPABILITIES["create_vacancy"]))
    return bool(mine & theirs)


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


def holds_role(user: User, roles: Iterable[str]) -> bool:
    """Holds one of these roles in some organisation."""
    wanted = set(roles)
    return any(r.role in wanted for r in user.organisation_roles)


def role_required(*roles: Role) -> Callable[[F], F]:
    """A signed-in user holding one of these roles in some organisation (the page shows that
    organisation's data only: organisations_for)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not holds_role(current_user, roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped = login_required(wrapper)
        _mark(wrapped, "role:" + ",".join(sorted(roles)))
        return wrapped  # type: ignore[return-value]

    return decorator


def organisation_required(capability: str) -> Callable[[F], F]:
    """A signed-in user with ``capability`` in some organisation (ORGANISATION_CAPABILITIES);
    the view shows or acts on those organisations' data only (organisations_for)."""
    if capability not in ORGANISATION_CAPABILITIES:
        raise KeyError(f"unknown organisation capability {capability!r}")

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not organisations_for(current_user, capability):
                abort(403)
            return view(*args, **kwargs)

        wrapped = login_required(wrapper)
        _mark(wrapped, "organisation:" + capability)
        return wrapped  # type: ignore[return-value]

    return decorator


def system_admin_required(view: F) -> F:
    """A system administrator: creates organisations."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not current_user.system_admin:
            abort(403)
        return view(*args, **kwargs)

    wrapped = login_required(wrapper)
    _mark(wrapped, "system_admin")
    return wrapped  # type: ignore[return-value]


def audit_readers(view: F) -> F:
    """HR administrators and advisers (their organisations' log), and system administrators
    (the whole log, which they alone may read whole)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not (current_user.system_admin or organisations_for(current_user, "audit")):
            abort(403)
        return view(*args, **kwargs)

    wrapped = login_required(wrapper)
    _mark(wrapped, "audit_readers")
    return wrapped  # type: ignore[return-value]


def vacancy_relations(user: User, vacancy: Vacancy) -> set[str]:
    relations: set[str] = set()
    for held in user.organisation_roles:
        if held.organisation_id == vacancy.organisation_id:
            if held.role == HR_ADMIN:
                relations.add("hr")
            elif held.role == "hr_adviser":
                relations.add("hr_adviser")
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


def may_open(user: User, vacancy: Vacancy, endpoint: str) -> bool:
    """Whether this person may open a page of the vacancy, by the rule its view declares
    (a link is offered only where it would open). A rule this cannot judge: no."""
    from flask import current_app

    rule = getattr(current_app.view_functions.get(endpoint), "access_rule", "")
    kind, _, name = rule.partition(":")
    if kind == "vacancy" and name in CAPABILITIES:
        return can(user, name, vacancy)
    if kind == "vacancy" and name == "declarations":
        return _may_see_declarations_now(user, vacancy)
    if kind == "role":
        return holds_role(user, name.split(","))
    if kind == "organisation":
        return bool(organisations_for(user, name))
    if rule == "system_admin":
        return user.system_admin
    if rule == "audit_readers":
        return user.system_admin or bool(organisations_for(user, "audit"))
    return rule in ("signed_in", "public")


def vacancy_access(capability: str) -> Callable[[F], F]:
    """A signed-in user with `capability` on the vacancy named by the `reference` URL part.

    The view receives `vacancy` instead of `reference`. A vacancy the user has no
    relation to is a 404 (its existence is not confirmed); one they can see but not
    act on is a 403.
    """
    if capability not in CAPABILITIES:
        raise KeyError(f"unknown capability {capability!r}")
    return _on_vacancy("vacancy:" + capability, lambda user, vacancy: can(user, capability, vacancy))


def declarations_access(view: F) -> F:
    """HR, or someone HR granted access to the vacancy's criminal-record declarations (after
    shortlisting, where the vacancy's policy shares them): `may_see_declarations`."""
    return _on_vacancy("vacancy:declarations", _may_see_declarations_now)(view)


def _on_vacancy(rule: str, allowed: Callable[[User, Vacancy], bool]) -> Callable[[F], F]:
    """A signed-in user whom ``allowed`` lets act on the vacancy named by the `reference` URL
    part: no relation to it is a 404, a relation without the permission a 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, reference: str, **kwargs: Any) -> Any:
            # the panel and its users come in the same statement: every page needs them
            vacancy = db.session.execute(
                select(Vacancy).options(joinedload(Vacancy.panel).joinedload(PanelMembership.user))
                .where(Vacancy.reference == reference)).unique().scalar_one_or_none()
            if vacancy is None or not vacancy_relations(current_user, vacancy):
                abort(404)
            if not allowed(current_user, vacancy):
                abort(403)
            return view(*args, vacancy=vacancy, **kwargs)

        wrapped = login_required(wrapper)
        _mark(wrapped, rule)
        return wrapped  # type: ignore[return-value]

    return decorator


# --------------------------------------------------------------------------- what a person may do on a vacancy
#
# Named for what the services ask: each is one capability above, so a rule is written once.


def is_scorer(vacancy: Vacancy, user: User) -> bool:
    """The user scores this vacancy's candidates: its chair or a member."""
    return can(user, "score", vacancy)


def may_moderate(vacancy: Vacancy, user: User) -> bool:
    """Agreed scores, decisions, finalising, reviewing a withdrawn conflict: the chair, or HR."""
    return can(user, "moderate", vacancy)


def may_decide(vacancy: Vacancy, user: User) -> bool:
    """A decision about a candidate is the moderator's (R31)."""
    return may_moderate(vacancy, user)


def may_set_cap(vacancy: Vacancy, user: User) -> bool:
    return can(user, "set_cap", vacancy)


def may_arrange(vacancy: Vacancy, user: User) -> bool:
    """Those who arrange interviews see the adjustments to make (R9)."""
    return can(user, "arrange", vacancy)


def may_see_others_scores(vacancy: Vacancy, user: User, seen: Sight, reference: str) -> bool:
    """Nobody who scores sees another member's scores for a candidate before submitting
    their own for that candidate (R27); a conflicted member never sees them."""
    return not is_scorer(vacancy, user) or sees_scores(seen, reference)


@dataclass(frozen=True)
class DeclarationFacts:
    """What decides whether a person other than HR sees the criminal-record declarations."""

    shared: bool  # the vacancy's data policy shares them after shortlisting
    shortlist_made: bool
    granted: bool  # HR granted this person access, not revoked


def may_see_declarations(user: User, facts: DeclarationFacts, vacancy: Vacancy) -> bool:
    """The vacancy's organisation's HR always; anyone else only with an active grant, on a
    vacancy that shares them, after shortlisting (R17)."""
    return is_hr_of(user, vacancy) or (facts.shared and facts.shortlist_made and facts.granted)


def _may_see_declarations_now(user: User, vacancy: Vacancy) -> bool:
    from shortlist.services.sight import declaration_facts  # the facts are read by a service

    return is_hr_of(user, vacancy) or may_see_declarations(user, declaration_facts(vacancy, user), vacancy)


def visible_vacancies_query(user: User):  # noqa: ANN201 - a SQLAlchemy Select
    """The vacancies this person sees: their organisations' (HR administrators and advisers),
    those they manage, and those on whose panel they sit."""
    query = select(Vacancy).order_by(Vacancy.closing_date, Vacancy.reference)
    on_panel = select(PanelMembership.vacancy_id).where(PanelMembership.user_id == user.id)
    mine = or_(Vacancy.recruiting_manager_id == user.id, Vacancy.id.in_(on_panel))
    organisations = organisations_for(user, "audit")
    if organisations:
        mine = or_(mine, Vacancy.organisation_id.in_(sorted(organisations)))
    return query.where(mine)


# --------------------------------------------------------------------------- what a person sees of candidates
#
# The access policy for candidate data, in one place: every page, export and document that
# shows scores, the reasons that quote them, scheme membership (Disability Confident),
# disability information or adjustments asks these predicates. They are pure: the facts
# about the person come in a `Sight` (built by shortlist.services.sight), so the same rule
# is tested without a database and applied the same way everywhere.
#
#   scores, score-quoting reasons, the recommendation and scheme status (R27):
#       anyone who does not score on the vacancy and may see recommendations (HR, the
#       recruiting manager, an HR adviser); someone who scores (the chair, a member) only
#       for a candidate they have no conflict with, once they have declared their conflicts
#       and submitted their own scores for that candidate at that stage. A person with two
#       relations (a manager who chairs) is held to the stricter: they score.
#   disability information (which criterion a disability affects, waiver and adjustment-
#       review reasons, HR's review rationale) (R10): HR administrators only, and each view
#       is audited; everyone else sees the reason's code and a neutral message.
#   adjustments (what to do for the candidate, never why): everyone who interviews or
#       arranges, except a member for a candidate they declared a conflict with. Packs,
#       schedules and calendar files never carry the scheme, the guarantee or disability.

SCORING_RELATIONS: frozenset[str] = SCORING_ROLES
ARRANGING_RELATIONS: frozenset[str] = CAPABILITIES["arrange"]

#: reasons whose message states a disability: shown to HR only (R10)
DISABILITY_CODES: frozenset[str] = frozenset({
    rules_codes.WAIVER_APPLIED, rules_codes.WAIVER_NOT_ALLOWED, rules_codes.ADJUSTMENT_REVIEW,
    rules_codes.ADJUSTMENT_AGREED, rules_codes.ADJUSTMENT_NOT_AGREED})
#: reasons that state scheme membership: never in a pack, schedule or calendar file
SCHEME_CODES: frozenset[str] = frozenset({rules_codes.SCHEME_GUARANTEE, rules_codes.ARMED_FORCES_GUARANTEE})
_NEUTRAL: dict[str, str] = {
    rules_codes.WAIVER_APPLIED: "{c} is waived under the vacancy's waiver policy. HR holds the details.",
    rules_codes.WAIVER_NOT_ALLOWED: "{c} cannot be waived, so it stays as scored. HR holds the details.",
    rules_codes.ADJUSTMENT_REVIEW: "{c} waits for HR's adjustment review. HR holds the details.",
    rules_codes.ADJUSTMENT_AGREED: "{c} is met with a reasonable adjustment HR agreed. HR holds the details.",
    rules_codes.ADJUSTMENT_NOT_AGREED: "{c} stays as scored after HR's adjustment review. HR holds the details.",
}


@dataclass(frozen=True)
class Sight:
    """What decides what one person sees of one vacancy's candidates at one stage."""

    relations: frozenset[str]
    hr: bool = False  # an HR administrator (the global role)
    declared: bool = False  # answered the conflict question for every applicant in the current phase
    submitted: frozenset[str] = frozenset()  # candidates whose sheet they submitted at the stage
    conflicted: frozenset[str] = frozenset()  # candidates they declared a conflict with (either phase)
    # with a sift pool (issue 19): the candidates allocated to them; None: the whole panel scores everyone
    allocated: frozenset[str] | None = None

    @property
    def scores(self) -> bool:
        return bool(self.relations & SCORING_RELATIONS)


#: the command line's operator (and HR's own copies): sees everything
EVERYTHING = Sight(relations=frozenset({"hr"}), hr=True, declared=True)


def sees_scores(sight: Sight, reference: str) -> bool:
    """Scores, the reasons that quote them and the recommendation built on them (R27)."""
    if sight.scores:
        if sight.allocated is not None and reference not in sight.allocated and reference not in sight.submitted:
            # a sift pool: a candidate they do not score is the chair's to moderate, no member's to read
            return "chair" in sight.relations and sight.declared and reference not in sight.conflicted
        return sight.declared and reference in sight.submitted and reference not in sight.conflicted
    return bool(sight.relations & (CAPABILITIES["view_recommendations"] | {"hr"}))


def sees_scheme(sight: Sight, reference: str) -> bool:
    """Whether the candidate is in the offer-an-interview scheme (the guarantee): as scores."""
    return sees_scores(sight, reference)


def sees_disability(sight: Sight) -> bool:
    """Disability claims and HR's adjustment-review rationale (R10)."""
    return sight.hr


def sees_adjustments(sight: Sight, reference: str) -> bool:
    """The adjustments to make for an interview: those who arrange, and the panel except
    for a candidate the member declared a conflict with."""
    if sight.relations & ARRANGING_RELATIONS:
        return True
    return bool(sight.relations & CAPABILITIES["panel"]) and reference not in sight.conflicted


def is_restricted(sight: Sight) -> bool:
    """They see less than the whole record: a copy of their own, built for their sight."""
    return not sight.hr


def hidden_because(sight: Sight, reference: str) -> str:
    """What a row shows instead of what sees_scores() hides."""
    if reference in sight.conflicted:
        return "Conflict declared"
    if not sight.declared:
        return "Declare your conflicts of interest, then submit your scores first"
    return "Submit your scores first"


def neutral_reason(reason: rules.Reason) -> rules.Reason:
    """The reason as someone who may not see disability information sees it: its code and
    criterion, a message that says what happens and not why."""
    template = _NEUTRAL.get(reason.code)
    if template is None:
        return reason
    return replace(reason, message=template.format(c=reason.criterion or "The criterion"))


def shown_reasons(sight: Sight, reasons: Iterable[rules.Reason]) -> tuple[rules.Reason, ...]:
    reasons = tuple(reasons)
    if sees_disability(sight) or not any(r.code in DISABILITY_CODES for r in reasons):
        return reasons
    return tuple(neutral_reason(r) for r in reasons)


def shown_recommendation(sight: Sight, rec: rules.Recommendation) -> rules.Recommendation | None:
    """The recommendation as this person may see it: None when its scores are hidden from
    them (sees_scores), else with disability reasons made neutral unless they are HR."""
    if not sees_scores(sight, rec.reference):
        return None
    if sees_disability(sight):
        return rec
    reasons = shown_reasons(sight, rec.reasons)
    criteria = {k: (replace(v, reasons=shown_reasons(sight, v.reasons))
                    if any(r.code in DISABILITY_CODES for r in v.reasons) else v)
                for k, v in rec.criteria.items()}
    if reasons is rec.reasons and all(criteria[k] is rec.criteria[k] for k in criteria):
        return rec
    return replace(rec, reasons=reasons, criteria=criteria)


def states_disability(codes: Iterable[str]) -> bool:
    """Reasons with these codes say the candidate is in the scheme or claims a disability
    (an HR view of them is audited)."""
    return any(code in DISABILITY_CODES or code in SCHEME_CODES for code in codes)


def interview_reasons(reasons: Iterable[rules.Reason]) -> tuple[rules.Reason, ...]:
    """What a pack, schedule or calendar file says of a recommendation: never the scheme
    and never a disability (whoever reads it)."""
    return tuple(neutral_reason(r) for r in reasons if r.code not in SCHEME_CODES)


# --------------------------------------------------------------------------- what stops a vacancy, and who reads it

#: blockers about a candidate that tell of their scores (the members differ, so an agreed
#: score is needed; the recommendation changed under a decision) or of a disability claim
#: (an adjustment review): read only by those who see that candidate's scores
SCORE_REVEALING_BLOCKERS: frozenset[tuple[str, str]] = frozenset({
    (rules_codes.CANDIDATE_INCOMPLETE, "chair"), (rules_codes.CANDIDATE_HR_REVIEW, "hr"),
    (rules_codes.DECISION_OUTDATED, "chair")})
#: who coordinates the work, and so reads everyone's (within what their sight shows them)
COORDINATING_RELATIONS: frozenset[str] = (CAPABILITIES["manage"] | CAPABILITIES["moderate"]
                                          | CAPABILITIES["view_recommendations"])


def visible_blockers(user: User, sight: Sight, blockers: Iterable[B]) -> tuple[list[B], int, int]:
    """The blockers (what stops the vacancy moving on, each naming who must act) this person
    may read; and how many of their own, and of others', they may not (counted, never shown).

    Work that tells of a candidate's scores or of a disability claim is read only by those
    who see that candidate's scores (sees_scores): a member never learns another's scores
    from it, nor a chair who has not yet scored. Other work about a candidate (a sheet to
    submit, a gap to mark, a decision to confirm) is read by whoever must do it and by those
    who coordinate (HR, the recruiting manager, the chair, an HR adviser); work about the
    vacancy itself by everyone who sees the vacancy.
    """
    shown: list[B] = []
    own_hidden = others_hidden = 0
    coordinator = bool(sight.relations & COORDINATING_RELATIONS)
    for b in blockers:
        mine = b.is_for(user)
        if b.candidate and (b.code, b.role) in SCORE_REVEALING_BLOCKERS and not sees_scores(sight, b.candidate):
            if mine:
                own_hidden += 1
            else:
                others_hidden += 1
        elif mine or not b.candidate or coordinator:
            shown.append(b)
        else:
            others_hidden += 1
    return shown, own_hidden, others_hidden
