"""Interview packs and the shortlisting record: who may have which, the gates (R18, R23),
building the model, and producing a file synchronously (the command line) or describing
one for a background job (`shortlist.services.jobs`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from shortlist import rules
from shortlist.rules.vocabulary import DOCUMENT_KINDS
from shortlist.extensions import db
from shortlist.models import ApplicantDetails, Application, User, Vacancy
from shortlist.packs import render
from shortlist.packs.model import InterviewPack, ShortlistingRecord
from shortlist.packs.record_csv import record_csv as record_csv_text
from shortlist.permissions import can, is_restricted
from shortlist.services import audit, pack_data
from shortlist.services.panel import membership
from shortlist.services.refusals import DocumentRefused, Problem
from shortlist.services.recommendations import refresh_years, vacancy_from_model
from shortlist.services.sight import sight
from shortlist.services.transactions import transaction

KINDS = tuple(DOCUMENT_KINDS)


@dataclass(frozen=True)
class DocumentSpec:
    """Which document: the pack (all invited candidates, or one; the panel's copy or one
    member's) or the shortlisting record."""

    kind: str = "pack"
    candidate: str = ""
    member_id: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown document kind {self.kind!r}")

    @property
    def variant(self) -> str:
        if self.kind == "record":
            return "record"
        return "member" if self.member_id else ("candidate" if self.candidate else "panel")


def gate(vacancy: Vacancy, today: date | None = None) -> list[rules.Reason]:
    """The rules' refusals for the vacancy's interview pack (empty: it may be produced)."""
    questions = [(q.criterion.key, q.text) for q in vacancy.questions]
    return rules.check_pack(vacancy_from_model(vacancy), vacancy.names_revealed,
                            len(pack_data.invited_references(vacancy)) if vacancy.names_revealed else 0,
                            questions, today or date.today(), refresh_years())


def invited(vacancy: Vacancy) -> list[tuple[str, str]]:
    """(reference, name) of every candidate invited to interview, once the shortlist is final."""
    if not vacancy.names_revealed:
        return []
    refs = pack_data.invited_references(vacancy)
    names = dict(db.session.execute(
        select(Application.reference, ApplicantDetails.name)
        .join(ApplicantDetails, ApplicantDetails.application_id == Application.id)
        .where(Application.vacancy_id == vacancy.id, Application.reference.in_(refs))).all())
    return [(ref, names.get(ref, "")) for ref in refs]


def member_for(vacancy: Vacancy, email_or_id: str | int | None) -> User | None:
    if email_or_id in (None, ""):
        return None
    query = select(User).where(User.id == email_or_id) if isinstance(email_or_id, int) else \
        select(User).where(User.email == str(email_or_id).strip().lower())
    user = db.session.scalar(query)
    if user is None or membership(vacancy, user) is None:
        raise DocumentRefused.one("not_on_panel", f"{email_or_id} is not on this vacancy's panel, so there is no copy for "
                      "them. Choose a member of the panel.")
    return user


def check_allowed(vacancy: Vacancy, user: User | None, spec: DocumentSpec) -> None:
    """Access follows the data: a pack for the vacancy's panel, its manager and HR; a
    member's copy for that member (or those who arrange the interviews); the record for HR
    and the recruiting manager. ``user`` None is the command line (the operator)."""
    if user is None:
        return
    if spec.kind == "record":
        if not can(user, "manage", vacancy):
            raise DocumentRefused.one("not_allowed", "Only HR and the vacancy's recruiting manager see the shortlisting record.")
        if spec != record_spec(vacancy, user):
            raise DocumentRefused.one("not_your_copy", "The shortlisting record shows each reader what the access policy lets "
                          "them see: open your own copy from the vacancy's page.")
        return
    if not can(user, "view", vacancy):
        raise DocumentRefused.one("not_allowed", "Only the vacancy's panel, its recruiting manager and HR see its interview pack.")
    # A member's own copy marks the candidates they declared a conflict with instead of
    # showing them (R30), so members get that copy and no other.
    if spec.member_id != user.id and not can(user, "arrange", vacancy):
        raise DocumentRefused.one("not_your_copy", "A panel member's own copy is for them; the chair, the recruiting manager "
                      "and HR may make copies for the whole panel.")


def build(vacancy: Vacancy, spec: DocumentSpec, today: date | None = None) -> InterviewPack | ShortlistingRecord:
    """The document's model, or DocumentRefused with the rules' reasons."""
    if spec.kind == "record":
        reader = db.session.get(User, spec.member_id) if spec.member_id else None
        if spec.member_id and reader is None:
            raise DocumentRefused.one("not_allowed", "That person no longer has an account, so there is no copy for them.")
        return pack_data.build_record(vacancy, today, sight(vacancy, reader))
    refusals = gate(vacancy, today)
    if refusals:
        raise DocumentRefused(Problem(r.code, r.message) for r in refusals)
    member = db.session.get(User, spec.member_id) if spec.member_id else None
    if spec.member_id and (member is None or membership(vacancy, member) is None):
        raise DocumentRefused.one("not_on_panel", "That person is not on this vacancy's panel.")
    try:
        return pack_data.build_pack(vacancy, spec.candidate or None, member, today)
    except pack_data.NotInvited:
        raise DocumentRefused.one("not_invited", f"{spec.candidate} was not invited to interview, so there is no pack for them. "
                      "Choose an invited candidate.") from None


def html(model: InterviewPack | ShortlistingRecord) -> str:
    if isinstance(model, InterviewPack):
        return render.pack_document(model)
    return render.record_document(model)


def estimate_pages(model: InterviewPack | ShortlistingRecord) -> int:
    if isinstance(model, InterviewPack):
        return render.estimate_pages(model)
    return render.estimate_record_pages(model)


def filename(vacancy: Vacancy, spec: DocumentSpec, member: User | None = None, extension: str = "pdf") -> str:
    if spec.kind == "record":
        return f"shortlisting-record-{vacancy.reference}.{extension}"
    parts = ["interview-pack", vacancy.reference]
    if spec.candidate:
        parts.append(spec.candidate)
    if member is not None:
        parts.append("copy-" + "-".join(member.name.lower().split()))
    return "-".join(parts) + f".{extension}"


def record_generated(actor: audit.Actor, vacancy: Vacancy, spec: DocumentSpec, pages: int, fingerprint: str,
                     output: str = "") -> None:
    """Add the audit event for a produced PDF to the current transaction."""
    audit.record(actor, "document.generated", vacancy=vacancy.reference,
                 subject=f"{spec.kind} {spec.candidate or 'all'}", kind=spec.kind, format="pdf",
                 candidate=spec.candidate or None, member=spec.member_id, pages=pages, fingerprint=fingerprint,
                 output=output)


def record_downloaded(actor: audit.Actor, vacancy: Vacancy, spec: DocumentSpec, file_format: str,
                      document: int | None) -> None:
    with transaction():
        audit.record(actor, "document.downloaded", vacancy=vacancy.reference,
                     subject=f"{spec.kind} {spec.candidate or 'all'}", kind=spec.kind, format=file_format,
                     candidate=spec.candidate or None, member=spec.member_id, document=document)


def generate(vacancy: Vacancy, spec: DocumentSpec, actor: audit.Actor, *, output: str = "",
             on_progress: Callable[[int, int], None] | None = None, today: date | None = None) -> tuple[bytes, int]:
    """Produce the PDF now (the command line): the bytes and the page count. ``on_progress``
    gets (pages laid out, pages expected) as WeasyPrint works."""
    model = build(vacancy, spec, today)
    document = html(model)
    expected = estimate_pages(model)
    pdf, pages = render.to_pdf(document, (lambda n: on_progress(n, max(n, expected))) if on_progress else None)
    with transaction():
        record_generated(actor, vacancy, spec, pages, render.fingerprint(model), output)
    return pdf, pages


def record_spec(vacancy: Vacancy, user: User | None) -> DocumentSpec:
    """The shortlisting record this person reads: the whole record for HR administrators
    (and the command line), else a copy of their own (``member_id``: theirs) built for what
    the access policy lets them see (a manager who chairs and has not scored sees no scores)."""
    if user is None or not is_restricted(sight(vacancy, user)):
        return DocumentSpec("record")
    return DocumentSpec("record", member_id=user.id)


def record_csv(vacancy: Vacancy, user: User | None, today: date | None = None) -> str:
    """The shortlisting record as CSV (small, so made at once), as ``user`` may see it (None:
    the command line); the export is audited."""
    spec = record_spec(vacancy, user)
    model = build(vacancy, spec, today)
    text = record_csv_text(model)  # type: ignore[arg-type]
    record_downloaded(audit.Actor.of(user, "cli"), vacancy, spec, "csv", None)
    return text
