"""Applications from other systems' exports (issue 18): the upload kept as a draft while HR or
the manager maps its columns onto our fields, the preview and every problem before anything is
written, then the import: all or nothing, in one transaction, audited. Mapping profiles are saved
per organisation; three are shipped (shortlist.exports.SHIPPED)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, select

from shortlist import exports
from shortlist.extensions import db
from shortlist.intake import IntakeError
from shortlist.models import Application, Criterion, ImportDraft, ImportProfile, User, Vacancy
from shortlist.models.base import utcnow
from shortlist.services import audit
from shortlist.services.transactions import transaction


class ProfileRefused(Exception):
    pass


def upload(vacancy: Vacancy, user: User, filename: str, data: bytes) -> ImportDraft:
    """Keep the file for its mapping step, once it reads as a table (IntakeError if not)."""
    exports.read(data, filename)
    with transaction():
        db.session.execute(delete(ImportDraft).where(ImportDraft.vacancy_id == vacancy.id,
                                                     ImportDraft.user_id == user.id))
        draft = ImportDraft(vacancy_id=vacancy.id, user_id=user.id, filename=filename[:255], content=data)
        db.session.add(draft)
    return draft


def draft_for(vacancy: Vacancy, user: User, draft_id: int) -> ImportDraft | None:
    return db.session.scalar(select(ImportDraft).where(ImportDraft.id == draft_id,
                                                       ImportDraft.vacancy_id == vacancy.id,
                                                       ImportDraft.user_id == user.id))


def criteria(vacancy: Vacancy) -> dict[str, str]:
    return dict(db.session.execute(select(Criterion.key, Criterion.text).where(Criterion.vacancy_id == vacancy.id)
                                   .order_by(Criterion.position)).all())


def profiles(organisation_id: int) -> dict[str, dict[str, str]]:
    """The shipped profiles, then the organisation's own (by name)."""
    own = {p.name: dict(p.mapping) for p in db.session.scalars(
        select(ImportProfile).where(ImportProfile.organisation_id == organisation_id).order_by(ImportProfile.name))}
    return {**exports.SHIPPED, **own}


def save_profile(vacancy: Vacancy, user: User, name: str, mapping: dict[str, str]) -> ImportProfile:
    name = " ".join(name.split())
    if not name or len(name) > 100:
        raise ProfileRefused("Enter a name for the profile, up to 100 characters")
    if name in exports.SHIPPED:
        raise ProfileRefused(f"{name!r} is a shipped profile's name: choose another")
    kept = {f: c for f, c in mapping.items() if c and not f.startswith("evidence:")}
    with transaction():
        row = db.session.scalar(select(ImportProfile).where(ImportProfile.organisation_id == vacancy.organisation_id,
                                                            ImportProfile.name == name))
        before = dict(row.mapping) if row else None
        if row is None:
            row = ImportProfile(organisation_id=vacancy.organisation_id, name=name, created_by_id=user.id)
            db.session.add(row)
        row.mapping, row.updated_at = kept, utcnow()
        audit.record(audit.Actor.of(user), "import_profile.saved", organisation_id=vacancy.organisation_id,
                     subject=f"profile {name}", organisation=vacancy.org.code, name=name, before=before, after=kept)
    return row


@dataclass(frozen=True)
class Check:
    table: exports.Table
    mapping: dict[str, str]
    preview: list[dict[str, str]]
    problems: list[object]
    count: int


def check(vacancy: Vacancy, draft: ImportDraft, mapping: dict[str, str]) -> Check:
    """The mapped file's first rows and every problem (by row and the file's column); nothing written."""
    table = exports.read(draft.content, draft.filename)
    existing = set(db.session.scalars(select(Application.reference).where(Application.vacancy_id == vacancy.id)))
    external = set(db.session.scalars(select(Application.external_id).where(
        Application.vacancy_id == vacancy.id, Application.external_id.is_not(None))))
    try:
        mapped = exports.apply(table, mapping, list(criteria(vacancy)), existing, external)
    except IntakeError as exc:
        return Check(table, mapping, exports.preview_rows(table, mapping), list(exc.problems), 0)
    return Check(table, mapping, mapped.preview, [], len(mapped.specs))


def import_mapped(vacancy: Vacancy, user: User, draft: ImportDraft, mapping: dict[str, str],
                  profile: str = "") -> int:
    """Write every application of the mapped file, or none (IntakeError lists every problem)."""
    from shortlist.services.applications import _new_batch
    from shortlist.services.campaigns import insert_applications

    table = exports.read(draft.content, draft.filename)
    existing = set(db.session.scalars(select(Application.reference).where(Application.vacancy_id == vacancy.id)))
    external = set(db.session.scalars(select(Application.external_id).where(
        Application.vacancy_id == vacancy.id, Application.external_id.is_not(None))))
    mapped = exports.apply(table, mapping, list(criteria(vacancy)), existing, external)
    actor = audit.Actor.of(user)
    with transaction():
        ids = dict(db.session.execute(select(Criterion.key, Criterion.id)
                                      .where(Criterion.vacancy_id == vacancy.id)).all())
        insert_applications(vacancy.id, mapped.specs, ids, {}, utcnow(), external_ids=mapped.external_ids)
        audit.record(actor, "applications.imported", vacancy=vacancy.reference, subject=f"vacancy {vacancy.reference}",
                     file=draft.filename, count=len(mapped.specs), references=[s.reference for s in mapped.specs],
                     format="export", profile=profile or None,
                     mapping={f: c for f, c in mapping.items() if c})
        db.session.execute(delete(ImportDraft).where(ImportDraft.id == draft.id))
        _new_batch(vacancy, actor)
    return len(mapped.specs)
