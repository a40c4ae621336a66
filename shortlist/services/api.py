"""What the JSON API (shortlist.api) reads and writes, for an integration (`api_tokens.Caller`).

Every vacancy is reached through ``vacancy_for``, which finds only the caller's organisation's.
Writes go through the services the app's own pages use (the campaign loader, the application
builder), in one transaction each, audited as the integration.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from shortlist import campaign_format as cf
from shortlist.extensions import db
from shortlist.models import (
    Application,
    Criterion,
    Decision,
    Organisation,
    PanelMembership,
    ScoreSheet,
    SiftAssignment,
    User,
    Vacancy,
)
from shortlist.models.base import utcnow
from shortlist.rules.vocabulary import SCORING_ROLES
from shortlist.services import audit
from shortlist.services.api_tokens import Caller
from shortlist.services.transactions import transaction

MAX_PAGE = 200
DEFAULT_PAGE = 50
MAX_BATCH = 500
EXTERNAL_ID_LENGTH = 100


class ApiProblem(Exception):
    """The request cannot be done: an HTTP status and every problem, each with its field path."""

    def __init__(self, status: int, problems: Sequence[cf.Problem]):
        self.status = status
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))

    @classmethod
    def one(cls, status: int, path: str, message: str) -> ApiProblem:
        return cls(status, [cf.Problem(path, message)])


# --------------------------------------------------------------------------- cursors


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"after:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The id a page starts after (0: the first page); a cursor we did not write is a 422."""
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, value = text.partition(":")
        if kind == "after" and value.isdigit() and len(value) < 12:
            return int(value)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise ApiProblem.one(422, "cursor", "is not a cursor this API gave: use next_cursor from the previous page")


@dataclass(frozen=True)
class Page:
    items: list[dict[str, Any]]
    next_cursor: str | None

    def as_dict(self) -> dict[str, Any]:
        return {"items": self.items, "next_cursor": self.next_cursor}


def _page(rows: list[Any], limit: int, key: Any, render: Any) -> Page:
    more = len(rows) > limit
    rows = rows[:limit]
    return Page([render(r) for r in rows], encode_cursor(key(rows[-1])) if more and rows else None)


# --------------------------------------------------------------------------- vacancies


def vacancy_for(caller: Caller, reference: str) -> Vacancy:
    """The caller's organisation's vacancy, else 404 (another organisation's is not confirmed)."""
    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == reference,
                                                      Vacancy.organisation_id == caller.organisation_id))
    if vacancy is None:
        raise ApiProblem.one(404, "reference", f"no vacancy {reference} for {caller.organisation}")
    return vacancy


def vacancy_summary(vacancy: Vacancy, applications: int) -> dict[str, Any]:
    return {
        "reference": vacancy.reference, "title": vacancy.title, "organisation": vacancy.organisation,
        "department": vacancy.department, "grade": vacancy.grade, "posts": vacancy.posts,
        "closing_date": vacancy.closing_date.isoformat(), "status": vacancy.status,
        "applications": applications,
        "shortlist_finalised_at": _when(vacancy.shortlist_finalised_at),
    }


def _when(value: Any) -> str | None:
    return None if value is None else value.isoformat(timespec="seconds") + "Z"


def list_vacancies(caller: Caller, cursor: str | None, limit: int) -> Page:
    after = decode_cursor(cursor)
    counts = (select(Application.vacancy_id, func.count().label("n")).group_by(Application.vacancy_id)
              .subquery())
    rows = db.session.execute(
        select(Vacancy, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.vacancy_id == Vacancy.id)
        .where(Vacancy.organisation_id == caller.organisation_id, Vacancy.id > after)
        .order_by(Vacancy.id).limit(limit + 1)).all()
    return _page(list(rows), limit, lambda r: r[0].id, lambda r: vacancy_summary(r[0], r[1]))


def vacancy_status(caller: Caller, reference: str) -> dict[str, Any]:
    """The vacancy's status and the panel's progress: each scorer's submitted sheets."""
    vacancy = vacancy_for(caller, reference)
    total = db.session.scalar(select(func.count()).select_from(Application)
                              .where(Application.vacancy_id == vacancy.id)) or 0
    submitted = dict(db.session.execute(
        select(ScoreSheet.user_id, func.count()).join(Application, Application.id == ScoreSheet.application_id)
        .where(Application.vacancy_id == vacancy.id, ScoreSheet.stage == "shortlisting",
               ScoreSheet.submitted_at.is_not(None)).group_by(ScoreSheet.user_id)).all())
    allocated: dict[int, int] | None = None
    if vacancy.sift is not None:
        allocated = dict(db.session.execute(
            select(SiftAssignment.user_id, func.count()).where(SiftAssignment.vacancy_id == vacancy.id)
            .group_by(SiftAssignment.user_id)).all())
    members = db.session.execute(
        select(PanelMembership.role, User.id, User.name).join(User, User.id == PanelMembership.user_id)
        .where(PanelMembership.vacancy_id == vacancy.id, PanelMembership.role.in_(SCORING_ROLES))
        .order_by(User.name)).all()
    progress = [{"name": name, "role": role, "to_score": total if allocated is None else allocated.get(uid, 0),
                 "submitted": submitted.get(uid, 0)} for role, uid, name in members]
    decided = db.session.scalar(select(func.count()).select_from(Decision).join(Application)
                                .where(Application.vacancy_id == vacancy.id, Decision.stage == "shortlisting")) or 0
    return {**vacancy_summary(vacancy, total), "panel_progress": progress, "decided": decided}


def save_vacancy(caller: Caller, reference: str, body: Any) -> tuple[Vacancy, bool]:
    """Create the vacancy from the campaign-file structure, or replace it while it has no
    applications (the same validation and the same all-or-nothing load as `shortlist load`).
    Returns the vacancy and whether it is new."""
    from shortlist.services.campaigns import CampaignExists, load_campaign

    problems: list[cf.Problem] = []
    if isinstance(body, dict) and "applications" in body:
        problems.append(cf.Problem("applications", "add applications with POST /vacancies/{reference}/applications"))
        body = {k: v for k, v in body.items() if k != "applications"}
    try:
        campaign = cf.validate(body)
    except cf.CampaignError as exc:
        raise ApiProblem(422, problems + exc.problems) from None
    if campaign.vacancy.reference != reference:
        problems.append(cf.Problem("vacancy.reference", f"is {campaign.vacancy.reference!r} but the URL names "
                                                        f"{reference!r}"))
    named = " ".join(campaign.vacancy.organisation.split())
    ours = db.session.get(Organisation, caller.organisation_id)
    if ours is None or (named.upper() != ours.code and named.lower() != ours.name.lower()):
        problems.append(cf.Problem("vacancy.organisation",
                                   f"this token is for {caller.organisation!r}"
                                   + (f" ({ours.code})" if ours is not None else "") + ", so the vacancy must be too"))
    if problems:
        raise ApiProblem(422, problems)
    existing = db.session.scalar(select(Vacancy).where(Vacancy.reference == reference))
    if existing is not None:
        if existing.organisation_id != caller.organisation_id:
            raise ApiProblem.one(409, "vacancy.reference", f"the reference {reference} is taken: choose another")
        count = db.session.scalar(select(func.count()).select_from(Application)
                                  .where(Application.vacancy_id == existing.id)) or 0
        if count:
            raise ApiProblem.one(409, "vacancy.reference",
                                 f"{reference} has {count} application(s), so it cannot be replaced through the "
                                 "API: change it in Shortlist")
    try:
        vacancy = load_campaign(campaign, caller.actor, filename="api", replace=existing is not None)
    except cf.CampaignError as exc:
        raise ApiProblem(422, exc.problems) from None
    except CampaignExists:  # another call made it between our look and the load
        raise ApiProblem.one(409, "vacancy.reference", f"{reference} was made by another call: try again") from None
    return vacancy, existing is None


# --------------------------------------------------------------------------- applications


def _criterion_specs(vacancy: Vacancy) -> tuple[cf.CriterionSpec, ...]:
    return tuple(cf.CriterionSpec(c.key, c.category, c.text, c.essential, tuple(c.methods), c.shortlisting,
                                  c.non_waivable, c.pre_employment)
                 for c in db.session.scalars(select(Criterion).where(Criterion.vacancy_id == vacancy.id)
                                             .order_by(Criterion.position)))


def add_applications(caller: Caller, reference: str, items: Any) -> dict[str, Any]:
    """Add a batch of applications, idempotent by ``external_id``: an application whose
    external id the vacancy already holds is left as it is (``existing``). All or nothing:
    any problem in the batch writes none of it."""
    from shortlist.services.applications import _new_batch
    from shortlist.services.campaigns import insert_applications

    vacancy = vacancy_for(caller, reference)
    if not isinstance(items, list) or not items:
        raise ApiProblem.one(422, "applications", "send a list of one or more applications")
    if len(items) > MAX_BATCH:
        raise ApiProblem.one(422, "applications", f"send at most {MAX_BATCH} applications a batch")
    if vacancy.shortlist_finalised_at is not None:
        raise ApiProblem.one(409, "applications", f"{reference}'s shortlist is final: no application joins it now")
    problems: list[cf.Problem] = []
    external: list[str] = []
    bodies: list[Any] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append(cf.Problem(f"applications[{i}]", "must be an object"))
            external.append("")
            bodies.append(item)
            continue
        value = item.get("external_id")
        if not isinstance(value, str) or not value.strip():
            problems.append(cf.Problem(f"applications[{i}].external_id", "is required: the source system's id"))
            value = ""
        elif len(value) > EXTERNAL_ID_LENGTH:
            problems.append(cf.Problem(f"applications[{i}].external_id",
                                       f"is longer than {EXTERNAL_ID_LENGTH} characters"))
        external.append(value.strip() if isinstance(value, str) else "")
        body = {k: v for k, v in item.items() if k != "external_id"}
        body.setdefault("reference", external[-1])
        bodies.append(body)
    scale = cf.ScaleSpec(vacancy.scale_min, vacancy.scale_max, vacancy.scale_met, vacancy.divergence_gap)
    specs, found = cf.validate_applications(bodies, _criterion_specs(vacancy), scale)
    problems.extend(found)
    seen_ext: dict[str, int] = {}
    seen_ref: dict[str, int] = {}
    for i, (ext, spec) in enumerate(zip(external, specs, strict=True)):
        if ext and ext in seen_ext:
            problems.append(cf.Problem(f"applications[{i}].external_id",
                                       f"{ext!r} is also applications[{seen_ext[ext]}]'s"))
        seen_ext.setdefault(ext, i)
        if spec.reference in seen_ref:
            problems.append(cf.Problem(f"applications[{i}].reference",
                                       f"{spec.reference!r} is also applications[{seen_ref[spec.reference]}]'s"))
        seen_ref.setdefault(spec.reference, i)
    known = dict(db.session.execute(select(Application.external_id, Application.reference)
                                    .where(Application.vacancy_id == vacancy.id,
                                           Application.external_id.in_([e for e in external if e]))).all())
    references = set(db.session.scalars(select(Application.reference).where(
        Application.vacancy_id == vacancy.id, Application.reference.in_([s.reference for s in specs]))))
    new: list[tuple[str, cf.ApplicationSpec]] = []
    results: list[dict[str, Any]] = []
    for i, (ext, spec) in enumerate(zip(external, specs, strict=True)):
        if ext in known:
            results.append({"external_id": ext, "reference": known[ext], "result": "existing"})
            continue
        if spec.reference in references:
            problems.append(cf.Problem(f"applications[{i}].reference",
                                       f"{spec.reference!r} is another application's on this vacancy"))
        new.append((ext, spec))
        results.append({"external_id": ext, "reference": spec.reference, "result": "created"})
    if problems:
        raise ApiProblem(422, problems)
    if new:
        with transaction():
            criteria = dict(db.session.execute(select(Criterion.key, Criterion.id)
                                               .where(Criterion.vacancy_id == vacancy.id)).all())
            insert_applications(vacancy.id, [s for _, s in new], criteria, {}, utcnow(),
                                external_ids=[e for e, _ in new])
            audit.record(caller.actor, "applications.imported", vacancy=vacancy.reference,
                         subject=f"vacancy {vacancy.reference}", file="api", count=len(new),
                         references=[s.reference for _, s in new], format="api")
            _new_batch(vacancy, caller.actor)
    return {"created": len(new), "existing": len(items) - len(new), "applications": results}


def withdraw(caller: Caller, reference: str, application: str, body: Any) -> dict[str, Any]:
    """The source system says the applicant withdrew (application.withdrawn tells the webhooks)."""
    from shortlist.services.applications import WithdrawalRefused
    from shortlist.services.applications import withdraw as record

    vacancy = vacancy_for(caller, reference)
    reason = body.get("reason") if isinstance(body, dict) else None
    if not isinstance(reason, str):
        raise ApiProblem.one(422, "reason", "is required: why the applicant withdrew")
    try:
        row = record(vacancy, application, reason, caller.actor)
    except WithdrawalRefused as refused:
        raise ApiProblem.one(422, "reason", str(refused)) from None
    except LookupError:
        raise ApiProblem.one(404, "application", f"no application {application} on {reference}") from None
    return _application_row(row, False)


def _application_row(app: Application, sealed: bool) -> dict[str, Any]:
    d = app.details
    row: dict[str, Any] = {
        "reference": app.reference, "external_id": app.external_id, "received_at": _when(app.received_at),
        "name": d.name if d else "", "email": d.email if d else "",
        "withdrawn_at": _when(app.withdrawn_at), "withdrawn_reason": app.withdrawn_reason,
    }
    if sealed:
        row["equality_monitoring"] = (dict(app.equality_monitoring.answers) if app.equality_monitoring else None)
        crd = app.criminal_record_declaration
        row["criminal_record_declaration"] = (
            {"unspent_convictions": crd.unspent_convictions, "details": crd.details} if crd else None)
    return row


def list_applications(caller: Caller, reference: str, cursor: str | None, limit: int) -> Page:
    """The vacancy's applications; sealed data only for a token with sealed:read (HR's)."""
    vacancy = vacancy_for(caller, reference)
    after = decode_cursor(cursor)
    sealed = caller.has("sealed:read")
    query = (select(Application).where(Application.vacancy_id == vacancy.id, Application.id > after)
             .options(selectinload(Application.details)).order_by(Application.id).limit(limit + 1))
    if sealed:
        query = query.options(selectinload(Application.equality_monitoring),
                              selectinload(Application.criminal_record_declaration))
    rows = list(db.session.scalars(query))
    if sealed and rows:
        with transaction():
            audit.record(caller.actor, "sealed.viewed", vacancy=vacancy.reference, subject=f"vacancy {reference}",
                         application=[a.reference for a in rows[:limit]], parts=["equality_monitoring",
                                                                                "criminal_record_declaration"])
    return _page(rows, limit, lambda a: a.id, lambda a: _application_row(a, sealed))


# --------------------------------------------------------------------------- what the panel decided


def recommendations(caller: Caller, reference: str, cursor: str | None, limit: int) -> Page:
    """The engine's recommendation for each application, with its reasons, a page at a time."""
    from shortlist.services.recommendations import recommend_with_records

    vacancy = vacancy_for(caller, reference)
    after = decode_cursor(cursor)
    ids = dict(db.session.execute(select(Application.reference, Application.id)
                                  .where(Application.vacancy_id == vacancy.id)).all())
    external = dict(db.session.execute(select(Application.reference, Application.external_id)
                                       .where(Application.vacancy_id == vacancy.id)).all())
    recs = sorted(((ids[rec.reference], rec) for _r, rec in recommend_with_records(vacancy)), key=lambda p: p[0])
    rows = [p for p in recs if p[0] > after][:limit + 1]
    return _page(rows, limit, lambda p: p[0], lambda p: {
        "reference": p[1].reference, "external_id": external.get(p[1].reference),
        "outcome": p[1].outcome.value, "in_scheme": p[1].in_scheme, "in_forces_scheme": p[1].in_forces_scheme,
        "essential_total": p[1].essential_total, "total": p[1].total, "within_cap": p[1].within_cap,
        "reasons": [{"code": r.code, "criterion": r.criterion, "message": r.message} for r in p[1].reasons]})


def decisions(caller: Caller, reference: str, stage: str, cursor: str | None, limit: int) -> Page:
    """The recorded decisions at a stage (shortlisting; interview: the interview outcomes)."""
    vacancy = vacancy_for(caller, reference)
    after = decode_cursor(cursor)
    rows = list(db.session.execute(
        select(Decision, Application.reference, Application.external_id)
        .join(Application, Application.id == Decision.application_id)
        .where(Application.vacancy_id == vacancy.id, Decision.stage == stage, Decision.id > after)
        .order_by(Decision.id).limit(limit + 1)).all())
    return _page(rows, limit, lambda r: r[0].id, lambda r: {
        "reference": r[1], "external_id": r[2], "stage": r[0].stage, "outcome": r[0].outcome,
        "recommendation": r[0].recommendation, "reason": r[0].reason,
        "reasons": [{"code": x.get("code"), "criterion": x.get("criterion"), "message": x.get("message")}
                    for x in (r[0].reasons or [])],
        "decided_at": _when(r[0].decided_at)})


def today() -> date:
    return date.today()


# --------------------------------------------------------------------------- webhooks


def _webhook_row(endpoint: Any) -> dict[str, Any]:
    return {"id": endpoint.id, "url": endpoint.url, "events": list(endpoint.events),
            "created_at": _when(endpoint.created_at), "removed_at": _when(endpoint.removed_at)}


def list_webhooks(caller: Caller, cursor: str | None, limit: int) -> Page:
    from shortlist.models import WebhookEndpoint

    after = decode_cursor(cursor)
    rows = list(db.session.scalars(select(WebhookEndpoint).where(
        WebhookEndpoint.organisation_id == caller.organisation_id, WebhookEndpoint.id > after)
        .order_by(WebhookEndpoint.id).limit(limit + 1)))
    return _page(rows, limit, lambda e: e.id, _webhook_row)


def add_webhook(caller: Caller, body: Any) -> dict[str, Any]:
    """A webhook for the caller's organisation, to a host HR registered for it on the page."""
    from shortlist.services import webhooks

    if not isinstance(body, dict) or not isinstance(body.get("url"), str) or not isinstance(body.get("events"), list):
        raise ApiProblem.one(422, "", 'send {"url": "https://...", "events": ["shortlist.finalised", ...]}')
    unknown = [e for e in body["events"] if not isinstance(e, str) or e not in webhooks.EVENTS]
    if unknown:
        raise ApiProblem.one(422, "events", f"unknown events {unknown}: use {', '.join(webhooks.EVENTS)}")
    try:
        endpoint, secret = webhooks.register(db.session.get(Organisation, caller.organisation_id), body["url"],
                                             body["events"], caller.actor, token_id=caller.token_id,
                                             allowed_hosts=webhooks.hosts_for(caller.organisation_id))
    except webhooks.WebhookRefused as refused:
        raise ApiProblem.one(422, refused.field, str(refused)) from None
    return {**_webhook_row(endpoint), "secret": secret}


def remove_webhook(caller: Caller, webhook_id: int) -> None:
    from shortlist.services import webhooks

    if webhooks.remove(webhook_id, caller.actor, {caller.organisation_id}) is None:
        raise ApiProblem.one(404, "id", f"no webhook {webhook_id} for {caller.organisation}")
