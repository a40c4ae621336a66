"""The load test's data: one vacancy, LOAD-1, with a chair and 50 panel members who have
each declared their conflicts (none), 40 anonymised applications of 5 criteria, and a
password for everyone. Run against the database the server will use:

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/shortlist_load python -m bench.load.setup_data
"""

from __future__ import annotations

import os
import sys
from datetime import date, timedelta

from sqlalchemy import select

MEMBERS = int(os.environ.get("LOAD_MEMBERS", "50"))
APPLICATIONS = int(os.environ.get("LOAD_APPLICATIONS", "40"))
PASSWORD = os.environ.get("LOAD_PASSWORD", "load-test-passphrase-2026")
REFERENCE = "LOAD-1"
CHAIR = "load.chair@example.org"


def member(i: int) -> str:
    return f"load.member{i:02d}@example.org"


def campaign() -> dict:
    keys = ["K1", "K2", "E1", "E2", "D1"]
    return {
        "vacancy": {
            "reference": REFERENCE, "title": "Family Therapist", "organisation": "Load Test Council",
            "department": "Children's Services", "grade": "P07",
            "closing_date": date.today() - timedelta(days=1), "recruiting_manager": CHAIR,
            "dbs": {"level": "enhanced", "barred_lists": ["children"], "regulated_activity": True},
            "safeguarding_role": True, "min_scorers": 2,
            "disability_confident": {"offer_interview": True, "waiver_policy": False},
        },
        "criteria": [
            {"key": k, "category": "Knowledge" if k.startswith("K") else "Experience",
             "text": f"Criterion {k}: evidence of the practice the role needs, described in the application.",
             "essential": not k.startswith("D"), "methods": ["AF", "I"]}
            for k in keys],
        "panel": [{"email": CHAIR, "name": "Load Chair", "role": "chair",
                   "safer_recruitment_trained_on": date.today() - timedelta(days=90)}] + [
            {"email": member(i), "name": f"Load Member {i}", "role": "member", "safer_recruitment_trained_on": None}
            for i in range(1, MEMBERS + 1)],
        "applications": [
            {"reference": f"L{n:04d}", "name": f"Applicant {n}", "email": f"applicant{n}@example.net",
             "evidence": {k: f"Applicant {n}'s evidence for {k}: " + "a paragraph of experience. " * 12 for k in keys},
             "employment_history": [{"from": "2015-01", "to": None, "employer": "A Trust", "role": "Therapist"}]}
            for n in range(1, APPLICATIONS + 1)],
    }


def main() -> int:
    from shortlist import campaign_format as cf
    from shortlist import create_app
    from shortlist.extensions import db
    from shortlist.models import Role, User, Vacancy
    from shortlist.services import audit, panel, users
    from shortlist.services.campaigns import load_campaign

    app = create_app()
    with app.app_context():
        load_campaign(cf.parse(cf.dump(campaign())), audit.CLI, filename="load.yaml",
                      replace=True)
        people = [CHAIR] + [member(i) for i in range(1, MEMBERS + 1)]
        hashed = users.make_hash(PASSWORD)  # one hash for all: the same password, set once
        for email in people:
            user = db.session.scalar(select(User).where(User.email == email))
            user.password_hash = hashed
        db.session.commit()
        vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == REFERENCE))
        for email in people:
            user = db.session.scalar(select(User).where(User.email == email))
            panel.declare_conflicts(vacancy, user, {
                a.token: ("no", "") for a in panel.applicants_for_declaration(vacancy, user)})
        assert Role.PANEL_MEMBER
        print(f"{REFERENCE}: {len(people)} people, {APPLICATIONS} applications; password {PASSWORD!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
