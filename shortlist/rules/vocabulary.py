"""The domain's words, spelled once (issue 15.1).

Methods of assessment, DBS levels, barred lists, roles, stages, statuses, gap marks, equality
questions and the other closed lists the product uses. The rules engine, the models' CHECK
constraints, the campaign and CSV readers, the person-specification importer and the views
all import them from here; tests/test_vocabulary.py fails when a CHECK constraint or a
campaign enum differs, or a list is spelled again elsewhere.

Ordered tuples (the order pages and errors list them in); where a page names a value, a
mapping value -> name in the same order (iterating it gives the values).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

# ------------------------------------------------------------------ person specification

#: methods of assessment, in the order a specification lists them
METHOD_NAMES: Mapping[str, str] = MappingProxyType({
    "AF": "Application form",
    "Q": "Qualifications",
    "I": "Interview",
    "P": "Presentation",
    "E": "Exercise",
    "T": "Test",
    "R": "References",
})
METHODS: tuple[str, ...] = tuple(METHOD_NAMES)
#: methods whose evidence is on the application: a criterion assessed by one is shortlisted on
EVIDENCE_METHODS: frozenset[str] = frozenset({"AF", "Q"})
#: methods assessed at the interview stage
INTERVIEW_METHODS: frozenset[str] = frozenset({"I", "P", "E", "T"})

DEFAULT_DESCRIPTORS: Mapping[int, str] = MappingProxyType(
    {0: "No evidence", 1: "Limited evidence", 2: "Meets", 3: "Exceeds"})

# ------------------------------------------------------------------ DBS and safeguarding

DBS_LEVEL_NAMES: Mapping[str, str] = MappingProxyType({
    "none": "No DBS check",
    "basic": "Basic DBS check",
    "standard": "Standard DBS check",
    "enhanced": "Enhanced DBS check",
})
DBS_LEVELS: tuple[str, ...] = tuple(DBS_LEVEL_NAMES)
BARRED_LIST_NAMES: Mapping[str, str] = MappingProxyType(
    {"children": "Children’s barred list", "adults": "Adults’ barred list"})
BARRED_LISTS: tuple[str, ...] = tuple(BARRED_LIST_NAMES)

# ------------------------------------------------------------------ people

HR_ADMIN = "hr_admin"
USER_ROLES: tuple[str, ...] = (HR_ADMIN, "recruiting_manager", "panel_member")
PANEL_ROLE_NAMES: Mapping[str, str] = MappingProxyType(
    {"chair": "Chair", "member": "Member", "hr_adviser": "HR adviser"})
PANEL_ROLES: tuple[str, ...] = tuple(PANEL_ROLE_NAMES)
#: roles a person holds in an organisation (issue 17): its HR administrators see, act on and
#: audit its vacancies; its HR advisers see and audit them (an HR adviser's relation to every one
#: of its vacancies) without acting; its recruiting managers create vacancies for it. A person may
#: hold roles in several organisations (a shared HR service). Panel roles stay per vacancy.
ORGANISATION_ROLE_NAMES: Mapping[str, str] = MappingProxyType({
    HR_ADMIN: "HR administrator",
    "hr_adviser": "HR adviser",
    "recruiting_manager": "Recruiting manager",
})
ORGANISATION_ROLES: tuple[str, ...] = tuple(ORGANISATION_ROLE_NAMES)
#: panel roles that score (an HR adviser advises)
SCORING_ROLES: frozenset[str] = frozenset({"chair", "member"})

# ------------------------------------------------------------------ a vacancy's life

STAGES: tuple[str, ...] = ("shortlisting", "interview")
VACANCY_STATUSES: tuple[str, ...] = ("draft", "open", "shortlisting", "interview", "closed")
#: a vacancy at these statuses has closed its applications: only then may it hold the panel's work
CLOSED_STATUSES: tuple[str, ...] = ("shortlisting", "interview", "closed")

# ------------------------------------------------------------------ scoring

#: a shortlister's view of an employment gap (R20)
GAP_MARK_NAMES: Mapping[str, str] = MappingProxyType(
    {"explained": "Explained", "explore": "Explore at interview"})
GAP_MARKS: tuple[str, ...] = tuple(GAP_MARK_NAMES)

#: what a named person decides at each stage (R31)
DECISIONS: tuple[str, ...] = ("invite", "reserve", "reject")
INTERVIEW_DECISIONS: tuple[str, ...] = ("appoint", "reserve", "not_appointed")
#: shortlisting decisions a member added after the reveal may learn of
REVEALED_OUTCOMES: tuple[str, ...] = ("invite", "reserve")

#: HR's review of a claim that a disability stops an essential criterion being met (R6)
ADJUSTMENT_MET = "met_with_adjustment"
ADJUSTMENT_NOT_MET = "not_met"
ADJUSTMENT_OUTCOMES: tuple[str, ...] = (ADJUSTMENT_MET, ADJUSTMENT_NOT_MET)

# ------------------------------------------------------------------ sealed answers (R10)

EQUALITY_KEYS: tuple[str, ...] = (
    "age_band",
    "sex",
    "gender_identity_same_as_birth",
    "ethnicity",
    "religion",
    "sexual_orientation",
    "disability",
    "caring_responsibilities",
)

# ------------------------------------------------------------------ after the interview

#: pre-employment checks (R14, R24, R33): tracked after a conditional offer, never a score
CHECK_KINDS: Mapping[str, str] = MappingProxyType({
    "dbs": "DBS check at the vacancy's level and barred lists",
    "right_to_work": "Right to work",
    "references": "References",
    "qualifications": "Qualifications seen",
    "registration": "Professional registration seen",
})
CHECK_STATUSES: Mapping[str, str] = MappingProxyType(
    {"outstanding": "Outstanding", "satisfactory": "Satisfactory", "concern": "Concern raised"})

# ------------------------------------------------------------------ records and retention

DOCUMENT_KINDS: Mapping[str, str] = MappingProxyType(
    {"pack": "Interview pack", "record": "Shortlisting record"})
DOCUMENT_STATUSES: tuple[str, ...] = ("queued", "running", "done", "failed")

LEGAL_HOLD_KINDS: Mapping[str, str] = MappingProxyType({
    "claim": "Claim (for example, an employment tribunal)",
    "subject_access": "Subject access request",
    "complaint": "Complaint",
})

#: what a one-time link is for: set_password (made by HR or a manager and shown to them, for a
#: new account or a reset), invitation (e-mailed to a new account), password_reset (e-mailed to
#: whoever asked through "Forgot your password?")
ACCESS_LINK_PURPOSES: tuple[str, ...] = ("set_password", "invitation", "password_reset")
#: why an application is allocated to a sifter: to score it, or as a third reader for moderation
SIFT_PURPOSES: tuple[str, ...] = ("sift", "moderation")

# ------------------------------------------------------------------ e-mail

MESSAGE_STATUSES: Mapping[str, str] = MappingProxyType({
    "queued": "Waiting to be sent",
    "sending": "Sending",
    "sent": "Sent",
    "failed": "Not sent",
    "cancelled": "Cancelled",
    # a worker stopped while sending: it may or may not have gone, so it is never sent again
    # without a person checking first
    "uncertain": "Check whether it was sent",
})
MESSAGE_AUDIENCES: tuple[str, ...] = ("staff", "candidate")


def sql_in(column: str, values: Mapping[str, str] | tuple[str, ...]) -> str:
    """The CHECK constraint text allowing ``values`` in ``column``: "role IN ('a', 'b')"."""
    listed = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({listed})"
