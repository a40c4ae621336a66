"""Security review finding 5: a member added to the panel after the shortlist is final reads
no application before declaring: not a shortlisted one before answering about it, never one
that was not shortlisted (they were never asked about it)."""

from __future__ import annotations

from sqlalchemy import select

from shortlist.extensions import db
from shortlist.models import User, Vacancy
from shortlist.services import panel, vacancies
from tests import access_world
from tests.app_fixtures import login
from tests.factories import make_user

LATE = "late.joiner@example.org"


def test_a_member_added_after_finalising_declares_before_reading(client, app):
    access_world.build()
    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == "VAC-A"))
    hr = db.session.scalar(select(User).where(User.email == access_world.HR))
    make_user(LATE)
    vacancies.add_panel_member(vacancy, hr, email=LATE, name="Late Joiner", role="member")
    login(client, LATE)
    for ref in ("A001", "A003"):  # invited; not shortlisted
        response = client.get(f"/vacancies/VAC-A/scoring/{ref}?stage=shortlisting")
        assert response.status_code == 302 and "/conflicts" in response.headers["Location"], ref
        assert "systemic work" not in client.get(f"/vacancies/VAC-A/scoring/{ref}?stage=shortlisting",
                                                 follow_redirects=True).get_data(as_text=True)
    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == "VAC-A"))
    late = db.session.scalar(select(User).where(User.email == LATE))
    panel.declare_conflicts(vacancy, late, {a.token: ("no", "") for a in panel.applicants_for_declaration(vacancy, late)})
    assert client.get("/vacancies/VAC-A/scoring/A001?stage=shortlisting").status_code == 200
    # A003 was never shortlisted, so they were never asked about it and never read it
    assert client.get("/vacancies/VAC-A/scoring/A003?stage=shortlisting").status_code == 302
