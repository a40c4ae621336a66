"""The audit log's only writer.

Every action is declared once, with the data keys it must carry, so a caller cannot
write a vague record. Rows are hash-chained: each row's hash covers its content and
the previous row's hash, so an edited, deleted or reordered row breaks the chain.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from shortlist.extensions import db
from shortlist.models import AuditEvent, AuditHead, User
from shortlist.models.base import utcnow

GENESIS = "0" * 64

# action -> keys its data must have
ACTIONS: dict[str, frozenset[str]] = {
    "campaign.loaded": frozenset({"file", "criteria", "applications", "panel", "replaced"}),
    "user.created": frozenset({"email", "role"}),
    "user.password_set": frozenset({"email"}),
    # organisations (issue 17): created by a system administrator (or a campaign file naming a new
    # employer, loaded by the operator); a person's roles in one, their account's status
    "organisation.created": frozenset({"code", "name", "email_domains", "retention_months"}),
    # whether its people may sign in with a password (false: those in its domains use its single sign-on)
    "organisation.sign_in_changed": frozenset({"code", "password_sign_in"}),
    "user.roles_changed": frozenset({"email", "before", "after"}),
    "user.invited": frozenset({"email", "roles"}),
    "user.deactivated": frozenset({"email", "sessions_ended"}),
    "user.reactivated": frozenset({"email"}),
    "access_link.issued": frozenset({"email", "purpose", "expires_at", "reset"}),
    # accounts (issue 17): "Forgot your password?" (outcome: sent, no_account, too_many), a wrong
    # second-factor code, and two-factor sign-in turned on, off, reset by the server, a
    # recovery code used (left: how many remain), or ten new recovery codes made by the person
    "auth.reset_requested": frozenset({"email", "outcome"}),
    "auth.code_failed": frozenset({"email"}),
    "two_factor.enabled": frozenset({"email", "recovery_codes"}),
    "two_factor.disabled": frozenset({"email"}),
    "two_factor.reset": frozenset({"email"}),
    "two_factor.recovery_code_used": frozenset({"email", "left"}),
    "two_factor.recovery_codes_renewed": frozenset({"email", "recovery_codes"}),
    "auth.login": frozenset({"email"}),
    "auth.login_failed": frozenset({"email"}),
    "auth.login_throttled": frozenset({"email"}),
    "auth.logout": frozenset({"email"}),
    # single sign-on (shortlist.services.sso): a provider account linked to a user at its first
    # sign-in (created: the account was made then), and a sign-in refused (reason: a short code)
    "auth.sso_linked": frozenset({"email", "organisation", "created"}),
    "auth.sso_refused": frozenset({"organisation", "reason"}),
    "campaign.exported": frozenset({"sealed_included"}),
    "applications.imported": frozenset({"file", "count", "references"}),
    "application.added": frozenset({"reference"}),
    "applications.closed": frozenset({"closing_date", "early", "reason", "applications"}),
    "vacancy.created": frozenset({"after"}),
    "vacancy.updated": frozenset({"section", "before", "after"}),
    "vacancy.scale_set": frozenset({"before", "after", "cleared_scores", "reopened_sheets", "after_scoring"}),
    "vacancy.published": frozenset({"warnings"}),
    "setup.task_marked": frozenset({"task", "completed"}),
    "criteria.saved": frozenset({"change", "before", "after", "cleared_scores", "reopened_sheets", "after_scoring",
                                 "facts"}),
    "spec.import_started": frozenset({"file", "proposed"}),
    "spec.import_discarded": frozenset({"file", "proposed"}),
    "panel.member_added": frozenset({"email", "role", "trained_on"}),
    "training.recorded": frozenset({"email", "before", "after", "reason"}),
    "panel.member_removed": frozenset({"email", "role", "reason", "submitted_sheets", "after_scoring"}),
    "questions.saved": frozenset({"before", "after"}),
    "conflicts.declared": frozenset({"phase", "applicants", "conflicts", "scores_excluded"}),
    "conflict.withdrawal_requested": frozenset({"declaration", "reason"}),
    "conflict.withdrawal_reviewed": frozenset({"declaration", "application", "decision", "requested_reason",
                                               "reason"}),
    "scores.saved": frozenset({"stage", "scores", "gap_marks"}),
    "scores.submitted": frozenset({"stage", "scores", "gap_marks"}),
    "adjustment.reviewed": frozenset({"stage", "reviews"}),
    "gap.marked": frozenset({"member", "marks", "recorded_for_member", "reason"}),
    "agreed.recorded": frozenset({"stage", "criterion", "before", "after", "member_scores"}),
    "decision.recorded": frozenset({"stage", "before", "outcome", "recommendation", "reasons", "reason",
                                    "override_reason"}),
    "shortlist.finalised": frozenset({"invited", "reserve", "rejected"}),
    "interview.arranged": frozenset({"before", "after"}),
    # self-booking: "by" is "candidate" (through their link) or "staff"; adjustments_stated says
    # whether the candidate wrote any, never what
    "interview.booked": frozenset({"before", "after", "by", "adjustments_stated"}),
    "interview.cancelled": frozenset({"before"}),
    "interview.time_published": frozenset({"after"}),
    "interview.time_removed": frozenset({"before"}),
    "interview.link_issued": frozenset({"replaced"}),
    "check.recorded": frozenset({"kind", "before", "after"}),
    "document.requested": frozenset({"kind", "candidate", "member", "document"}),
    "document.generated": frozenset({"kind", "format", "candidate", "member", "pages", "fingerprint", "output"}),
    "document.downloaded": frozenset({"kind", "format", "candidate", "member", "document"}),
    "cap.set": frozenset({"before", "after", "after_scoring", "approval"}),
    # sift pools (issue 19): the pool, each (re)allocation with its seed, a third reader
    "sift.pool_set": frozenset({"before", "after"}),
    "sift.allocated": frozenset({"reason", "seed", "applications", "added", "removed", "shortfalls", "loads"}),
    "sift.third_reader": frozenset({"application", "member"}),
    "positive_action.applied": frozenset({"preferred", "other", "totals", "characteristic", "evidence_reference",
                                          "rationale"}),
    # HR audit and data protection
    "audit.exported": frozenset({"filters", "rows"}),
    "report.exported": frozenset({"report", "filters", "rows"}),
    "sealed.viewed": frozenset({"application", "parts"}),
    "disability.viewed": frozenset({"what", "applications"}),
    "declarations.viewed": frozenset({"applications"}),
    "data_policy.updated": frozenset({"before", "after"}),
    "legal_hold.placed": frozenset({"hold", "kind", "target", "reason"}),
    "legal_hold.released": frozenset({"hold", "kind", "target", "reason"}),
    "declaration_grant.added": frozenset({"grant", "email", "reason"}),
    "declaration_grant.revoked": frozenset({"grant", "email"}),
    "retention.purged": frozenset({"applications", "removed", "kept_on_hold", "due"}),
    "retention.declaration_removed": frozenset({"application", "recorded_on", "dbs_level", "role",
                                                "decision", "decided_on"}),
    "subject_access.exported": frozenset({"applications", "format"}),
    # e-mail: the recipient named by a staff e-mail or a candidate's reference, never a candidate's address
    "message.queued": frozenset({"kind", "to", "message"}),
    "message.sent": frozenset({"kind", "to", "message", "attempts", "backend"}),
    "message.failed": frozenset({"kind", "to", "message", "attempts", "error"}),
    "message.uncertain": frozenset({"kind", "to", "message", "attempts", "error"}),
    "message.resent": frozenset({"kind", "to", "message", "previous_status"}),
    "message.cancelled": frozenset({"kind", "to", "message", "previous_status"}),
    "message.marked_sent": frozenset({"kind", "to", "message", "previous_status"}),
    "template.saved": frozenset({"kind", "organisation", "before", "after"}),
    "template.reset": frozenset({"kind", "organisation", "before"}),
    "preferences.updated": frozenset({"before", "after"}),
    "messaging.updated": frozenset({"before", "after"}),
    # integrations (issue 18): tokens HR makes and revokes, and every call an integration makes
    "api_token.created": frozenset({"token", "name", "organisation", "scopes"}),
    "api_token.revoked": frozenset({"token", "name", "organisation"}),
    "api.called": frozenset({"token", "method", "path", "status"}),
    "webhook.registered": frozenset({"webhook", "organisation", "url", "events"}),
    "webhook.removed": frozenset({"webhook", "organisation", "url"}),
    "webhook.replayed": frozenset({"delivery", "replay", "event"}),
    # an applicant's withdrawal, recorded by HR or by an integration (application.withdrawn's source)
    "application.withdrawn": frozenset({"reference", "reason"}),
    "import_profile.saved": frozenset({"organisation", "name", "before", "after"}),
}


#: the actions that are webhook events (shortlist.services.webhooks.SOURCES)
WEBHOOK_SOURCES = frozenset({"shortlist.finalised", "decision.recorded", "application.withdrawn"})


class UnknownAuditAction(ValueError):
    pass


@dataclass(frozen=True)
class Actor:
    """Who did it: a user, or the command line / system."""

    id: int | None
    label: str

    @classmethod
    def of(cls, user: User | None, fallback: str = "system") -> Actor:
        if user is None:
            return cls(None, fallback)
        return cls(user.id, user.email)


CLI = Actor(None, "cli")


def _canonical(event: AuditEvent) -> bytes:
    body = {
        "seq": event.seq,
        "occurred_at": event.occurred_at.isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor": event.actor,
        "action": event.action,
        "vacancy_reference": event.vacancy_reference,
        "subject": event.subject,
        "data": event.data,
        "prev_hash": event.prev_hash,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), default=str).encode()


def event_hash(event: AuditEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def record(
    actor: Actor,
    action: str,
    *,
    vacancy: str | None = None,
    organisation_id: int | None = None,
    subject: str = "",
    at: datetime | None = None,
    **data: Any,
) -> AuditEvent:
    """Append an audit event to the current transaction (the caller commits). An event about
    a vacancy names it (its organisation's HR read it); one about an organisation and no
    vacancy (a person's roles there) names the organisation's id."""
    required = ACTIONS.get(action)
    if required is None:
        raise UnknownAuditAction(f"undeclared audit action {action!r}")
    missing = required - data.keys()
    if missing:
        raise ValueError(f"audit action {action!r} needs {sorted(missing)}")
    head = db.session.execute(
        select(AuditHead).where(AuditHead.id == 1).with_for_update()
    ).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=1, seq=0, hash=GENESIS)
        db.session.add(head)
    event = AuditEvent(
        seq=head.seq + 1,
        occurred_at=at or utcnow(),
        actor_id=actor.id,
        actor=actor.label,
        action=action,
        vacancy_reference=vacancy,
        organisation_id=organisation_id,
        subject=subject,
        # the organisation is in the hashed data too: the column only indexes it (a downgrade that
        # drops the column leaves every row's hash as it was)
        data=json.loads(json.dumps({**data, "organisation_id": organisation_id} if organisation_id is not None
                                   else data, default=str)),
        prev_hash=head.hash,
    )
    event.hash = event_hash(event)
    head.seq = event.seq
    head.hash = event.hash
    db.session.add(event)
    if action in WEBHOOK_SOURCES:  # an event integrations hear about: its deliveries join this transaction
        from shortlist.services import webhooks

        webhooks.on_audit(action, vacancy, subject, event.data, event.occurred_at)
    return event


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    message: str


def verify() -> ChainBreak | None:
    """Walk the chain in order; return the first broken row, or None when intact."""
    prev = GENESIS
    expected_seq = 1
    for event in db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)):
        if event.seq != expected_seq:
            return ChainBreak(expected_seq, f"row {expected_seq} is missing (next row is {event.seq})")
        if event.prev_hash != prev:
            return ChainBreak(event.seq, f"row {event.seq} does not follow row {event.seq - 1}")
        if event_hash(event) != event.hash:
            return ChainBreak(event.seq, f"row {event.seq} was altered after it was written")
        prev = event.hash
        expected_seq += 1
    head = db.session.get(AuditHead, 1)
    if head is not None and head.seq != expected_seq - 1:
        return ChainBreak(expected_seq, f"the log ends at row {expected_seq - 1} but {head.seq} were written")
    return None


def count() -> int:
    """How many events the log holds."""
    return db.session.scalar(select(func.count()).select_from(AuditEvent)) or 0
