"""Build campaigns for tests through the real campaign parser and loader."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any


from shortlist import campaign_format as cf
from shortlist.extensions import db
from shortlist.models import Role, Vacancy
from shortlist.rules.vocabulary import ORGANISATION_ROLES
from shortlist.services import audit, organisations, users
from shortlist.services.campaigns import load_campaign

PASSWORD = "test-password-long-enough"

CHAIR = "chair@example.org"
MEMBER = "member@example.org"
OTHER = "other@example.org"
HR = "hr@example.org"


def campaign_dict(reference: str = "TST-01", **vacancy: Any) -> dict[str, Any]:
    """A small valid campaign: 3 criteria (E+S, E interview-only, D+S), a panel of three."""
    data: dict[str, Any] = {
        "vacancy": {
            "reference": reference,
            "title": "Family Therapist",
            "organisation": "Example Council",
            "department": "Children's Services",
            "grade": "P07",
            "closing_date": date(2026, 12, 15),
            # applications closed (early, for the tests: the closing date is not always past), so
            # the panel can work; a test of the open stage says status "open"
            "status": "shortlisting",
            "recruiting_manager": CHAIR,
            "dbs": {"level": "enhanced", "barred_lists": ["children"], "regulated_activity": True},
            "safeguarding_role": True,
            "disability_confident": {"offer_interview": True, "waiver_policy": False},
        },
        "criteria": [
            {"key": "K1", "category": "Knowledge", "text": "Knowledge of systemic therapy.",
             "essential": True, "methods": ["AF", "I"]},
            {"key": "C1", "category": "Communication", "text": "Communicates clearly in spoken English.",
             "essential": True, "methods": ["I"]},
            {"key": "D1", "category": "Experience", "text": "Experience of supervising students.",
             "essential": False, "methods": ["AF"]},
        ],
        "panel": [
            {"email": CHAIR, "name": "Chair Person", "role": "chair", "safer_recruitment_trained_on": date(2025, 3, 1)},
            {"email": MEMBER, "name": "Member Person", "role": "member", "safer_recruitment_trained_on": None},
            {"email": OTHER, "name": "Other Person", "role": "member", "safer_recruitment_trained_on": None},
        ],
        "applications": [
            {"reference": "A001", "name": "Applicant One", "email": "one@example.net",
             "evidence": {"K1": "I trained in systemic therapy.", "D1": "I supervised two students."},
             "employment_history": [{"from": "2018-09", "to": None, "employer": "Example NHS Trust", "role": "Therapist"}],
             "scores": {"shortlisting": {CHAIR: {"K1": 2, "D1": 1}, MEMBER: {"K1": 3, "D1": 2}}},
             "equality_monitoring": {"ethnicity": "Prefer not to say"},
             "criminal_record_declaration": {"unspent_convictions": False, "details": ""}},
        ],
    }
    data["vacancy"].update(vacancy)
    return copy.deepcopy(data)


def to_yaml(data: dict[str, Any]) -> str:
    return cf.dump(data)


def load(data: dict[str, Any], *, replace: bool = False) -> Vacancy:
    return load_campaign(cf.parse(to_yaml(data)), audit.CLI, filename="test.yaml", replace=replace)


#: the organisation campaign_dict's vacancies belong to (by name, as files written before codes did)
ORGANISATION = "Example Council"


def organisation(name: str = ORGANISATION) -> Any:
    """The organisation called ``name``, added (as a campaign file naming it would) if new."""
    found = organisations.for_campaign(name, audit.CLI)
    db.session.commit()
    return found


def make_user(email: str, role: Role | str = Role.PANEL_MEMBER, name: str | None = None,
              password: str | None = None, organisations_named: tuple[str, ...] = (ORGANISATION,),
              system_admin: bool | None = None) -> Any:
    """A user; an HR administrator, HR adviser or recruiting manager holds the role in each of
    ``organisations_named`` (Example Council unless said)."""
    held = [organisation(n) for n in organisations_named] if str(role) in ORGANISATION_ROLES else []
    return users.upsert_user(email, name or email.split("@")[0].title(), role, password, audit.CLI, held,
                             system_admin=system_admin)
