"""Applications entering a vacancy: by hand or from a CSV file, each in one transaction."""

from __future__ import annotations

from sqlalchemy import select

from shortlist import campaign as cf
from shortlist.extensions import db
from shortlist.intake import parse_csv
from shortlist.models import Application, Vacancy
from shortlist.models.base import utcnow
from shortlist.services import audit
from shortlist.services.campaigns import build_application


def existing_references(vacancy: Vacancy) -> set[str]:
    return set(db.session.scalars(select(Application.reference).where(Application.vacancy_id == vacancy.id)))


def import_csv(vacancy: Vacancy, data: bytes, filename: str, actor: audit.Actor) -> int:
    """Add every application in the file, or none (IntakeError lists every problem by line and column)."""
    criteria = {c.key: c for c in vacancy.criteria}
    specs = parse_csv(data, list(criteria), existing_references(vacancy))
    try:
        now = utcnow()
        for spec in specs:
            vacancy.applications.append(build_application(spec, criteria, {}, now))
        audit.record(actor, "applications.imported", vacancy=vacancy.reference,
                     subject=f"vacancy {vacancy.reference}", file=filename, count=len(specs),
                     references=[s.reference for s in specs])
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return len(specs)


def add_application(vacancy: Vacancy, spec: cf.ApplicationSpec, actor: audit.Actor) -> Application:
    """One application entered by hand."""
    criteria = {c.key: c for c in vacancy.criteria}
    try:
        application = build_application(spec, criteria, {}, utcnow())
        vacancy.applications.append(application)
        db.session.flush()
        audit.record(actor, "application.added", vacancy=vacancy.reference,
                     subject=f"application {spec.reference}", reference=spec.reference)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return application
