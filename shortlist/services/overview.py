"""What a vacancy's page shows: the stage it is at, each stage's progress, and what stops
it moving on, as work for named people ("Tom Okafor: 3 sheets to submit").

While applications are closed and the shortlist is not yet final, the work is
``blockers.finalise_blockers``: the finalise check's own refusals, so the page and the
Finalise button never disagree. Before that it is the publish check's errors
(``vacancies.publish_refusals``); at interview, the interview pack's refusals
(``packs.gate``) and the interviews still to arrange and decide. Who may read which
blocker is the access policy's (``permissions.visible_blockers``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from flask import url_for
from sqlalchemy import func, select
from werkzeug.routing import BuildError

from shortlist.extensions import db
from shortlist.models import Application, ConflictDeclaration, Decision, InterviewSlot, ScoreSheet, User, Vacancy
from shortlist.permissions import can, is_hr_of, may_open, visible_blockers
from shortlist.rules import codes
from shortlist.services import closing, packs, panel
from shortlist.services import vacancies as setup
from shortlist.services.blockers import CHAIR, HR, MANAGER, MEMBER, Blocker, finalise_blockers
from shortlist.services.recommendations import recommend_with_records
from shortlist.services.sight import sight

# (key, the stage's name, the work the stage's task is)
STAGES: tuple[tuple[str, str, str], ...] = (
    ("setup", "Setup", "Set up and publish the vacancy"),
    ("open", "Open", "Take applications"),
    ("applications_closed", "Applications closed", "Close applications and declare conflicts"),
    ("shortlisting", "Shortlisting", "Score, moderate and decide"),
    ("decided", "Decided", "Finalise the shortlist"),
    ("interview", "Interview", "Interview the shortlisted candidates"),
    ("closed", "Closed", "Close the vacancy"),
)
STAGE_KEYS = tuple(key for key, _n, _t in STAGES)
STAGE_NAMES = {key: name for key, name, _t in STAGES}

# codes of the work this page adds at interview (not finalise refusals)
ARRANGE, OUTCOME = "interview_not_arranged", "interview_outcome_missing"

# (code, role) -> (one, several, the page that lists them all) for the summary lines
PHRASES: dict[tuple[str, str], tuple[str, str, str]] = {
    (codes.CANDIDATE_INCOMPLETE, MEMBER): ("sheet to submit for {c}", "{n} sheets to submit", "panel.scoring"),
    (codes.GAP_NOT_MARKED, MEMBER): ("employment gap to mark in {c}", "{n} employment gaps to mark", "panel.scoring"),
    (codes.CANDIDATE_INCOMPLETE, CHAIR): ("agreed scores to record for {c}", "agreed scores to record for {n} "
                                          "candidates", "panel.moderation"),
    (codes.CANDIDATE_HR_REVIEW, HR): ("adjustment review for {c}", "{n} adjustment reviews", "panel.decisions"),
    (codes.DECISION_MISSING, CHAIR): ("decision to confirm for {c}", "{n} decisions to confirm", "panel.decisions"),
    (codes.DECISION_OUTDATED, CHAIR): ("decision to confirm again for {c}", "{n} decisions to confirm again",
                                       "panel.decisions"),
    (ARRANGE, CHAIR): ("interview to arrange for {c}", "{n} interviews to arrange", "interviews.schedule"),
    (OUTCOME, CHAIR): ("interview outcome to record for {c}", "{n} interview outcomes to record",
                       "interviews.outcomes"),
}


# the order work is done in: the reader's own first, then in this order
WORK_ORDER = ((codes.TOO_FEW_SHORTLISTERS, MEMBER), (codes.CANDIDATE_INCOMPLETE, MEMBER),
              (codes.GAP_NOT_MARKED, MEMBER), (codes.CANDIDATE_INCOMPLETE, CHAIR), (codes.CANDIDATE_HR_REVIEW, HR),
              (codes.DECISION_MISSING, CHAIR), (codes.DECISION_OUTDATED, CHAIR), (ARRANGE, CHAIR), (OUTCOME, CHAIR))


@dataclass(frozen=True)
class Link:
    text: str
    href: str | None  # None: the reader may not open where it is done


@dataclass(frozen=True)
class Action:
    """One line of "What needs doing": who must act and what, linked to where it is done."""

    who: str
    what: Link
    items: tuple[Link, ...] = ()  # each candidate, when the line covers several
    mine: bool = False
    codes: tuple[str, ...] = ()
    role: str = ""


@dataclass(frozen=True)
class StageTask:
    key: str
    name: str
    title: str
    status: str  # completed | in_progress | cannot_start
    hint: str
    href: str | None


@dataclass(frozen=True)
class Overview:
    stage: str
    stage_name: str
    position: int  # 1-based
    tasks: tuple[StageTask, ...]
    actions: tuple[Action, ...]
    others: int  # blockers this reader may not read, only count
    can_finalise: bool  # the shortlist may be finalised now (no blockers) and this reader may do it
    blockers: tuple[Blocker, ...] = field(default=(), repr=False)  # every blocker (for tests and the log)


@dataclass(frozen=True)
class _Facts:
    applications: int
    scoring_started: bool
    decided: int
    by_outcome: dict[str, int]
    declared: int  # panel members who have declared about every applicant
    panel_size: int
    invited: int
    arranged: int
    outcomes: int


def _facts(vacancy: Vacancy) -> _Facts:
    apps = select(Application.id).where(Application.vacancy_id == vacancy.id)
    applications = db.session.scalar(select(func.count()).select_from(apps.subquery())) or 0
    scoring_started = bool(db.session.scalar(select(select(ScoreSheet.id).where(
        ScoreSheet.application_id.in_(apps), ScoreSheet.stage == "shortlisting").exists())))
    outcomes = dict(db.session.execute(
        select(Decision.outcome, func.count()).where(Decision.application_id.in_(apps),
                                                     Decision.stage == "shortlisting")
        .group_by(Decision.outcome)).all())
    declared_counts = db.session.execute(
        select(ConflictDeclaration.user_id, func.count(func.distinct(ConflictDeclaration.application_id)))
        .where(ConflictDeclaration.application_id.in_(apps), ConflictDeclaration.phase == "before_scoring")
        .group_by(ConflictDeclaration.user_id)).all()
    invited = select(Decision.application_id).where(Decision.application_id.in_(apps),
                                                    Decision.stage == "shortlisting", Decision.outcome == "invite")
    arranged = db.session.scalar(select(func.count()).select_from(InterviewSlot)
                                 .where(InterviewSlot.application_id.in_(invited))) or 0
    interview_outcomes = db.session.scalar(select(func.count()).select_from(Decision).where(
        Decision.application_id.in_(invited), Decision.stage == "interview")) or 0
    members = {m.user_id for m in vacancy.panel}
    return _Facts(
        applications=applications, scoring_started=scoring_started, decided=sum(outcomes.values()),
        by_outcome=outcomes, declared=sum(1 for user_id, n in declared_counts if user_id in members
                                          and n >= applications),
        panel_size=len(members), invited=outcomes.get("invite", 0), arranged=arranged, outcomes=interview_outcomes)


def stage_of(vacancy: Vacancy, facts: _Facts, today: date | None = None) -> str:
    if vacancy.status == "closed":
        return "closed"
    if vacancy.names_revealed or vacancy.status == "interview":
        return "interview"
    if vacancy.status == "draft":
        return "setup"
    if not closing.applications_closed(vacancy, today):
        return "open"
    if facts.applications and facts.decided >= facts.applications:
        return "decided"
    if facts.scoring_started:
        return "shortlisting"
    return "applications_closed"


# --------------------------------------------------------------------------- links the reader may open


def _href(user: User, vacancy: Vacancy, endpoint: str, values: dict[str, str] | None = None,
          anchor: str = "") -> str | None:
    if not may_open(user, vacancy, endpoint):
        return None
    try:
        return url_for(endpoint, **(values or {"reference": vacancy.reference})) + (f"#{anchor}" if anchor else "")
    except BuildError:
        return None


def _blocker_href(user: User, vacancy: Vacancy, b: Blocker) -> str | None:
    href = _href(user, vacancy, b.endpoint, dict(b.values), b.anchor)
    if href is None and is_hr_of(user, vacancy) and b.hr_endpoint:
        href = _href(user, vacancy, b.hr_endpoint, dict(b.hr_values))
    return href


# --------------------------------------------------------------------------- blockers at each stage


def _interview_blockers(vacancy: Vacancy, today: date | None) -> list[Blocker]:
    """At interview: the pack's refusals (who sets the vacancy up must fix them), then the
    interviews still to arrange and the outcomes still to record."""
    ref = vacancy.reference
    manager = vacancy.recruiting_manager
    who, emails, role = (manager.name, (manager.email,), MANAGER) if manager else ("HR", (), HR)
    out = [Blocker(r.code, f"{who}: {r.message}", who, role, "setup.questions" if "question" in r.code
                   else "setup.panel", {"reference": ref}, emails=emails) for r in packs.gate(vacancy, today)]
    chairs = [m.user for m in vacancy.panel if m.role == "chair"]
    chair = " and ".join(u.name for u in chairs) if chairs else who
    chair_emails = tuple(u.email for u in chairs) or emails
    rows = db.session.execute(
        select(Application.reference, InterviewSlot.id, Decision.outcome)
        .join(Decision, (Decision.application_id == Application.id) & (Decision.stage == "shortlisting"))
        .outerjoin(InterviewSlot, InterviewSlot.application_id == Application.id)
        .where(Application.vacancy_id == vacancy.id, Decision.outcome == "invite")
        .order_by(Application.reference)).all()
    decided = set(db.session.scalars(
        select(Application.reference).join(Decision, Decision.application_id == Application.id)
        .where(Application.vacancy_id == vacancy.id, Decision.stage == "interview")))
    for reference, slot, _outcome in rows:
        if slot is None:
            out.append(Blocker(ARRANGE, f"{chair}: arrange the interview for {reference}", chair, CHAIR,
                               "interviews.arrange", {"reference": ref, "application_reference": reference},
                               emails=chair_emails, candidate=reference))
        elif reference not in decided:
            out.append(Blocker(OUTCOME, f"{chair}: record the interview outcome for {reference}", chair, CHAIR,
                               "interviews.outcome", {"reference": ref, "application_reference": reference},
                               emails=chair_emails, candidate=reference))
    return out


def _setup_blockers(vacancy: Vacancy, today: date | None) -> list[Blocker]:
    manager = vacancy.recruiting_manager
    who, emails, role = (manager.name, (manager.email,), MANAGER) if manager else ("HR", (), HR)
    out = []
    for finding in setup.publish_refusals(vacancy, today):
        endpoint, values = setup.fix_endpoint(vacancy.reference, finding.field)
        out.append(Blocker(finding.code, f"{who}: {finding.message}", who, role, endpoint, values, emails=emails,
                           criterion=finding.criterion))
    return out


def blockers_for(vacancy: Vacancy, stage: str, today: date | None = None) -> list[Blocker]:
    """Everything that stops the vacancy moving on from ``stage``, for everyone."""
    if stage == "setup":
        return _setup_blockers(vacancy, today)
    if stage in ("applications_closed", "shortlisting", "decided"):
        pairs = recommend_with_records(vacancy, "shortlisting", today or date.today())
        return finalise_blockers(vacancy, today, pairs=pairs)
    if stage == "interview":
        return _interview_blockers(vacancy, today)
    return []


# --------------------------------------------------------------------------- the summary lines


def _text(b: Blocker) -> str:
    """The blocker's message without its leading "Who: "."""
    prefix = f"{b.who}: "
    return b.message[len(prefix):] if b.message.startswith(prefix) else b.message


def actions(user: User, vacancy: Vacancy, blockers: Iterable[Blocker]) -> list[Action]:
    """The blockers as lines, one per person and kind of work, the reader's own first."""
    groups: dict[tuple[str, str, str], list[Blocker]] = {}
    for b in blockers:
        groups.setdefault((b.who, b.code, b.role), []).append(b)
    out: list[Action] = []
    for (who, code, role), items in groups.items():
        mine = any(b.is_for(user) for b in items)
        phrase = PHRASES.get((code, role))
        if phrase is None or not all(b.candidate for b in items):
            out.extend(Action(who, Link(_text(b), _blocker_href(user, vacancy, b)), mine=mine, codes=(code,),
                              role=role) for b in items)
            continue
        one, several, listing = phrase
        candidates = tuple(Link(b.candidate or "", _blocker_href(user, vacancy, b)) for b in items)
        if len(items) == 1:
            out.append(Action(who, Link(one.format(c=items[0].candidate), candidates[0].href), mine=mine,
                              codes=(code,), role=role))
        else:
            out.append(Action(who, Link(several.format(n=len(items)), _href(user, vacancy, listing)), candidates,
                              mine=mine, codes=(code,), role=role))
    order = {kind: i for i, kind in enumerate(WORK_ORDER)}
    # work not in the list (a problem with the vacancy itself) comes first: it holds up the rest
    return sorted(out, key=lambda a: (not a.mine, order.get((a.codes[0], a.role), -1)))


# --------------------------------------------------------------------------- the stages' progress


def _plural(n: int, one: str, several: str | None = None) -> str:
    return f"{n} {one if n == 1 else (several or one + 's')}"


def _hints(vacancy: Vacancy, user: User, facts: _Facts, stage: str, blockers: list[Blocker]) -> dict[str, str]:
    """Each stage's progress, in words; a stage not yet reached says when it starts."""
    see_decisions = can(user, "view_recommendations", vacancy)
    closed = vacancy.applications_closed_at
    at = STAGE_KEYS.index(stage)
    reached = {key: STAGE_KEYS.index(key) <= at for key in STAGE_KEYS}
    progress = panel.progress(vacancy, "shortlisting") if stage in ("shortlisting", "decided") else []
    submitted, sheets = sum(p.submitted for p in progress), sum(p.to_score for p in progress)
    decided = (f"{facts.decided} of {_plural(facts.applications, 'candidate')} decided: "
               f"{facts.by_outcome.get('invite', 0)} invited, {facts.by_outcome.get('reserve', 0)} reserve, "
               f"{facts.by_outcome.get('reject', 0)} not shortlisted")
    return {
        "setup": ((f"{len(setup.SETUP_TASKS) - len(setup.incomplete_tasks(vacancy, setup.SETUP_TASKS))} of "
                   f"{len(setup.SETUP_TASKS)} steps completed; "
                   + (f"{_plural(len(blockers), 'thing')} to do before publishing" if blockers else "ready to publish"))
                  if stage == "setup" else "Published"),
        "open": (f"{_plural(facts.applications, 'application')} received"
                 + (f". Closes at the end of {_day(vacancy.closing_date)}" if stage == "open" else "")
                 if reached["open"] else f"Opens when the vacancy is published; closing date {_day(vacancy.closing_date)}"),
        "applications_closed": (
            ((f"Closed on {_day(closed)}" + (f": {vacancy.applications_closed_reason}"
                                             if vacancy.applications_closed_reason else "") + ". ") if closed else "")
            + f"{facts.declared} of {facts.panel_size} panel members have declared conflicts"
            if reached["applications_closed"] else
            f"At the end of {_day(vacancy.closing_date)}, or earlier by HR with a reason"),
        "shortlisting": ((f"{submitted} of {_plural(sheets, 'score sheet')} submitted"
                          + (f"; {facts.decided} of {_plural(facts.applications, 'candidate')} decided"
                             if see_decisions else "")) if progress else
                         "Starts when a panel member saves their first scores" if not reached["shortlisting"]
                         else "Every score sheet is in"),
        "decided": ((decided if see_decisions else "Every candidate has a decision") if reached["decided"]
                    else "Once every candidate has a decision, the chair finalises the shortlist"),
        "interview": (f"Shortlist finalised on {_day(vacancy.shortlist_finalised_at)}. "
                      f"{facts.arranged} of {_plural(facts.invited, 'interview')} arranged; "
                      f"{facts.outcomes} of {facts.invited} outcomes recorded") if vacancy.names_revealed
                     else "Starts when the shortlist is finalised",
        "closed": "Closed" if stage == "closed" else "Once every interview outcome is recorded",
    }


def _day(value: object) -> str:
    from shortlist.filters import govuk_date

    return govuk_date(value)  # type: ignore[arg-type]


STAGE_LINKS: dict[str, tuple[str, ...]] = {
    # the first page the reader may open is the task's link
    "setup": ("setup.tasks",),
    "open": ("applications.index", "vacancies.close_applications"),
    "applications_closed": ("panel.conflicts",),
    "shortlisting": ("panel.moderation", "panel.scoring", "vacancies.candidates"),
    "decided": ("panel.decisions", "vacancies.candidates"),
    "interview": ("interviews.schedule",),
    "closed": ("packs.record",),
}


def overview(vacancy: Vacancy, user: User, today: date | None = None) -> Overview:
    facts = _facts(vacancy)
    stage = stage_of(vacancy, facts, today)
    position = STAGE_KEYS.index(stage)
    blockers = blockers_for(vacancy, stage, today)
    seen = sight(vacancy, user)
    visible, own_hidden, others = visible_blockers(user, seen, blockers)
    hints = _hints(vacancy, user, facts, stage, blockers)
    tasks = []
    for index, (key, name, title) in enumerate(STAGES):
        status = "completed" if index < position or stage == "closed" else (
            "in_progress" if index == position else "cannot_start")
        href = None
        if status != "cannot_start":
            href = next((h for h in (_href(user, vacancy, e) for e in STAGE_LINKS[key]) if h), None)
        tasks.append(StageTask(key, name, title, status, hints[key], href))
    can_finalise = (stage in ("shortlisting", "decided") and not blockers
                    and may_open(user, vacancy, "panel.decisions") and panel.may_decide(vacancy, user))
    lines = actions(user, vacancy, visible)
    if own_hidden:  # their own work that tells of scores they may not see yet: what unlocks it
        first, endpoint = (("declare your conflicts of interest, then submit your own scores", "panel.conflicts")
                           if not seen.declared else ("submit your own scores", "panel.scoring"))
        lines.insert(0, Action(user.name, Link(f"{first}, to see {_plural(own_hidden, 'more thing')} to do",
                                               _href(user, vacancy, endpoint)), mine=True, codes=("scores_hidden",)))
    elif (stage in ("applications_closed", "shortlisting", "decided") and seen.scores and not seen.declared
          and any(a.mine for a in lines)):
        # a scorer must declare before they read an application: that is the first thing to do
        lines.insert(0, Action(user.name, Link("declare your conflicts of interest before you score",
                                               _href(user, vacancy, "panel.conflicts")), mine=True,
                               codes=("declare_first",)))
    return Overview(stage, STAGE_NAMES[stage], position + 1, tuple(tasks), tuple(lines), others, can_finalise,
                    tuple(blockers))
