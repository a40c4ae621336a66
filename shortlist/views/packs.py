"""Interview packs and the shortlisting record: the HTML preview, making the PDF in the
background (with its progress), downloading it, and the record's CSV. Thin: the rules
are in `shortlist.services.packs` and `shortlist.services.jobs`."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from shortlist import rules
from shortlist.forms.panel import FinaliseForm
from shortlist.models import GeneratedDocument, User, Vacancy
from shortlist.packs import render
from shortlist.permissions import can, sees_disability, states_disability, vacancy_access
from shortlist.services import audit, jobs, users
from shortlist.services import packs as service
from shortlist.services.packs import DocumentRefused, DocumentSpec
from shortlist.services.sight import record_disability_view, sight
from shortlist.downloads import attachment
from shortlist.numbers import parse_int

bp = Blueprint("packs", __name__, url_prefix="/vacancies/<reference>")


def _context(vacancy: Vacancy, **extra: Any) -> dict[str, Any]:
    return {"vacancy": vacancy, "can_see_recommendations": can(current_user, "view_recommendations", vacancy),
            "can_manage": can(current_user, "manage", vacancy), **extra}


def _what_to_do(vacancy: Vacancy, code: str) -> tuple[str, str] | None:
    """Where to put a refusal right, for those who can."""
    ref = vacancy.reference
    if code in (rules.codes.PACK_SHORTLIST_NOT_FINAL, rules.codes.PACK_NO_CANDIDATES) and \
            can(current_user, "moderate", vacancy):
        return "Go to the shortlisting decisions", url_for("panel.decisions", reference=ref)
    if code == rules.codes.PACK_NO_SAFEGUARDING_QUESTION and can(current_user, "manage", vacancy):
        return "Add a safeguarding question", url_for("setup.questions", reference=ref)
    if code == rules.codes.NO_TRAINED_PANEL_MEMBER and can(current_user, "manage", vacancy):
        return "Change the panel", url_for("setup.panel", reference=ref)
    return None


def _refusals(vacancy: Vacancy, refused: DocumentRefused) -> list[dict[str, Any]]:
    return [{"code": p.code, "message": p.message, "link": _what_to_do(vacancy, p.code)} for p in refused.problems]


def _pack_spec(vacancy: Vacancy, args: Any) -> tuple[DocumentSpec, User | None]:
    member_arg = (args.get("member") or "").strip()
    try:
        member = service.member_for(vacancy, parse_int(member_arg, "member")) if member_arg else None
    except DocumentRefused:
        abort(404)
    if member_arg and member is None:
        abort(404)
    if not member_arg and not can(current_user, "arrange", vacancy):
        member = current_user  # a panel member's pack is their own copy
    spec = DocumentSpec("pack", (args.get("candidate") or "").strip(), member.id if member else None)
    try:
        service.check_allowed(vacancy, current_user, spec)
    except DocumentRefused:
        abort(403)
    return spec, member


def page_url(vacancy: Vacancy, spec: DocumentSpec) -> str:
    if spec.kind == "record":
        return url_for("packs.record", reference=vacancy.reference)
    return url_for("packs.pack", reference=vacancy.reference, candidate=spec.candidate or None,
                   member=spec.member_id or None)


def _document_state(vacancy: Vacancy, spec: DocumentSpec, fingerprint: str) -> dict[str, Any]:
    """The kept PDF and its state; an out-of-date one is made again (the data changed)."""
    doc = jobs.latest(vacancy, spec)
    state = jobs.state(doc, fingerprint)
    if state == "outdated":
        doc = jobs.request(vacancy, current_user, spec, fingerprint)
        state = jobs.state(doc, fingerprint)
        if state != "ready":
            flash("The data changed since the last PDF was made, so a new one is being made.", "info")
    urls = {}
    if doc is not None:
        urls = {"status_url": url_for("packs.status", reference=vacancy.reference, document_id=doc.id),
                "download_url": url_for("packs.download", reference=vacancy.reference, document_id=doc.id)}
    return {"doc": doc, "state": state, "spec": spec, "form": FinaliseForm(formdata=None), **urls}


@bp.get("/pack")
@vacancy_access("view")
def pack(vacancy: Vacancy):  # noqa: ANN201
    spec, member = _pack_spec(vacancy, request.args)
    variants = _variants(vacancy, spec)
    try:
        model = service.build(vacancy, spec)
    except DocumentRefused as refused:
        if "not_invited" in refused.codes:
            abort(404)
        return render_template("packs/pack.html", **_context(
            vacancy, refusals=_refusals(vacancy, refused), variants=variants, heading="Interview pack",
            member=member))
    return render_template("packs/pack.html", **_context(
        vacancy, pack=model, refusals=[], variants=variants, heading=model.heading, member=member,
        **_document_state(vacancy, spec, render.fingerprint(model))))


def _variants(vacancy: Vacancy, current: DocumentSpec) -> list[dict[str, Any]]:
    """The packs this person may open: the whole pack, each invited candidate's, their own copy
    and (for those who arrange interviews) each member's copy."""
    ref = vacancy.reference
    out = [{"text": "The whole panel pack", "href": url_for("packs.pack", reference=ref),
            "current": current == DocumentSpec("pack")}]
    for candidate, name in service.invited(vacancy):
        out.append({"text": f"Candidate {candidate}" + (f" ({name})" if name else "") + " only",
                    "href": url_for("packs.pack", reference=ref, candidate=candidate),
                    "current": current == DocumentSpec("pack", candidate)})
    members = vacancy.panel if can(current_user, "arrange", vacancy) else [
        m for m in vacancy.panel if m.user_id == current_user.id]
    for m in members:
        mine = m.user_id == current_user.id
        out.append({"text": "Your own copy" if mine else f"{m.user.name}'s copy",
                    "href": url_for("packs.pack", reference=ref, member=m.user_id),
                    "current": current == DocumentSpec("pack", "", m.user_id)})
    return out


def _generate(vacancy: Vacancy, spec: DocumentSpec):  # noqa: ANN202
    form = FinaliseForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        model = service.build(vacancy, spec)
    except DocumentRefused as refused:
        flash(" ".join(p.message for p in refused.problems), "info")
        return redirect(page_url(vacancy, spec))
    doc = jobs.request(vacancy, current_user, spec, render.fingerprint(model))
    if doc.status != "done":
        flash("The PDF is being made. You can stay on this page or come back to it later.", "success")
    return redirect(page_url(vacancy, spec) + "#document")


@bp.post("/pack")
@vacancy_access("view")
def generate_pack(vacancy: Vacancy):  # noqa: ANN201
    spec, _member = _pack_spec(vacancy, request.form)
    return _generate(vacancy, spec)


@bp.get("/shortlisting-record")
@vacancy_access("manage")
def record(vacancy: Vacancy):  # noqa: ANN201
    spec = service.record_spec(vacancy, current_user)
    model = service.build(vacancy, spec)
    _record_disability_view(vacancy, model, "shortlisting record")
    return render_template("packs/record.html", **_context(
        vacancy, record=model, **_document_state(vacancy, spec, render.fingerprint(model))))


@bp.post("/shortlisting-record")
@vacancy_access("manage")
def generate_record(vacancy: Vacancy):  # noqa: ANN201
    return _generate(vacancy, service.record_spec(vacancy, current_user))


def _record_disability_view(vacancy: Vacancy, model: Any, what: str) -> None:
    """An HR administrator's view of the record's disability information is audited (R10)."""
    seen = sight(vacancy, current_user)
    if sees_disability(seen):
        record_disability_view(vacancy.reference, current_user, seen, what,
                               (c.reference for c in model.candidates
                                if states_disability(r.code for r in c.reasons)))


@bp.get("/shortlisting-record.csv")
@vacancy_access("manage")
def record_csv(vacancy: Vacancy):  # noqa: ANN201
    text = service.record_csv(vacancy, current_user)
    return Response(text, mimetype="text/csv", headers={
        "Content-Disposition": attachment(service.filename(vacancy, DocumentSpec("record"), extension="csv"))})


@bp.get("/shortlisting-record-wide.csv")
@vacancy_access("manage")
def record_wide_csv(vacancy: Vacancy):  # noqa: ANN201
    """One row per candidate, a column per criterion (issue 19), streamed as it is written."""
    from flask import stream_with_context

    from shortlist.services import wide_record

    seen = sight(vacancy, current_user)
    name = f"shortlisting-record-wide-{vacancy.reference}.csv"
    return Response(stream_with_context(wide_record.stream(vacancy, seen, current_user)), mimetype="text/csv",
                    headers={"Content-Disposition": attachment(name)})


def _document(vacancy: Vacancy, document_id: int) -> tuple[GeneratedDocument, DocumentSpec]:
    doc = jobs.document(document_id)
    if doc is None or doc.vacancy_id != vacancy.id:
        abort(404)
    spec = jobs.spec_of(doc)
    try:
        service.check_allowed(vacancy, current_user, spec)
    except DocumentRefused:
        abort(403)
    return doc, spec


@bp.get("/documents/<int:document_id>/status")
@vacancy_access("view")
def status(vacancy: Vacancy, document_id: int):  # noqa: ANN201
    doc, _spec = _document(vacancy, document_id)
    state = doc.status if doc.status in ("done", "failed") or jobs.is_live(doc) else "failed"
    return jsonify({"status": state, "progress": doc.progress, "message": doc.message, "pages": doc.pages})


@bp.get("/documents/<int:document_id>.pdf")
@vacancy_access("view")
def download(vacancy: Vacancy, document_id: int):  # noqa: ANN201
    doc, spec = _document(vacancy, document_id)
    if doc.status != "done":
        return redirect(page_url(vacancy, spec))
    try:
        model = service.build(vacancy, spec)
    except DocumentRefused:
        return redirect(page_url(vacancy, spec))
    current = render.fingerprint(model)
    if doc.fingerprint != current:  # never serve an out-of-date file: make it again
        jobs.request(vacancy, current_user, spec, current)
        flash("The data changed since that PDF was made, so a new one is being made.", "info")
        return redirect(page_url(vacancy, spec) + "#document")
    service.record_downloaded(audit.Actor.of(current_user), vacancy, spec, "pdf", doc.id)
    body = jobs.content(doc)
    name = service.filename(vacancy, spec, users.by_id(spec.member_id) if spec.member_id else None)
    return Response(body, mimetype="application/pdf", headers={"Content-Disposition": attachment(name)})
