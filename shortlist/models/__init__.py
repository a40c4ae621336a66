"""All models, imported here so Alembic sees the whole schema, with the vocabulary their
CHECK constraints allow (spelled in shortlist/rules/vocabulary.py)."""

from shortlist.models.access import AccessLink
from shortlist.models.application import ApplicantDetails, Application, EmploymentSpell, Evidence
from shortlist.models.audit import AuditEvent, AuditHead
from shortlist.models.documents import GeneratedDocument
from shortlist.models.notifications import (
    MessageTemplate,
    NotificationPreference,
    OutboxMessage,
    ScheduledTask,
    VacancyMessaging,
)
from shortlist.models.integrations import ApiToken, ImportDraft, ImportProfile, WebhookDelivery, WebhookEndpoint
from shortlist.models.interview import InterviewInvitation, InterviewSlot, InterviewTime, PreEmploymentCheck
from shortlist.models.panel import ConflictDeclaration, PanelDeparture, PanelMembership
from shortlist.models.organisation import Organisation, OrganisationRole
from shortlist.models.pending import PendingForm
from shortlist.models.retention import (
    DataPolicy,
    DeclarationGrant,
    Erasure,
    LegalHold,
    ReportSnapshot,
)
from shortlist.models.scoring import (
    AdjustmentReview,
    AgreedScore,
    Decision,
    GapMark,
    PositiveAction,
    Score,
    ScoreSheet,
)
from shortlist.models.sealed import CriminalRecordDeclaration, EqualityMonitoring
from shortlist.models.security import LoginFailure, UserSession
from shortlist.models.sso import SsoAttempt, SsoIdentity
from shortlist.models.sift import ASSIGNMENT_PURPOSES, SiftAssignment, SiftPool, SiftPoolMember
from shortlist.models.user import Role, User
from shortlist.models.security import RecoveryCode, TwoFactor
from shortlist.rules.vocabulary import (
    ACCESS_LINK_PURPOSES,
    BARRED_LISTS,
    CHECK_KINDS,
    CHECK_STATUSES,
    DBS_LEVELS,
    DOCUMENT_KINDS,
    DOCUMENT_STATUSES,
    EQUALITY_KEYS,
    GAP_MARK_NAMES,
    LEGAL_HOLD_KINDS,
    MESSAGE_STATUSES,
    METHOD_NAMES,
    METHODS,
    PANEL_ROLE_NAMES,
    STAGES,
)
from shortlist.rules.vocabulary import VACANCY_STATUSES as STATUSES
from shortlist.models.vacancy import (
    Criterion,
    InterviewQuestion,
    SpecImportDraft,
    Vacancy,
)

__all__ = [
    "ASSIGNMENT_PURPOSES",
    "SiftAssignment",
    "SiftPool",
    "SiftPoolMember",
    "SsoAttempt",
    "SsoIdentity",
    "ACCESS_LINK_PURPOSES",
    "AccessLink",
    "BARRED_LISTS",
    "CHECK_KINDS",
    "CHECK_STATUSES",
    "DBS_LEVELS",
    "DOCUMENT_KINDS",
    "DOCUMENT_STATUSES",
    "EQUALITY_KEYS",
    "LEGAL_HOLD_KINDS",
    "GAP_MARK_NAMES",
    "METHODS",
    "METHOD_NAMES",
    "MESSAGE_STATUSES",
    "PANEL_ROLE_NAMES",
    "STAGES",
    "STATUSES",
    "AdjustmentReview",
    "ApiToken",
    "AgreedScore",
    "ApplicantDetails",
    "Application",
    "AuditEvent",
    "AuditHead",
    "ConflictDeclaration",
    "CriminalRecordDeclaration",
    "DataPolicy",
    "DeclarationGrant",
    "Criterion",
    "Decision",
    "EmploymentSpell",
    "GeneratedDocument",
    "ImportDraft",
    "ImportProfile",
    "Erasure",
    "EqualityMonitoring",
    "Evidence",
    "GapMark",
    "InterviewQuestion",
    "InterviewInvitation",
    "InterviewSlot",
    "InterviewTime",
    "LegalHold",
    "LoginFailure",
    "RecoveryCode",
    "TwoFactor",
    "MessageTemplate",
    "NotificationPreference",
    "Organisation",
    "OrganisationRole",
    "OutboxMessage",
    "PanelDeparture",
    "PanelMembership",
    "PendingForm",
    "PositiveAction",
    "PreEmploymentCheck",
    "ReportSnapshot",
    "Role",
    "ScheduledTask",
    "Score",
    "SpecImportDraft",
    "ScoreSheet",
    "User",
    "UserSession",
    "Vacancy",
    "VacancyMessaging",
    "WebhookDelivery",
    "WebhookEndpoint",
]
