"""Security review finding 14: HR's views of disability information (the candidates page's
claims and scheme members, the shortlisting record, the Disability Confident report's list
of scheme applicants) are recorded in the audit log as sealed views are; nobody else sees
the disability behind a waiver (R10)."""

from __future__ import annotations

from sqlalchemy import select

from shortlist.extensions import db
from shortlist.models import AuditEvent, Role
from tests.access_world import CHAIR_MANAGER, campaign_c
from tests.app_fixtures import login
from tests.factories import HR, load, make_user


def events(action: str) -> list[AuditEvent]:
    db.session.remove()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)))


def test_hr_views_of_disability_information_are_audited(client, app):
    make_user(HR, Role.HR_ADMIN)
    load(campaign_c())
    login(client, HR)
    page = client.get("/vacancies/VAC-C/candidates").get_data(as_text=True)
    assert "The applicant says they cannot meet" in page
    [event] = events("disability.viewed")
    assert event.actor == HR and event.vacancy_reference == "VAC-C"
    assert event.data == {"what": "candidates", "applications": ["C001", "C002"]}

    client.get("/vacancies/VAC-C/shortlisting-record")
    assert events("disability.viewed")[-1].data == {"what": "shortlisting record", "applications": ["C001", "C002"]}

    client.get("/hr/reports/disability-confident")
    assert events("disability.viewed")[-1].data["what"] == "disability confident report"


def test_the_manager_sees_what_happens_not_the_disability_and_is_not_logged(client, app):
    make_user(HR, Role.HR_ADMIN)
    load(campaign_c())
    # the recruiting manager alone, not on the panel: sees scores and the scheme, not disability
    from shortlist.extensions import db as _db
    from shortlist.models import PanelMembership, User

    chair = _db.session.scalar(select(User).where(User.email == CHAIR_MANAGER))
    _db.session.execute(PanelMembership.__table__.delete().where(PanelMembership.user_id == chair.id))
    _db.session.commit()
    login(client, CHAIR_MANAGER)
    page = client.get("/vacancies/VAC-C/candidates").get_data(as_text=True)
    assert "Guaranteed interview" in page and "independent score" in page
    assert "because of their disability" not in page
    assert "K1 is waived under the vacancy&#39;s waiver policy. HR holds the details." in page
    record = client.get("/vacancies/VAC-C/shortlisting-record").get_data(as_text=True)
    assert "because of their disability" not in record and "Waived (disability)" not in record
    assert "Waived (HR holds the details)" in record
    assert events("disability.viewed") == []


def test_every_reason_that_states_a_disability_is_hidden_from_all_but_hr():
    """A new engine reason that says 'because of their disability' must join the policy's
    DISABILITY_CODES (with a neutral message), or every page would show it to the panel."""
    import re
    from pathlib import Path

    from shortlist import rules
    from shortlist.permissions import _NEUTRAL, DISABILITY_CODES

    source = "\n".join(p.read_text() for p in Path(rules.__file__).parent.glob("*.py"))
    stating = {name for name, body in re.findall(r"Reason\(\s*codes\.(\w+),(.*?)\)", source, flags=re.S)
               if "disability" in body}
    assert stating, "the scan finds the engine's reasons"
    codes = {getattr(rules.codes, name) for name in stating}
    assert codes <= DISABILITY_CODES, sorted(codes - DISABILITY_CODES)
    assert DISABILITY_CODES <= _NEUTRAL.keys()
