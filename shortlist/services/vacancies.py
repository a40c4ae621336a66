"""Setting up a vacancy: each change one transaction, checked by the rules engine, audited.

A change is first applied to the engine's view of the vacancy; if the engine finds an
error in the part being changed, nothing is stored and the findings are raised. Once
the first score is submitted the scale and the criteria are locked: only HR may change
them, and a change clears the scores it affects, with an audit record.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.orm import joinedload

from shortlist import rules
from shortlist.extensions import db
from shortlist.permissions import is_hr_of, organisations_for
from shortlist.services.refusals import Locked, SetupRefused
from shortlist.services.transactions import transaction
from shortlist.models import (
    AgreedScore,
    Application,
    Criterion,
    InterviewQuestion,
    PanelMembership,
    Role,
    Score,
    ScoreSheet,
    SpecImportDraft,
    User,
    Vacancy,
)
from shortlist.models.base import utcnow
from shortlist.numbers import as_int
from shortlist.rules.vocabulary import METHODS
from shortlist.services import access_links, audit, band_warnings
from shortlist.services.recommendations import candidate_from_record, refresh_years, vacancy_from_model
from shortlist.services.scoring_data import gather

SCALE_PRESETS: dict[str, dict[str, Any]] = {
    "0-3": {"min": 0, "max": 3, "met": 2, "divergence_gap": 2,
            "descriptors": {0: "No evidence", 1: "Limited evidence", 2: "Meets", 3: "Exceeds"}},
    "1-5": {"min": 1, "max": 5, "met": 3, "divergence_gap": 2,
            "descriptors": {1: "No evidence", 2: "Weak", 3: "Moderate", 4: "Strong", 5: "Outstanding"}},
    "civil-service-1-7": {"min": 1, "max": 7, "met": 4, "divergence_gap": 3,
                          "descriptors": {1: "Not demonstrated", 2: "Minimal demonstration",
                                          3: "Moderate demonstration", 4: "Acceptable demonstration",
                                          5: "Good demonstration", 6: "Strong demonstration",
                                          7: "Outstanding demonstration"}},
}



@dataclasses.dataclass(frozen=True)
class CriterionInput:
    category: str
    text: str
    essential: bool
    methods: tuple[str, ...]
    shortlisting: bool
    non_waivable: bool = False
    pre_employment: bool = False
    key: str | None = None  # None: a new criterion, given a key when saved


def scores_submitted(vacancy: Vacancy) -> bool:
    return bool(db.session.scalar(select(exists().where(
        ScoreSheet.application_id == Application.id, Application.vacancy_id == vacancy.id,
        ScoreSheet.submitted_at.is_not(None)))))


def _check(facts: rules.Vacancy, prefixes: tuple[str, ...], today: date | None = None) -> list[rules.Finding]:
    """The engine's findings about the fields a step changes; raise on errors."""
    findings = [
        f for f in rules.check_vacancy(facts, today or date.today(), refresh_years())
        if any(f.field == p or f.field.startswith(p) for p in prefixes)
    ]
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise SetupRefused(errors)
    return findings


# --------------------------------------------------------------------------- set-up tasks

#: the set-up tasks, in order, with their names on the task list
SETUP_TASKS: dict[str, str] = {
    "details": "Vacancy details",
    "checks": "DBS, safeguarding and Disability Confident",
    "criteria": "Person specification",
    "scale": "Scoring scale",
    "panel": "Panel",
    "questions": "Interview questions",
}
#: the tasks someone must mark completed before the vacancy is published (the interview
#: questions are needed by the interview pack, not the advert)
REQUIRED_TASKS = ("details", "checks", "criteria", "scale", "panel")
#: the finding field each task's refusal points at (and so the step that fixes it)
TASK_FIELDS = {"details": "title", "checks": "dbs", "criteria": "criteria", "scale": "scale", "panel": "panel",
               "questions": "questions"}


def task_completed(vacancy: Vacancy, task: str) -> bool:
    return task in (vacancy.setup_confirmations or {})


def incomplete_tasks(vacancy: Vacancy, tasks: Iterable[str] = REQUIRED_TASKS) -> list[str]:
    return [t for t in tasks if not task_completed(vacancy, t)]


def _mark(vacancy: Vacancy, actor: User, task: str, completed: bool) -> None:
    """Record (in the caller's transaction) that someone marked the task completed or not."""
    if task not in SETUP_TASKS:
        raise ValueError(f"unknown set-up task {task!r}")
    if task_completed(vacancy, task) == completed:
        return
    confirmations = dict(vacancy.setup_confirmations or {})
    if completed:
        confirmations[task] = {"by": actor.email, "at": utcnow().isoformat(timespec="seconds")}
    else:
        confirmations.pop(task, None)
    vacancy.setup_confirmations = confirmations
    audit.record(audit.Actor.of(actor), "setup.task_marked", vacancy=vacancy.reference,
                 subject=f"vacancy {vacancy.reference}", task=task, completed=completed)


def task_changed(vacancy: Vacancy, actor: User, task: str) -> None:
    """A change to a draft's task: whoever confirmed it confirmed something else, so it is
    incomplete again until someone looks at it."""
    if vacancy.status == "draft":
        _mark(vacancy, actor, task, False)


def mark_task(vacancy: Vacancy, actor: User, task: str, completed: bool) -> None:
    """Someone says a set-up task is completed (or not yet)."""
    with transaction():
        _mark(vacancy, actor, task, completed)


# --------------------------------------------------------------------------- details


#: organisation_id: one of the organisations the person may create vacancies for (the form offers those)
DETAIL_FIELDS = ("title", "organisation_id", "department", "grade", "posts", "closing_date")


def create_vacancy(actor: User, reference: str, **details: Any) -> Vacancy:
    """A draft vacancy of one of the organisations the person may create vacancies for; its
    recruiting manager is the person, unless they are HR of that organisation."""
    if details["organisation_id"] not in organisations_for(actor, "create_vacancy"):
        raise SetupRefused([rules.Finding("error", "organisation_not_yours", "organisation",
                                          "Choose an organisation you create vacancies for")])

    hr = details["organisation_id"] in organisations_for(actor, "administer")

    def work() -> Vacancy:
        vacancy = Vacancy(reference=reference, status="draft", **{k: details[k] for k in DETAIL_FIELDS},
                          scale_descriptors={str(k): v for k, v in SCALE_PRESETS["0-3"]["descriptors"].items()},
                          recruiting_manager_id=None if hr else actor.id)
        db.session.add(vacancy)
        db.session.flush()
        audit.record(audit.Actor.of(actor), "vacancy.created", vacancy=reference, subject=f"vacancy {reference}",
                     after={k: details[k] for k in DETAIL_FIELDS})
        return vacancy

    with transaction():
        return work()


def reference_taken(reference: str) -> bool:
    return bool(db.session.scalar(select(exists().where(func.lower(Vacancy.reference) == reference.lower()))))


def _update(vacancy: Vacancy, actor: User, section: str, changes: dict[str, Any],
            facts_changes: dict[str, Any], prefixes: tuple[str, ...], completed: bool | None = None,
            extra: dict[str, Any] | None = None) -> list[rules.Finding]:
    """Save a step's fields (checked by the engine first) and, when ``completed`` is given,
    whether the person says the step is completed, in one transaction."""
    before = {k: getattr(vacancy, k) for k in changes}
    if before == changes:
        if completed is not None and completed != task_completed(vacancy, section):
            mark_task(vacancy, actor, section, completed)
        return []
    facts = dataclasses.replace(vacancy_from_model(vacancy), **facts_changes)
    warnings = _check(facts, prefixes)

    def work() -> None:
        for key, value in changes.items():
            setattr(vacancy, key, value)
        audit.record(audit.Actor.of(actor), "vacancy.updated", vacancy=vacancy.reference,
                     subject=f"vacancy {vacancy.reference}", section=section,
                     before={k: v for k, v in before.items() if changes[k] != v},
                     after={k: v for k, v in changes.items() if before[k] != v}, **(extra or {}))
        if completed is not None:
            _mark(vacancy, actor, section, completed)

    with transaction():
        work()
    return warnings


def update_details(vacancy: Vacancy, actor: User, completed: bool | None = None,
                   **details: Any) -> list[rules.Finding]:
    if details["organisation_id"] != vacancy.organisation_id and \
            details["organisation_id"] not in organisations_for(actor, "create_vacancy"):
        raise SetupRefused([rules.Finding("error", "organisation_not_yours", "organisation",
                                          "Choose an organisation you create vacancies for")])
    changes = {k: details[k] for k in DETAIL_FIELDS}
    return _update(vacancy, actor, "details", changes, {}, (), completed)


SCHEME_SETTINGS = ("offer_interview", "waiver_policy", "declaration_triggers_scheme", "armed_forces_scheme")


def _guaranteed(vacancy: Vacancy, facts: rules.Vacancy) -> set[str]:
    """The candidates the engine guarantees an interview at shortlisting under ``facts``."""
    records = gather(vacancy, "shortlisting")
    recs = rules.recommend_all(facts, ((candidate_from_record(r), r.scores, r.agreed) for r in records),
                               stage="shortlisting")
    return {r.reference for r in recs if r.outcome is rules.Outcome.GUARANTEED_INTERVIEW}


DISABILITY_CONFIDENT_SETTINGS = ("offer_interview", "waiver_policy", "declaration_triggers_scheme")


def scheme_words(changed: set[str]) -> tuple[str, str, str]:
    """What the lock messages call the settings being changed (the Disability Confident
    settings, the Armed Forces Covenant setting, or both schemes'), with the verbs that agree."""
    dc = bool(changed & set(DISABILITY_CONFIDENT_SETTINGS))
    if dc and "armed_forces_scheme" in changed:
        return "the Disability Confident and Armed Forces Covenant settings", "are", "change"
    if not dc:
        return "the Armed Forces Covenant guaranteed interview setting", "is", "changes"
    return "the Disability Confident settings", "are", "change"


def _check_scheme_change(vacancy: Vacancy, actor: User, facts_after: rules.Vacancy, reason: str,
                         confirm_lost: bool, changed: set[str]) -> dict[str, Any]:
    """Once scoring has started the guaranteed-interview schemes' settings (Disability Confident
    and the Armed Forces Covenant) are locked with the scale and the criteria (security review,
    finding 9): only HR changes them, with a reason; a change that would take the guaranteed
    interview from anyone is refused, naming them, until HR confirms it. Returns what the audit
    record adds. The messages name the scheme whose setting ``changed``."""
    words, are, change = scheme_words(changed)
    field = ("armed_forces_scheme" if changed == {"armed_forces_scheme"}
             else "disability_confident.offer_interview")
    if not is_hr_of(actor, vacancy):
        raise SetupRefused([rules.Finding(
            "error", "scheme_settings_locked", field,
            f"Scoring has started, so {words} {are} locked. Ask HR to change {'it' if are == 'is' else 'them'}: "
            "HR gives a reason, and is told who would lose a guaranteed interview.")])
    problems = []
    if not reason.strip():
        problems.append(rules.Finding("error", "reason_required", "disability_confident.reason",
                                      f"Enter why {words} {change} after scoring started"))
    elif len(reason) > 2000:
        problems.append(rules.Finding("error", "too_long", "disability_confident.reason",
                                      "The reason must be 2000 characters or fewer"))
    lost = sorted(_guaranteed(vacancy, vacancy_from_model(vacancy)) - _guaranteed(vacancy, facts_after))
    if lost and not confirm_lost:
        problems.append(rules.Finding(
            "error", "guarantee_would_be_lost", "disability_confident.confirm_lost",
            f"This change takes the guaranteed interview from {', '.join(lost)}: they could then be rejected. "
            "Confirm it below only if that is right"))
    if problems:
        raise SetupRefused(problems)
    return {"reason": reason.strip(), "after_scoring": True, "guarantees_lost": lost}


def update_checks(vacancy: Vacancy, actor: User, *, dbs_level: str, barred_lists: list[str],
                  regulated_activity: bool, safeguarding_role: bool, customer_facing: bool,
                  offer_interview: bool, waiver_policy: bool, declaration_triggers_scheme: bool,
                  min_scorers: int, employment_gap_months: int, change_reason: str = "",
                  confirm_lost: bool = False, safeguarding_exemption: str = "",
                  completed: bool | None = None, armed_forces_scheme: bool | None = None) -> list[rules.Finding]:
    if armed_forces_scheme is None:
        armed_forces_scheme = vacancy.armed_forces_scheme
    # the reason a regulated-activity role is not a safeguarding role: kept only while it is not one
    exemption = " ".join(safeguarding_exemption.split()) if not safeguarding_role else ""
    changes = {
        "dbs_level": dbs_level, "dbs_barred_lists": list(barred_lists),
        "dbs_regulated_activity": regulated_activity, "safeguarding_role": safeguarding_role,
        "safeguarding_exemption": exemption or None,
        "customer_facing": customer_facing, "offer_interview": offer_interview,
        "waiver_policy": waiver_policy, "declaration_triggers_scheme": declaration_triggers_scheme,
        "armed_forces_scheme": armed_forces_scheme,
        "min_scorers": min_scorers, "employment_gap_months": employment_gap_months,
    }
    facts_changes = {
        "dbs": rules.DBS(dbs_level, tuple(barred_lists), regulated_activity),
        "safeguarding_role": safeguarding_role, "customer_facing": customer_facing,
        "offer_interview": offer_interview, "waiver_policy": waiver_policy,
        "declaration_triggers_scheme": declaration_triggers_scheme, "armed_forces_scheme": armed_forces_scheme,
        "min_scorers": min_scorers, "employment_gap_months": employment_gap_months,
        "safeguarding_exemption": exemption,
    }
    prefixes = ("dbs", "min_scorers", "employment_gap_months", "safeguarding_exemption")
    if customer_facing and not vacancy.customer_facing:
        prefixes += ("criteria",)  # turning the duty on needs the fluency criterion
    extra: dict[str, Any] = {}
    changed = {k for k in SCHEME_SETTINGS if getattr(vacancy, k) != changes[k]}
    if changed and scores_submitted(vacancy):
        extra = _check_scheme_change(vacancy, actor, dataclasses.replace(vacancy_from_model(vacancy), **facts_changes),
                                     change_reason, confirm_lost, changed)
    return _update(vacancy, actor, "checks", changes, facts_changes, prefixes, completed, extra)


# --------------------------------------------------------------------------- lock



def _guard_lock(vacancy: Vacancy, actor: User) -> bool:
    """True when scores exist (and the actor is HR, who may go on); raise for anyone else."""
    if not scores_submitted(vacancy):
        return False
    if not is_hr_of(actor, vacancy):
        raise Locked("Scoring has started, so the scale and the criteria are locked. Ask HR to change them: "
                     "a change clears the scores it affects.")
    return True


def _clear_scores(vacancy: Vacancy, criterion_ids: Iterable[int] | None) -> dict[str, int]:
    """Delete scores (all, or for these criteria) and the agreed scores with them.

    A submitted score sheet that loses a score is reopened, so its panel member can
    score the changed criteria again (R26: a change after scoring needs rescoring).
    Returns how many scores, agreed scores and sheets were affected."""
    apps = select(Application.id).where(Application.vacancy_id == vacancy.id)
    sheets = select(ScoreSheet.id).where(ScoreSheet.application_id.in_(apps))
    score_filter = [Score.sheet_id.in_(sheets)]
    agreed_filter = [AgreedScore.application_id.in_(apps)]
    if criterion_ids is not None:
        ids = list(criterion_ids)
        if not ids:
            return {"scores": 0, "agreed": 0, "reopened_sheets": 0}
        score_filter.append(Score.criterion_id.in_(ids))
        agreed_filter.append(AgreedScore.criterion_id.in_(ids))
    count = db.session.scalar(select(func.count()).select_from(Score).where(*score_filter)) or 0
    agreed = db.session.scalar(select(func.count()).select_from(AgreedScore).where(*agreed_filter)) or 0
    touched = list(db.session.scalars(select(Score.sheet_id).where(*score_filter).distinct()))
    db.session.execute(delete(Score).where(*score_filter))
    db.session.execute(delete(AgreedScore).where(*agreed_filter))
    reopened = 0
    if touched:
        reopened = db.session.execute(
            update(ScoreSheet).where(ScoreSheet.id.in_(touched), ScoreSheet.submitted_at.is_not(None))
            .values(submitted_at=None).execution_options(synchronize_session=False)).rowcount or 0
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, (ScoreSheet, Application)):
            db.session.expire(obj)  # their loaded scores and sheets are stale now
    return {"scores": count, "agreed": agreed, "reopened_sheets": reopened}


def scores_affected(vacancy: Vacancy, criterion_ids: Iterable[int] | None = None) -> int:
    """How many scores a change to these criteria (or to the scale: None) would clear."""
    apps = select(Application.id).where(Application.vacancy_id == vacancy.id)
    sheets = select(ScoreSheet.id).where(ScoreSheet.application_id.in_(apps))
    where = [Score.sheet_id.in_(sheets)]
    if criterion_ids is not None:
        where.append(Score.criterion_id.in_(list(criterion_ids)))
    return db.session.scalar(select(func.count()).select_from(Score).where(*where)) or 0


# --------------------------------------------------------------------------- scale


def set_scale(vacancy: Vacancy, actor: User, *, minimum: int, maximum: int, met: int, divergence_gap: int,
              descriptors: dict[int, str], completed: bool | None = None) -> list[rules.Finding]:
    changes = {"scale_min": minimum, "scale_max": maximum, "scale_met": met, "divergence_gap": divergence_gap,
               "scale_descriptors": {str(k): v for k, v in sorted(descriptors.items())}}
    before = {k: getattr(vacancy, k) for k in changes}
    if before == changes:
        if completed is not None and completed != task_completed(vacancy, "scale"):
            mark_task(vacancy, actor, "scale", completed)
        return []
    locked = _guard_lock(vacancy, actor)
    facts = dataclasses.replace(vacancy_from_model(vacancy),
                                scale=rules.Scale(minimum, maximum, met, divergence_gap, dict(descriptors)))
    warnings = _check(facts, ("scale",))

    def work() -> None:
        cleared = _clear_scores(vacancy, None) if locked else {}
        for key, value in changes.items():
            setattr(vacancy, key, value)
        audit.record(audit.Actor.of(actor), "vacancy.scale_set", vacancy=vacancy.reference,
                     subject=f"vacancy {vacancy.reference}", before=before, after=changes,
                     cleared_scores=cleared.get("scores", 0), cleared_agreed_scores=cleared.get("agreed", 0),
                     reopened_sheets=cleared.get("reopened_sheets", 0), after_scoring=locked)
        if completed is not None:
            _mark(vacancy, actor, "scale", completed)

    with transaction():
        work()
    return warnings


# --------------------------------------------------------------------------- criteria


def new_key(category: str, taken: set[str]) -> str:
    """A free key from the category's initials: Knowledge -> K1, K2..."""
    letters = "".join(w[0] for w in re.findall(r"[A-Za-z]+", category)).upper()[:3] or "C"
    n = 1
    while f"{letters}{n}" in taken:
        n += 1
    return f"{letters}{n}"


def save_criteria(vacancy: Vacancy, actor: User, items: list[CriterionInput], *, action: str,
                  apply_facts: dict[str, Any] | None = None, audit_extra: dict[str, Any] | None = None,
                  also: Callable[[], None] | None = None) -> list[rules.Finding]:
    """Replace the vacancy's criteria with `items`, in order, keeping rows (and their evidence) by key.

    Once scores are submitted any change needs HR; changing or removing a criterion clears
    its scores. `audit_extra` goes into the audit record; `also` runs in the same transaction."""
    existing = {c.key: c for c in vacancy.criteria}
    # An item with an existing key keeps that row (and its evidence and scores); any other
    # item is a new row. A new row may take the key of one being removed: that row is
    # deleted first, so nothing of it (evidence, scores) passes to the new criterion.
    taken = {i.key for i in items if i.key in existing}
    keyed: list[CriterionInput] = []
    new_keys: set[str] = set()
    for item in items:
        if item.key is None or item.key not in existing or item.key in new_keys:
            key = item.key if item.key and item.key not in taken else new_key(item.category, taken)
            taken.add(key)
            new_keys.add(key)
            item = dataclasses.replace(item, key=key)
        keyed.append(item)

    changed_ids = [
        existing[i.key].id for i in keyed if i.key in existing and i.key not in new_keys and (
            existing[i.key].text, existing[i.key].essential, tuple(existing[i.key].methods),
            existing[i.key].shortlisting, existing[i.key].non_waivable, existing[i.key].pre_employment,
        ) != (i.text, i.essential, i.methods, i.shortlisting, i.non_waivable, i.pre_employment)
    ]
    kept = {i.key for i in keyed if i.key not in new_keys}
    removed = [c for k, c in existing.items() if k not in kept]
    if not changed_ids and not removed and [c.key for c in vacancy.criteria] == [i.key for i in keyed] \
            and all(existing[i.key].category == i.category for i in keyed) and not apply_facts:
        if also is not None:
            with transaction():
                also()
        return []
    locked = _guard_lock(vacancy, actor)

    facts = dataclasses.replace(
        vacancy_from_model(vacancy),
        criteria=tuple(rules.Criterion(i.key or "", i.category, i.text, i.essential, i.methods, i.shortlisting,
                                       i.non_waivable, i.pre_employment) for i in keyed),
        **(_facts_from_import(apply_facts) if apply_facts else {}),
    )
    warnings = _check(facts, ("criteria", "dbs"))
    before = [c.as_dict() for c in vacancy.criteria]

    def work() -> None:
        cleared = _clear_scores(vacancy, changed_ids + [c.id for c in removed]) if locked else {}
        for criterion in removed:
            vacancy.criteria.remove(criterion)
        db.session.flush()
        for position, item in enumerate(keyed, start=1):
            row = existing.get(item.key or "") if item.key not in new_keys else None
            if row is None:
                row = Criterion(key=item.key, position=position, category=item.category, text=item.text)
                vacancy.criteria.append(row)
            row.position = position
            row.category, row.text, row.essential = item.category, item.text, item.essential
            row.methods, row.shortlisting = list(item.methods), item.shortlisting
            row.non_waivable, row.pre_employment = item.non_waivable, item.pre_employment
        vacancy.criteria.sort(key=lambda c: c.position)
        if apply_facts:
            for key, value in apply_facts.items():
                setattr(vacancy, key, value)
        audit.record(audit.Actor.of(actor), "criteria.saved", vacancy=vacancy.reference,
                     subject=f"vacancy {vacancy.reference}", change=action, before=before,
                     after=[dataclasses.asdict(i) for i in keyed], cleared_scores=cleared.get("scores", 0),
                     cleared_agreed_scores=cleared.get("agreed", 0),
                     reopened_sheets=cleared.get("reopened_sheets", 0), after_scoring=locked,
                     facts=apply_facts or {}, **(audit_extra or {}))
        task_changed(vacancy, actor, "criteria")
        if also is not None:
            also()

    with transaction():
        work()
    return warnings


def _facts_from_import(facts: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "dbs_level" in facts or "dbs_barred_lists" in facts:
        out["dbs"] = rules.DBS(facts.get("dbs_level", "none"), tuple(facts.get("dbs_barred_lists", ())),
                               bool(facts.get("dbs_regulated_activity", False)))
    for key in ("offer_interview", "waiver_policy"):
        if key in facts:
            out[key] = facts[key]
    return out


def current_inputs(vacancy: Vacancy) -> list[CriterionInput]:
    return [CriterionInput(c.category, c.text, c.essential, tuple(c.methods), c.shortlisting, c.non_waivable,
                           c.pre_employment, c.key) for c in vacancy.criteria]


# --------------------------------------------------------------------------- import drafts


def start_import(vacancy: Vacancy, actor: User, proposal: dict[str, Any], filename: str) -> SpecImportDraft:
    """Keep the importer's proposal for review. A proposed criterion that is a DBS or criminal-record
    check is proposed as a pre-employment check (never scored), as the rules engine advises."""
    proposal = {**proposal, "criteria": [
        {"non_waivable": False, **c,
         "pre_employment": bool(c.get("pre_employment")) or rules.looks_like_dbs_check(rules.Criterion(
             "", c["category"], c["text"], c["essential"], tuple(c["methods"]), c["shortlisting"]))}
        for c in proposal["criteria"]
    ]}

    def work() -> SpecImportDraft:
        db.session.execute(delete(SpecImportDraft).where(SpecImportDraft.vacancy_id == vacancy.id,
                                                         SpecImportDraft.user_id == actor.id))
        draft = SpecImportDraft(vacancy_id=vacancy.id, user_id=actor.id, filename=filename, data=proposal)
        db.session.add(draft)
        db.session.flush()
        audit.record(audit.Actor.of(actor), "spec.import_started", vacancy=vacancy.reference,
                     subject=f"vacancy {vacancy.reference}", file=filename, proposed=len(proposal["criteria"]))
        return draft

    with transaction():
        return work()


def draft_for(vacancy: Vacancy, actor: User) -> SpecImportDraft | None:
    return db.session.scalar(select(SpecImportDraft).where(SpecImportDraft.vacancy_id == vacancy.id,
                                                           SpecImportDraft.user_id == actor.id))


def update_draft(draft: SpecImportDraft, rows: list[DraftCriterion], use: dict[str, bool] | None = None) -> None:
    """Keep the manager's edits to the proposals, and which document facts they chose to use
    (in the draft, not the vacancy: nothing is saved to it until they confirm)."""
    data = {**draft.data, "criteria": [row.to_dict() for row in rows]}
    if use is not None:
        data["use"] = dict(use)
    with transaction():
        draft.data = data


def discard_draft(vacancy: Vacancy, actor: User, draft: SpecImportDraft) -> None:
    """Drop an import under review: nothing of it reaches the vacancy. The audit log
    records that the document was set aside, as it recorded that it was uploaded (the
    edits in between are the draft's own: the confirmation records what was saved)."""
    def work() -> None:
        audit.record(audit.Actor.of(actor), "spec.import_discarded", vacancy=vacancy.reference,
                     subject=f"vacancy {vacancy.reference}", file=draft.filename,
                     proposed=len(draft.data["criteria"]))
        db.session.delete(draft)

    with transaction():
        work()


def confirm_import(vacancy: Vacancy, actor: User, draft: SpecImportDraft, *, mode: str,
                   apply_facts: dict[str, Any]) -> list[rules.Finding]:
    """Save the reviewed proposals as the vacancy's criteria (`replace`) or after them (`append`),
    and close the draft, in one transaction."""
    if mode not in ("replace", "append"):
        raise ValueError(f"unknown import mode {mode!r}")
    if not draft.data["criteria"]:
        raise SetupRefused([rules.Finding("error", "import_empty", "criteria",
                                          "Every proposed criterion was deleted, so there is nothing to save. "
                                          "Discard the import instead.")])
    items = [CriterionInput(c["category"].strip(), " ".join(c["text"].split()), bool(c["essential"]),
                            tuple(c["methods"]), bool(c["shortlisting"]), bool(c.get("non_waivable")),
                            bool(c.get("pre_employment"))) for c in draft.data["criteria"]]
    if mode == "append":
        items = current_inputs(vacancy) + items
    else:
        # a criterion worded as one the vacancy has keeps that row, with its evidence
        free = {_same_criterion(c.text): c.key for c in reversed(vacancy.criteria)}
        items = [dataclasses.replace(i, key=free.pop(_same_criterion(i.text), None)) for i in items]
    return save_criteria(vacancy, actor, items, action=f"import_{mode}", apply_facts=apply_facts,
                         audit_extra={"file": draft.filename}, also=lambda: db.session.delete(draft))


# --------------------------------------------------------------------------- reviewing an import


T = TypeVar("T")


def move(items: list[T], index: int, verb: str) -> bool:
    """Delete the item at ``index``, or move it up or down one place: the criteria page and
    the import review both. False: nothing to do (no such item, or already at the end)."""
    if not 0 <= index < len(items):
        return False
    if verb == "delete":
        items.pop(index)
    elif verb == "up" and index > 0:
        items[index - 1], items[index] = items[index], items[index - 1]
    elif verb == "down" and index < len(items) - 1:
        items[index + 1], items[index] = items[index], items[index + 1]
    else:
        return False
    return True


@dataclasses.dataclass
class DraftCriterion:
    """One proposed criterion of an import under review, as the manager has left it: stored in
    the draft (``SpecImportDraft.data["criteria"]``) between the review's steps."""

    category: str = ""
    text: str = ""
    essential: bool = True
    methods: list[str] = dataclasses.field(default_factory=list)
    shortlisting: bool = True
    non_waivable: bool = False
    pre_employment: bool = False
    #: the importer's doubts about how it read this row (cleared once the manager merges or splits it)
    doubts: list[dict[str, str]] = dataclasses.field(default_factory=list)
    #: where in the document it came from
    source: str = ""

    @classmethod
    def of(cls, data: dict[str, Any]) -> DraftCriterion:
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def draft_rows(draft: SpecImportDraft) -> list[DraftCriterion]:
    return [DraftCriterion.of(c) for c in draft.data.get("criteria", [])]


def split_text(text: str) -> tuple[str, str] | None:
    """Split at the first line break the manager typed, else at the first sentence end."""
    text = text.replace("\r\n", "\n").strip()
    head, sep, tail = text.partition("\n")
    if not sep:
        match = re.search(r"(?<=[.;])\s+(?=\S)", text)
        if match is None:
            return None
        head, tail = text[: match.start()], text[match.end():]
    if not head.strip() or not tail.strip():
        return None
    return " ".join(head.split()), " ".join(tail.split())


def review_action(rows: list[DraftCriterion], action: str) -> str | None:
    """Apply one of the review's buttons to the proposals, in place: ``add``, or ``delete``,
    ``up``, ``down``, ``merge`` (with the next), ``split`` followed by ``:index``. Returns a
    problem to show, if the action could not be done."""
    verb, _, index_text = action.partition(":")
    if verb == "add":
        rows.append(DraftCriterion())
        return None
    i = as_int(index_text)
    if i is None or not 0 <= i < len(rows):
        return None
    if move(rows, i, verb):
        return None
    if verb == "merge" and i < len(rows) - 1:
        nxt = rows.pop(i + 1)
        rows[i] = dataclasses.replace(
            rows[i], text=f"{rows[i].text} {nxt.text}".strip(),
            methods=[m for m in METHODS if m in rows[i].methods or m in nxt.methods],
            doubts=[], source=" / ".join(x for x in (rows[i].source, nxt.source) if x))
    elif verb == "split":
        parts = split_text(rows[i].text)
        if parts is None:
            return (f"Criterion {i + 1} was not split: it has no line break or sentence end to split at. "
                    "Put a line break where it should split, then choose Split.")
        rows[i] = dataclasses.replace(rows[i], text=parts[0], doubts=[])  # the manager has settled how it splits
        rows.insert(i + 1, dataclasses.replace(rows[i], text=parts[1]))
    return None


def review_problems(rows: list[DraftCriterion]) -> dict[str, str]:
    """What stops the reviewed proposals being saved: review field name -> message."""
    problems: dict[str, str] = {}
    for i, row in enumerate(rows):
        if not row.text:
            problems[f"c{i}-text"] = f"Criterion {i + 1}: enter the criterion, or delete it"
        if not row.category:
            problems[f"c{i}-category"] = f"Criterion {i + 1}: enter the category"
        if row.essential and not row.methods and not row.pre_employment:
            problems[f"c{i}-methods"] = f"Criterion {i + 1}: select at least one way it is assessed"
    return problems


# --------------------------------------------------------------------------- panel


def add_panel_member(vacancy: Vacancy, actor: User, *, email: str, name: str, role: str) -> PanelMembership:
    """Add someone to the panel (a new account for a new e-mail). Someone with no password yet
    is e-mailed an invitation to set one (access_links.queue_invitation), in the same
    transaction. Their safer-recruitment training is theirs, recorded by HR or by them, not
    typed per vacancy."""
    email = email.strip().lower()

    def work() -> PanelMembership:
        user = db.session.scalar(select(User).where(func.lower(User.email) == email))
        if user is None:
            user = User(email=email, name=name, role=Role.PANEL_MEMBER.value)
            db.session.add(user)
            db.session.flush()
            audit.record(audit.Actor.of(actor), "user.created", subject=f"user {user.id}", email=email,
                         role=user.role)
        if any(m.user_id == user.id for m in vacancy.panel):
            raise SetupRefused([rules.Finding("error", "duplicate_panel_member", "panel.email",
                                              f"{email} is already on this panel")])
        membership = PanelMembership(user=user, role=role)
        trained_on = user.safer_recruitment_trained_on
        vacancy.panel.append(membership)
        db.session.flush()
        audit.record(audit.Actor.of(actor), "panel.member_added", vacancy=vacancy.reference,
                     subject=f"vacancy {vacancy.reference}", email=email, role=role,
                     trained_on=trained_on.isoformat() if trained_on else None)
        if not user.password_hash and user.active:  # no way in yet: e-mail them an invitation
            access_links.queue_invitation(actor, user, vacancy)
        task_changed(vacancy, actor, "panel")
        return membership

    with transaction():
        return work()


def has_password(email: str) -> bool:
    return bool(db.session.scalar(select(User.password_hash).where(func.lower(User.email) == email.strip().lower())))


# --------------------------------------------------------------------------- questions


@dataclasses.dataclass(frozen=True)
class ReusableQuestion:
    id: int
    text: str
    vacancy_reference: str
    vacancy_title: str


def _same_criterion(text: str) -> str:
    return " ".join(text.casefold().split()).rstrip(" .;")


def reusable_questions(vacancy: Vacancy, actor: User) -> dict[str, list[ReusableQuestion]]:
    """Interview questions already written for the same criterion (the same words) on other
    vacancies this person manages (HR: any vacancy), by this vacancy's criterion key."""
    wanted: dict[str, list[str]] = {}
    for c in vacancy.criteria:
        wanted.setdefault(_same_criterion(c.text), []).append(c.key)
    query = (select(InterviewQuestion, Criterion.text, Vacancy.reference, Vacancy.title)
             .join(Criterion, Criterion.id == InterviewQuestion.criterion_id)
             .join(Vacancy, Vacancy.id == InterviewQuestion.vacancy_id)
             .where(Vacancy.id != vacancy.id)
             .order_by(Vacancy.reference, InterviewQuestion.position))
    if is_hr_of(actor, vacancy):  # HR: their organisation's vacancies
        query = query.where(Vacancy.organisation_id == vacancy.organisation_id)
    else:
        query = query.where(Vacancy.recruiting_manager_id == actor.id)
    own = {(q.criterion.key, _same_criterion(q.text)) for q in vacancy.questions}
    out: dict[str, list[ReusableQuestion]] = {}
    seen: set[tuple[str, str]] = set()
    for question, criterion_text, reference, title in db.session.execute(query):
        for key in wanted.get(_same_criterion(criterion_text), []):
            marker = (key, _same_criterion(question.text))
            if marker in own or marker in seen:
                continue
            seen.add(marker)
            out.setdefault(key, []).append(ReusableQuestion(question.id, question.text, reference, title))
    return out


def save_questions(vacancy: Vacancy, actor: User, questions: dict[str, list[str]],
                   reused: dict[str, list[ReusableQuestion]] | None = None, completed: bool | None = None) -> None:
    """Replace the interview questions: criterion key -> questions in order. `reused` names the
    questions taken from other vacancies (they are added after the typed ones)."""
    by_key = {c.key: c for c in vacancy.criteria}
    questions = {k: list(v) for k, v in questions.items()}
    for key, picked in (reused or {}).items():
        have = {_same_criterion(t) for t in questions.get(key, [])}
        for q in picked:
            if _same_criterion(q.text) not in have:
                questions.setdefault(key, []).append(q.text)
                have.add(_same_criterion(q.text))
    before: dict[str, list[str]] = {}
    for q in vacancy.questions:
        before.setdefault(q.criterion.key, []).append(q.text)
    after = {k: [t for t in v if t.strip()] for k, v in questions.items() if k in by_key and any(t.strip() for t in v)}
    if before == after:
        if completed is not None and completed != task_completed(vacancy, "questions"):
            mark_task(vacancy, actor, "questions", completed)
        return

    def work() -> None:
        db.session.execute(delete(InterviewQuestion).where(InterviewQuestion.vacancy_id == vacancy.id))
        db.session.expire(vacancy, ["questions"])
        position = 0
        for key in (c.key for c in vacancy.criteria):
            for text in after.get(key, []):
                position += 1
                db.session.add(InterviewQuestion(vacancy_id=vacancy.id, criterion_id=by_key[key].id,
                                                 position=position, text=text.strip()))
        audit.record(audit.Actor.of(actor), "questions.saved", vacancy=vacancy.reference,
                     subject=f"vacancy {vacancy.reference}", before=before, after=after,
                     reused=[{"criterion": key, "from_vacancy": q.vacancy_reference, "question": q.id}
                             for key, picked in (reused or {}).items() for q in picked])
        if completed is None:
            task_changed(vacancy, actor, "questions")
        else:
            _mark(vacancy, actor, "questions", completed)

    with transaction():
        work()


# --------------------------------------------------------------------------- publish


CHECK_PREFIXES = ("dbs", "safeguarding_role", "safeguarding_exemption", "customer_facing", "offer_interview",
                  "waiver_policy", "declaration_triggers_scheme", "min_scorers", "employment_gap_months")
DETAIL_PREFIXES = ("title", "organisation", "department", "grade", "posts", "closing_date")


def fix_endpoint(reference: str, field: str) -> tuple[str, dict[str, str]]:
    """The set-up step (endpoint and its URL values) where a finding about ``field`` is fixed:
    the task list when no step owns it."""
    match = re.match(r"criteria\[([^\]]+)\]", field)
    if match:
        return "setup.criterion", {"reference": reference, "key": match.group(1)}
    for prefixes, endpoint in ((("criteria",), "setup.criteria"), (CHECK_PREFIXES, "setup.checks"),
                               (("scale",), "setup.scale"), (("panel",), "setup.panel"),
                               (DETAIL_PREFIXES, "setup.details")):
        if field.startswith(prefixes):
            return endpoint, {"reference": reference}
    return "setup.tasks", {"reference": reference}


def publish_refusals(vacancy: Vacancy, today: date | None = None) -> list[rules.Finding]:
    """Why the vacancy cannot be published yet (empty: it can): the engine's errors anywhere in it."""
    findings = rules.check_vacancy(vacancy_from_model(vacancy), today or date.today(), refresh_years())
    errors = [f for f in findings if f.severity == "error"]
    if not vacancy.criteria:
        errors.append(rules.Finding("error", "no_criteria", "criteria", "Add the person specification's criteria "
                                    "before publishing."))
    if not any(m.role == "chair" for m in vacancy.panel):
        errors.append(rules.Finding("error", "no_chair", "panel", "The panel needs a chair: add one, or make a "
                                    "member the chair, before publishing." if vacancy.panel else
                                    "The panel needs a chair: add the panel, with its chair, before publishing."))
    for task in incomplete_tasks(vacancy):
        if task == "checks":  # the DBS decision is part of this step: nobody has made it yet
            errors.append(rules.Finding("error", "dbs_not_decided", TASK_FIELDS[task],
                                        "Decide the DBS check the role needs, and whether it is a safeguarding "
                                        "role, then mark the DBS, safeguarding and Disability Confident step as "
                                        "completed."))
        else:
            errors.append(rules.Finding("error", "setup_task_incomplete", TASK_FIELDS[task],
                                        f"Check the {SETUP_TASKS[task].lower()} step and mark it as completed: "
                                        "someone must confirm each step before the vacancy is published."))
    return errors


def publish(vacancy: Vacancy, actor: User, today: date | None = None) -> list[rules.Finding]:
    """Open a draft vacancy: refused while the engine finds any error anywhere in it."""
    errors = publish_refusals(vacancy, today)
    if errors:
        raise SetupRefused(errors)
    findings = rules.check_vacancy(vacancy_from_model(vacancy), today or date.today(), refresh_years())

    # the NHS band check warns, never blocks (R37)
    findings = findings + band_warnings.findings(vacancy)

    def work() -> None:
        vacancy.status = "open"
        audit.record(audit.Actor.of(actor), "vacancy.published", vacancy=vacancy.reference,
                     subject=f"vacancy {vacancy.reference}", warnings=[f.code for f in findings],
                     reasons=[{"code": f.code, "criterion": f.criterion, "field": f.field, "message": f.message}
                              for f in findings])

    with transaction():
        work()
    return findings


# --------------------------------------------------------------------------- finding vacancies


def by_reference(reference: str, *, with_panel: bool = False) -> Vacancy | None:
    """The vacancy; ``with_panel``: its panel and their users in the same statement."""
    query = select(Vacancy).where(Vacancy.reference == reference)
    if with_panel:
        query = query.options(joinedload(Vacancy.panel).joinedload(PanelMembership.user))
    return db.session.execute(query).unique().scalar_one_or_none()


def visible_to(user: User) -> list[Vacancy]:
    """The vacancies the access policy lets ``user`` see, for their list."""
    from shortlist.permissions import visible_vacancies_query

    return list(db.session.scalars(visible_vacancies_query(user)).all())
