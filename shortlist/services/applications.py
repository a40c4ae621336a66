"""Applications entering a vacancy: by hand, from a CSV file or from a campaign file, each in one transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from shortlist import campaign_format as cf
from shortlist.extensions import db
from shortlist.services.transactions import transaction
from shortlist.intake import IntakeError, parse_csv
from shortlist.models import Application, Vacancy
from shortlist.models.base import utcnow
from shortlist.services import audit
from shortlist.services.campaigns import build_application


def existing_references(vacancy: Vacancy) -> set[str]:
    return set(db.session.scalars(select(Application.reference).where(Application.vacancy_id == vacancy.id)))


def _new_batch(vacancy: Vacancy, actor: audit.Actor) -> None:
    """A sift pool already allocated shares the new applications out (issue 19), in this transaction."""
    if vacancy.sift is not None:
        from shortlist.services import sift

        sift.reallocate(vacancy, actor, "applications_added")


def import_csv(vacancy: Vacancy, data: bytes, filename: str, actor: audit.Actor) -> int:
    """Add every application in the file, or none (IntakeError lists every problem by line and column)."""
    criteria = {c.key: c for c in vacancy.criteria}
    specs = parse_csv(data, list(criteria), existing_references(vacancy))
    with transaction():
        now = utcnow()
        for spec in specs:
            vacancy.applications.append(build_application(spec, criteria, {}, now))
        audit.record(actor, "applications.imported", vacancy=vacancy.reference,
                     subject=f"vacancy {vacancy.reference}", file=filename, count=len(specs),
                     references=[s.reference for s in specs])
        _new_batch(vacancy, actor)
    return len(specs)


def add_application(vacancy: Vacancy, spec: cf.ApplicationSpec, actor: audit.Actor) -> Application:
    """One application entered by hand."""
    criteria = {c.key: c for c in vacancy.criteria}
    with transaction():
        application = build_application(spec, criteria, {}, utcnow())
        vacancy.applications.append(application)
        db.session.flush()
        audit.record(actor, "application.added", vacancy=vacancy.reference,
                     subject=f"application {spec.reference}", reference=spec.reference)
        _new_batch(vacancy, actor)
    return application


def _campaign_problems(vacancy: Vacancy, campaign: cf.Campaign, existing: set[str]) -> list[cf.Problem]:
    """Why the campaign file's applications cannot join this vacancy (empty: they can)."""
    problems: list[cf.Problem] = []
    if campaign.vacancy.reference != vacancy.reference:
        problems.append(cf.Problem("vacancy.reference", f"the file is for vacancy {campaign.vacancy.reference}, "
                                                        f"not {vacancy.reference}"))
    if not campaign.applications:
        problems.append(cf.Problem("applications", "the file holds no applications"))
    ours = {c.key: " ".join(c.text.split()).casefold() for c in vacancy.criteria}
    theirs = {c.key: " ".join(c.text.split()).casefold() for c in campaign.criteria}
    for index, spec in enumerate(campaign.applications):
        where = f"applications[{index}] ({spec.reference})"
        if spec.reference in existing:
            problems.append(cf.Problem(f"{where}.reference", f"application {spec.reference} is already on this vacancy"))
        for key in sorted(set(spec.evidence) | set(spec.unmet_due_to_disability)):
            if key not in ours:
                problems.append(cf.Problem(f"{where}.evidence.{key}", f"this vacancy has no criterion {key}"))
            elif theirs.get(key) != ours[key]:
                problems.append(cf.Problem(f"{where}.evidence.{key}",
                                           f"criterion {key} in the file is not worded as this vacancy's {key}, so "
                                           "the evidence may be for a different criterion"))
        for name, value in (("scores", spec.scores), ("notes", spec.notes), ("agreed", spec.agreed),
                            ("conflicts", spec.conflicts)):
            if value:
                problems.append(cf.Problem(f"{where}.{name}", f"{name} are not imported with applications: the "
                                                              "panel declares conflicts and scores in Shortlist"))
    return problems


def import_campaign_file(vacancy: Vacancy, data: bytes, filename: str, actor: audit.Actor) -> int:
    """Add every application in a campaign file (the format of `shortlist load`), or none:
    IntakeError lists every problem with its field (and line, where the file gives one)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IntakeError([cf.Problem("", "the file is not UTF-8 text: save the campaign file as UTF-8")]) from None
    try:
        campaign = cf.parse(text)
    except cf.CampaignError as exc:
        raise IntakeError(exc.problems) from None
    problems = _campaign_problems(vacancy, campaign, existing_references(vacancy))
    if problems:
        raise IntakeError(problems)
    criteria = {c.key: c for c in vacancy.criteria}
    with transaction():
        now = utcnow()
        for spec in campaign.applications:
            vacancy.applications.append(build_application(spec, criteria, {}, now))
        audit.record(actor, "applications.imported", vacancy=vacancy.reference,
                     subject=f"vacancy {vacancy.reference}", file=filename, count=len(campaign.applications),
                     references=[s.reference for s in campaign.applications], format="campaign")
        _new_batch(vacancy, actor)
    return len(campaign.applications)


def listed(vacancy: Vacancy) -> list[Any]:
    """The vacancy's applications as (id, reference, withdrawn_at) rows, by reference."""
    return list(db.session.execute(
        select(Application.id, Application.reference, Application.withdrawn_at)
        .where(Application.vacancy_id == vacancy.id).order_by(Application.reference)).all())


def find(vacancy: Vacancy, reference: str) -> Application | None:
    return db.session.scalar(select(Application).where(Application.vacancy_id == vacancy.id,
                                                       Application.reference == reference))


class WithdrawalRefused(Exception):
    pass


def withdraw(vacancy: Vacancy, reference: str, reason: str, actor: audit.Actor) -> Application:
    """Record that the applicant withdrew (HR, told by the applicant; or the source system through
    the API). The application stays, marked; integrations hear of it (application.withdrawn).
    Recording it again changes nothing."""
    reason = " ".join(reason.split())
    if not reason:
        raise WithdrawalRefused("Enter why the applicant withdrew, as they said it")
    if len(reason) > 2000:
        raise WithdrawalRefused("The reason must be 2000 characters or fewer")
    with transaction():
        application = db.session.scalar(select(Application).where(
            Application.vacancy_id == vacancy.id, Application.reference == reference).with_for_update())
        if application is None:
            raise LookupError(reference)
        if application.withdrawn_at is None:
            application.withdrawn_at, application.withdrawn_reason = utcnow(), reason
            application.withdrawn_by = actor.label[:200]
            audit.record(actor, "application.withdrawn", vacancy=vacancy.reference, subject=reference,
                         reference=reference, reason=reason)
    return application
