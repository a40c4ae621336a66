"""All models, imported here so Alembic sees the whole schema."""

from shortlist.models.access import ACCESS_LINK_PURPOSES, AccessLink
from shortlist.models.application import ApplicantDetails, Application, EmploymentSpell, Evidence
from shortlist.models.audit import AuditEvent, AuditHead
from shortlist.models.documents import DOCUMENT_KINDS, DOCUMENT_STATUSES, GeneratedDocument
from shortlist.models.notifications import (
    MESSAGE_STATUSES,
    MessageTemplate,
    NotificationPreference,
    OutboxMessage,
    ScheduledTask,
    VacancyMessaging,
)
from shortlist.models.interview import CHECK_KINDS, CHECK_STATUSES, InterviewSlot, PreEmploymentCheck
from shortlist.models.panel import PANEL_ROLES, ConflictDeclaration, PanelDeparture, PanelMembership
from shortlist.models.pending import PendingForm
from shortlist.models.retention import (
    LEGAL_HOLD_KINDS,
    DataPolicy,
    DeclarationGrant,
    Erasure,
    LegalHold,
    ReportSnapshot,
)
from shortlist.models.scoring import (
    GAP_MARK_CHOICES,
    STAGES,
    AdjustmentReview,
    AgreedScore,
    Decision,
    GapMark,
    PositiveAction,
    Score,
    ScoreSheet,
)
from shortlist.models.sealed import EQUALITY_KEYS, CriminalRecordDeclaration, EqualityMonitoring
from shortlist.models.security import LoginFailure, UserSession
from shortlist.models.user import Role, User
from shortlist.models.vacancy import (
    BARRED_LISTS,
    DBS_LEVELS,
    METHOD_NAMES,
    METHODS,
    STATUSES,
    Criterion,
    InterviewQuestion,
    SpecImportDraft,
    Vacancy,
)

__all__ = [
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
    "GAP_MARK_CHOICES",
    "METHODS",
    "METHOD_NAMES",
    "MESSAGE_STATUSES",
    "PANEL_ROLES",
    "STAGES",
    "STATUSES",
    "AdjustmentReview",
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
    "Erasure",
    "EqualityMonitoring",
    "Evidence",
    "GapMark",
    "InterviewQuestion",
    "InterviewSlot",
    "LegalHold",
    "LoginFailure",
    "MessageTemplate",
    "NotificationPreference",
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
]
