"""Load a validated campaign into the database, and export one back to a file."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, or_, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import selectinload

from shortlist import campaign_format as cf
from shortlist.extensions import db
from shortlist.services.transactions import transaction
from shortlist.models import (
    AgreedScore,
    ApplicantDetails,
    Application,
    ConflictDeclaration,
    CriminalRecordDeclaration,
    Criterion,
    EmploymentSpell,
    EqualityMonitoring,
    Evidence,
    GapMark,
    InterviewQuestion,
    LegalHold,
    PanelDeparture,
    PanelMembership,
    Role,
    Score,
    ScoreSheet,
    User,
    Vacancy,
)
from shortlist.models.base import utcnow
from shortlist import rules
from shortlist.services import audit, closing, organisations, training
from shortlist.services.vacancies import SETUP_TASKS
from shortlist.services.vacancy_checks import check_campaign


log = logging.getLogger(__name__)


class CampaignExists(Exception):
    def __init__(self, reference: str):
        super().__init__(f"vacancy.reference: a vacancy {reference!r} already exists (use --replace to replace it)")
        self.reference = reference


def _users(campaign: cf.Campaign, actor: audit.Actor) -> dict[str, int]:
    """The ids of the manager and panel members, creating the users who do not exist yet
    (the manager as a recruiting manager, the others as panel members), each account's
    creation recorded in the audit log: a statement or three however big the panel."""
    spec = campaign.vacancy
    wanted: dict[str, tuple[str, Role]] = {}
    if spec.recruiting_manager:
        named = next((p.name for p in campaign.panel if p.email == spec.recruiting_manager), None)
        wanted[spec.recruiting_manager] = (named or spec.recruiting_manager.split("@")[0], Role.RECRUITING_MANAGER)
    for member in campaign.panel:
        wanted.setdefault(member.email, (member.name, Role.PANEL_MEMBER))
    if not wanted:
        return {}
    known = dict(db.session.execute(select(User.email, User.id).where(User.email.in_(wanted))).all())
    new = [{"email": email, "name": name, "role": role.value}
           for email, (name, role) in wanted.items() if email not in known]
    if new:
        _insert(User, new)
        known = dict(db.session.execute(select(User.email, User.id).where(User.email.in_(wanted))).all())
        for user in new:
            audit.record(actor, "user.created", subject=f"user {known[user['email']]}", email=user["email"],
                         role=user["role"])
    return known


def load_campaign(
    campaign: cf.Campaign, actor: audit.Actor, *, filename: str = "", replace: bool = False,
    today: date | None = None, warnings: list[Any] | None = None,
) -> Vacancy:
    """Write a whole campaign in one transaction, or nothing.

    Raises CampaignError for rule violations the engine finds in the vacancy (the same
    messages as the UI and publishing), CampaignExists when the reference is taken.
    """
    with transaction():
        found = check_campaign(campaign, today or date.today())
        if warnings is not None:
            warnings.extend(found)
        spec = campaign.vacancy
        existing = db.session.scalar(select(Vacancy).where(Vacancy.reference == spec.reference))
        if existing is not None:
            if not replace:
                raise CampaignExists(spec.reference)
            holds = db.session.scalars(
                select(LegalHold.released_at)
                .outerjoin(Application, Application.id == LegalHold.application_id)
                .where(or_(LegalHold.vacancy_id == existing.id, Application.vacancy_id == existing.id))).all()
            if holds:  # a replace deletes the vacancy's data, which a hold (or its record) keeps
                in_force = sum(1 for released in holds if released is None)
                raise cf.CampaignError([cf.Problem(
                    "vacancy.reference",
                    f"{spec.reference} is under a legal hold ({in_force} in force), so it cannot be replaced"
                    if in_force else
                    f"{spec.reference} has legal-hold records that a replace would delete, so it cannot be "
                    "replaced; load the campaign under a new reference")])
            db.session.delete(existing)
            db.session.flush()

        try:
            organisation = organisations.for_campaign(spec.organisation, actor)
        except organisations.Unresolved as unresolved:
            raise cf.CampaignError([cf.Problem("vacancy.organisation", str(unresolved))]) from None
        users = _users(campaign, actor)
        if spec.recruiting_manager:
            organisations.ensure_role(users[spec.recruiting_manager], organisation, "recruiting_manager", actor)
        vacancy = Vacancy(
            reference=spec.reference,
            title=spec.title,
            organisation_id=organisation.id,
            department=spec.department,
            grade=spec.grade,
            posts=spec.posts,
            closing_date=spec.closing_date,
            status=spec.status,
            recruiting_manager_id=users[spec.recruiting_manager] if spec.recruiting_manager else None,
            dbs_level=spec.dbs_level,
            dbs_barred_lists=list(spec.barred_lists),
            dbs_regulated_activity=spec.regulated_activity,
            safeguarding_role=spec.safeguarding_role,
            safeguarding_exemption=spec.safeguarding_exemption,
            customer_facing=spec.customer_facing,
            offer_interview=spec.offer_interview,
            waiver_policy=spec.waiver_policy,
            declaration_triggers_scheme=spec.declaration_triggers_scheme,
            armed_forces_scheme=spec.armed_forces_scheme,
            scale_min=spec.scale.min,
            scale_max=spec.scale.max,
            scale_met=spec.scale.met,
            divergence_gap=spec.scale.divergence_gap,
            scale_descriptors={str(k): v for k, v in sorted(spec.scale.descriptors.items())},
            min_scorers=spec.min_scorers,
            employment_gap_months=spec.employment_gap_months,
            interview_cap_places=spec.interview_cap_places,
            interview_cap_reason=spec.interview_cap_reason,
        )
        if spec.status != "draft":  # a file past set-up: its steps were completed where it was set up
            vacancy.setup_confirmations = {task: {"by": f"campaign file {filename}".strip(), "at": utcnow().isoformat(
                timespec="seconds")} for task in SETUP_TASKS}
        if spec.status in cf.CLOSED_STATUSES:
            vacancy.applications_closed_at = closing.closed_at_for_load(spec.applications_closed_on)
            # no reason given: the file's status alone says they closed (the export leaves it so)
            vacancy.applications_closed_reason = spec.applications_closed_reason
        db.session.add(vacancy)
        db.session.flush()
        # The criteria, panel and questions, then the applications: multi-row INSERTs.
        _insert(Criterion, [
            {"vacancy_id": vacancy.id, "key": c.key, "position": position, "category": c.category, "text": c.text,
             "essential": c.essential, "methods": list(c.methods), "shortlisting": c.shortlisting,
             "non_waivable": c.non_waivable, "pre_employment": c.pre_employment}
            for position, c in enumerate(campaign.criteria, start=1)])
        criteria = dict(db.session.execute(
            select(Criterion.key, Criterion.id).where(Criterion.vacancy_id == vacancy.id)).all())
        _insert(PanelMembership, [
            {"vacancy_id": vacancy.id, "user_id": users[m.email], "role": m.role} for m in campaign.panel if m.current])
        # someone who has left the panel: no membership, their departure recorded, their scores kept
        _insert(PanelDeparture, [
            {"vacancy_id": vacancy.id, "user_id": users[m.email], "role": m.role, "reason": m.removed_reason,
             "removed_at": datetime.combine(m.removed_on, datetime.min.time()), "removed_by_id": None}
            for m in campaign.panel if not m.current and m.removed_on])
        # training is the person's: a date in the file is theirs only if they have none yet
        for email, held, given in training.from_campaign(
                {m.email: m.safer_recruitment_trained_on for m in campaign.panel if m.safer_recruitment_trained_on},
                actor, filename):
            if warnings is not None:
                name = next(m.name for m in campaign.panel if m.email == email)
                warnings.append(rules.Finding("warning", "training_date_kept",
                                              f"panel[{email}].safer_recruitment_trained_on",
                                              training.kept_message(name, held, given)))
        questions = [(key, text) for key, texts in campaign.questions.items() for text in texts]
        _insert(InterviewQuestion, [
            {"vacancy_id": vacancy.id, "criterion_id": criteria[key], "position": position, "text": text}
            for position, (key, text) in enumerate(questions, start=1)])
        insert_applications(vacancy.id, campaign.applications, criteria, users, utcnow())
        if spec.sift_pool:  # the pool only: allocation is made in the app, its seed in the audit log
            from shortlist.services.sift import load_pool

            load_pool(vacancy, {users[email]: capacity for email, capacity in spec.sift_pool})

        audit.record(
            actor, "campaign.loaded", vacancy=spec.reference, subject=f"vacancy {spec.reference}",
            file=filename, criteria=len(campaign.criteria), applications=len(campaign.applications),
            panel=len(campaign.panel), replaced=existing is not None,
            **({"applications_closed": {"date": vacancy.applications_closed_at.date().isoformat(),
                                        "reason": vacancy.applications_closed_reason}}
               if vacancy.applications_closed_at else {}),
        )
    if len(campaign.applications) >= BIG_LOAD:
        refresh_statistics()
    return vacancy


#: a load this big changes the tables' shape enough for the planner to need new statistics
BIG_LOAD = 500
LOADED_TABLES = ("vacancy", "criterion", "panel_membership", "interview_question", "application",
                 "applicant_details", "employment_spell", "evidence", "conflict_declaration", "score_sheet",
                 "score", "agreed_score", "gap_mark", "equality_monitoring", "criminal_record_declaration")


def refresh_statistics() -> None:
    """ANALYZE the tables a big load filled (PostgreSQL), once it is committed.

    PostgreSQL plans from statistics that autovacuum refreshes in its own time (never,
    where it is off). Just after 2,000 applications arrive, a page's join planned on the
    old numbers took 0.45 s instead of 0.3 ms (docs/deployment.md). A failure here
    leaves the load in place and only costs speed, so it is logged, not raised.
    """
    if db.engine.dialect.name != "postgresql":
        return
    try:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE " + ", ".join(f'"{t}"' for t in LOADED_TABLES)))
    except SQLAlchemyError as exc:
        log.warning("ANALYZE after a campaign load failed: %s", exc)


def insert_applications(vacancy_id: int, specs: Sequence[cf.ApplicationSpec], criterion_ids: dict[str, int],
                        user_ids: dict[str, int], now: Any, external_ids: Sequence[str | None] | None = None) -> None:
    """Write the applications and everything they hold, the same rows as
    ``build_application`` makes, in a few multi-row INSERTs per table rather than one
    ORM object per row: a 2,000-application campaign is about 250,000 rows. ``external_ids``
    (the API's): the source system's id of each application, in order."""
    if not specs:
        return
    externals = list(external_ids) if external_ids is not None else [None] * len(specs)
    _insert(Application, [
        {"vacancy_id": vacancy_id, "reference": s.reference, "qualifications": list(s.qualifications),
         "gap_explanations": dict(s.gap_explanations), "external_id": e, "received_at": now}
        for s, e in zip(specs, externals, strict=True)])
    query = select(Application.reference, Application.id).where(Application.vacancy_id == vacancy_id)
    if external_ids is not None:  # a batch joining applications already there (at most a few hundred)
        query = query.where(Application.reference.in_([s.reference for s in specs]))
    ids = dict(db.session.execute(query).all())
    details, spells, evidence, conflicts, sheets, agreed, equality, declarations, marks = ([] for _ in range(9))
    notes_by_sheet: dict[tuple[int, int, str], tuple[dict[str, int], dict[str, str]]] = {}
    for s in specs:
        app_id = ids[s.reference]
        details.append({
            "application_id": app_id, "name": s.name, "email": s.email, "phone": s.phone,
            "adjustments": s.adjustments, "disability_declared": s.disability_declared,
            "offer_interview_opt_in": s.offer_interview_opt_in,
            "unmet_due_to_disability": list(s.unmet_due_to_disability), **forces_columns(s.armed_forces)})
        spells.extend({"application_id": app_id, "position": position, "start": spell.start, "end": spell.end,
                       "employer": spell.employer, "role": spell.role}
                      for position, spell in enumerate(s.employment_history, start=1))
        evidence.extend({"application_id": app_id, "criterion_id": criterion_ids[key], "text": text}
                        for key, text in s.evidence.items())
        conflicts.extend({"application_id": app_id, "user_id": user_ids[email], "conflict": True,
                          "phase": "before_scoring", "details": "Declared in the campaign file"}
                         for email in s.conflicts)
        for stage, by_member in s.scores.items():
            for email, values in by_member.items():
                sheets.append({"application_id": app_id, "user_id": user_ids[email], "stage": stage,
                               "submitted_at": now})
                notes_by_sheet[(app_id, user_ids[email], stage)] = (values, s.notes.get(stage, {}).get(email, {}))
        for stage, by_key in s.agreed.items():
            agreed.extend({"application_id": app_id, "criterion_id": criterion_ids[key], "stage": stage,
                           "value": entry.score, "rationale": entry.rationale} for key, entry in by_key.items())
        marks.extend({"application_id": app_id, "user_id": user_ids[email], "gap_start": start, "mark": mark,
                      "note": note} for email, by_gap in s.gap_marks.items() for start, (mark, note) in by_gap.items())
        if s.equality_monitoring is not None:
            equality.append({"application_id": app_id, "answers": dict(s.equality_monitoring)})
        if s.criminal_record_declaration is not None:
            unspent, text = s.criminal_record_declaration
            declarations.append({"application_id": app_id, "unspent_convictions": unspent, "details": text})
    for model, rows in ((ApplicantDetails, details), (EmploymentSpell, spells), (Evidence, evidence),
                        (ConflictDeclaration, conflicts), (ScoreSheet, sheets), (AgreedScore, agreed), (GapMark, marks),
                        (EqualityMonitoring, equality), (CriminalRecordDeclaration, declarations)):
        _insert(model, rows)
    if not sheets:
        return
    scores = []
    for sheet_id, app_id, user_id, stage in db.session.execute(
        select(ScoreSheet.id, ScoreSheet.application_id, ScoreSheet.user_id, ScoreSheet.stage)
        .join(Application, Application.id == ScoreSheet.application_id)
        .where(Application.vacancy_id == vacancy_id)
    ):
        values, notes = notes_by_sheet[(app_id, user_id, stage)]
        scores.extend({"sheet_id": sheet_id, "criterion_id": criterion_ids[key], "value": value,
                       "note": notes.get(key, "")} for key, value in values.items())
    _insert(Score, scores)


def forces_columns(forces: cf.ForcesSpec | None) -> dict[str, Any]:
    """The applicant's Armed Forces service as ApplicantDetails columns."""
    if forces is None:
        return {"forces_left_on": None, "forces_discharge_due": None, "forces_last_long_term_employer": False}
    return {"forces_left_on": forces.left_on, "forces_discharge_due": forces.discharge_due,
            "forces_last_long_term_employer": forces.last_long_term_employer}


def forces_spec(details: ApplicantDetails) -> cf.ForcesSpec | None:
    if details.forces_left_on is None and details.forces_discharge_due is None:
        return None
    return cf.ForcesSpec(details.forces_left_on, details.forces_discharge_due,
                         details.forces_last_long_term_employer if details.forces_left_on else False)


def _insert(model: Any, rows: list[dict[str, Any]]) -> None:
    """Insert the rows (none: nothing, not a row of defaults), every row with the same
    keys, as one executemany of a Core INSERT on the session's connection: no ORM
    bulk-insert bookkeeping per row (360,000 rows at 20,000 applications), a None
    written as NULL, the columns' own defaults filled in."""
    if rows:
        db.session.execute(insert(model.__table__), rows)


def build_application(spec: cf.ApplicationSpec, criteria: dict[str, Criterion], users: dict[str, User],
                 now: Any) -> Application:
    app = Application(
        reference=spec.reference,
        qualifications=list(spec.qualifications),
        gap_explanations=dict(spec.gap_explanations),
    )
    app.details = ApplicantDetails(
        name=spec.name, email=spec.email, phone=spec.phone, adjustments=spec.adjustments,
        disability_declared=spec.disability_declared, offer_interview_opt_in=spec.offer_interview_opt_in,
        unmet_due_to_disability=list(spec.unmet_due_to_disability), **forces_columns(spec.armed_forces),
    )
    for position, spell in enumerate(spec.employment_history, start=1):
        app.employment.append(EmploymentSpell(position=position, start=spell.start, end=spell.end,
                                              employer=spell.employer, role=spell.role))
    for key, words in spec.evidence.items():
        app.evidence.append(Evidence(criterion=criteria[key], text=words))
    for email in spec.conflicts:
        app.conflicts.append(ConflictDeclaration(user=users[email], conflict=True, phase="before_scoring",
                                                 details="Declared in the campaign file"))
    for stage, by_member in spec.scores.items():
        for email, values in by_member.items():
            sheet = ScoreSheet(user=users[email], stage=stage, submitted_at=now)
            notes = spec.notes.get(stage, {}).get(email, {})
            for key, value in values.items():
                sheet.scores.append(Score(criterion=criteria[key], value=value, note=notes.get(key, "")))
            app.score_sheets.append(sheet)
    for stage, by_key in spec.agreed.items():
        for key, entry in by_key.items():
            app.agreed_scores.append(AgreedScore(criterion=criteria[key], stage=stage, value=entry.score,
                                                 rationale=entry.rationale))
    if spec.equality_monitoring is not None:
        app.equality_monitoring = EqualityMonitoring(answers=dict(spec.equality_monitoring))
    if spec.criminal_record_declaration is not None:
        unspent, details = spec.criminal_record_declaration
        app.criminal_record_declaration = CriminalRecordDeclaration(unspent_convictions=unspent, details=details)
    return app


# --------------------------------------------------------------------------- export


def export_campaign(reference: str, *, include_sealed: bool = True) -> dict[str, Any] | None:
    """The campaign as a dict in the campaign-file format (None when no such vacancy)."""
    vacancy = db.session.scalar(
        select(Vacancy)
        .where(Vacancy.reference == reference)
        .options(
            selectinload(Vacancy.criteria),
            selectinload(Vacancy.panel).selectinload(PanelMembership.user),
            selectinload(Vacancy.questions),
            selectinload(Vacancy.recruiting_manager),
            selectinload(Vacancy.applications).options(
                selectinload(Application.details),
                selectinload(Application.employment),
                selectinload(Application.evidence),
                selectinload(Application.conflicts).selectinload(ConflictDeclaration.user),
                selectinload(Application.score_sheets).options(
                    selectinload(ScoreSheet.user), selectinload(ScoreSheet.scores)
                ),
                selectinload(Application.agreed_scores),
                selectinload(Application.equality_monitoring),
                selectinload(Application.criminal_record_declaration),
            ),
        )
    )
    if vacancy is None:
        return None
    keys = {c.id: c.key for c in vacancy.criteria}
    out: dict[str, Any] = {
        "vacancy": {
            "reference": vacancy.reference,
            "title": vacancy.title,
            "organisation": vacancy.org.code,
            "department": vacancy.department,
            "grade": vacancy.grade,
            "posts": vacancy.posts,
            "closing_date": vacancy.closing_date,
            "status": vacancy.status,
            **({"recruiting_manager": vacancy.recruiting_manager.email} if vacancy.recruiting_manager else {}),
            "dbs": {
                "level": vacancy.dbs_level,
                "barred_lists": list(vacancy.dbs_barred_lists),
                "regulated_activity": vacancy.dbs_regulated_activity,
            },
            "safeguarding_role": vacancy.safeguarding_role,
            **({"safeguarding_exemption": vacancy.safeguarding_exemption} if vacancy.safeguarding_exemption else {}),
            "customer_facing": vacancy.customer_facing,
            "disability_confident": {
                "offer_interview": vacancy.offer_interview,
                "waiver_policy": vacancy.waiver_policy,
                "declaration_triggers_scheme": vacancy.declaration_triggers_scheme,
            },
            "armed_forces_scheme": vacancy.armed_forces_scheme,
            "scale": {
                "min": vacancy.scale_min,
                "max": vacancy.scale_max,
                "met": vacancy.scale_met,
                "divergence_gap": vacancy.divergence_gap,
                "descriptors": vacancy.descriptors,
            },
            "min_scorers": vacancy.min_scorers,
            "employment_gap_months": vacancy.employment_gap_months,
            **({"sift_pool": {"members": [{"email": m.user.email, **({"capacity": m.capacity}
                                                                     if m.capacity is not None else {})}
                                          for m in vacancy.sift.members]}} if vacancy.sift else {}),
        },
        "criteria": [c.as_dict() for c in vacancy.criteria],
        "panel": [
            {
                "email": m.user.email,
                "name": m.user.name,
                "role": m.role,
                "safer_recruitment_trained_on": m.user.safer_recruitment_trained_on,
            }
            for m in vacancy.panel
        ],
    }
    on_panel = {m.user_id for m in vacancy.panel}
    for d in db.session.scalars(select(PanelDeparture).options(selectinload(PanelDeparture.user))
                                .where(PanelDeparture.vacancy_id == vacancy.id).order_by(PanelDeparture.removed_at)):
        if d.user_id in on_panel or any(p["email"] == d.user.email for p in out["panel"]):
            continue  # back on the panel, or already listed (removed twice: the first removal stands)
        out["panel"].append({"email": d.user.email, "name": d.user.name, "role": d.role,
                             "safer_recruitment_trained_on": d.user.safer_recruitment_trained_on,
                             "removed": {"on": d.removed_at.date(), "reason": d.reason}})
    if vacancy.interview_cap_places:
        out["vacancy"]["interview_cap"] = {"places": vacancy.interview_cap_places,
                                           "reason": vacancy.interview_cap_reason or ""}
    if vacancy.applications_closed_reason and vacancy.status in cf.CLOSED_STATUSES:
        out["vacancy"]["applications_closed"] = {"date": vacancy.applications_closed_at.date(),
                                                 "reason": vacancy.applications_closed_reason or ""}
    questions: dict[str, list[str]] = {}
    for q in vacancy.questions:
        questions.setdefault(keys[q.criterion_id], []).append(q.text)
    if questions:
        out["questions"] = questions
    marks: dict[int, dict[str, dict[str, Any]]] = {}
    for app_id, email, start, mark, note in db.session.execute(
        select(GapMark.application_id, User.email, GapMark.gap_start, GapMark.mark, GapMark.note)
        .join(User, User.id == GapMark.user_id).join(Application, Application.id == GapMark.application_id)
        .where(Application.vacancy_id == vacancy.id).order_by(User.email, GapMark.gap_start)):
        marks.setdefault(app_id, {}).setdefault(email, {})[start] = {"mark": mark, "note": note} if note else mark
    out["applications"] = [_export_application(a, keys, include_sealed, marks.get(a.id, {}))
                           for a in vacancy.applications]
    return out


def _export_application(app: Application, keys: dict[int, str], include_sealed: bool,
                        gap_marks: dict[str, dict[str, Any]]) -> dict[str, Any]:
    d = app.details
    item: dict[str, Any] = {
        "reference": app.reference,
        "name": d.name,
        "email": d.email,
        "phone": d.phone,
        "disability_declared": d.disability_declared,
        "offer_interview_opt_in": d.offer_interview_opt_in,
        "unmet_due_to_disability": list(d.unmet_due_to_disability),
        "adjustments": d.adjustments,
        **({"armed_forces": forces.as_dict()} if (forces := forces_spec(d)) is not None else {}),
        "employment_history": [
            {"from": s.start, "to": s.end, "employer": s.employer, "role": s.role} for s in app.employment
        ],
        "gap_explanations": dict(app.gap_explanations),
        "qualifications": list(app.qualifications),
        "evidence": {keys[e.criterion_id]: e.text for e in sorted(app.evidence, key=lambda e: e.criterion_id)},
        "conflicts": sorted(c.user.email for c in app.conflicts if c.conflict),
    }
    scores: dict[str, dict[str, dict[str, int]]] = {}
    notes: dict[str, dict[str, dict[str, str]]] = {}
    for sheet in sorted(app.score_sheets, key=lambda s: (s.stage, s.user.email)):
        if sheet.submitted_at is None:
            continue  # drafts are private to their author and not part of the record
        for score in sorted(sheet.scores, key=lambda s: s.criterion_id):
            key = keys[score.criterion_id]
            if score.value is not None:
                scores.setdefault(sheet.stage, {}).setdefault(sheet.user.email, {})[key] = score.value
            if score.note:
                notes.setdefault(sheet.stage, {}).setdefault(sheet.user.email, {})[key] = score.note
    item["scores"] = scores
    item["notes"] = notes
    agreed: dict[str, dict[str, dict[str, Any]]] = {}
    for a in sorted(app.agreed_scores, key=lambda a: (a.stage, a.criterion_id)):
        agreed.setdefault(a.stage, {})[keys[a.criterion_id]] = {"score": a.value, "rationale": a.rationale}
    item["agreed"] = agreed
    item["gap_marks"] = gap_marks
    if include_sealed:
        if app.equality_monitoring is not None:
            item["equality_monitoring"] = dict(app.equality_monitoring.answers)
        if app.criminal_record_declaration is not None:
            item["criminal_record_declaration"] = {
                "unspent_convictions": app.criminal_record_declaration.unspent_convictions,
                "details": app.criminal_record_declaration.details,
            }
    return item


def dump_yaml(data: dict[str, Any]) -> str:
    return cf.dump(data)


def export_recorded(reference: str, actor: audit.Actor, *, include_sealed: bool = True) -> dict[str, Any] | None:
    """``export_campaign``, with its audit record (campaign.exported) in one transaction."""
    data = export_campaign(reference, include_sealed=include_sealed)
    if data is not None:
        with transaction():
            audit.record(actor, "campaign.exported", vacancy=reference, subject=f"vacancy {reference}",
                         sealed_included=include_sealed)
    return data
