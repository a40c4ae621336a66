"""Security review finding 9: once scoring has started, the Disability Confident settings
are locked with the scale and the criteria. Only HR changes them, with a reason (audited);
a change that would take anyone's guaranteed interview away is refused, naming them, until
HR confirms it: a guaranteed candidate never silently becomes a rejectable one."""

from __future__ import annotations

from sqlalchemy import select

from shortlist.extensions import db
from shortlist.models import AuditEvent, Role, Vacancy
from shortlist.services.recommendations import recommend_vacancy
from tests.access_world import CHAIR_MANAGER, campaign_c
from tests.app_fixtures import login
from tests.factories import HR, load, make_user

URL = "/vacancies/VAC-C/setup/checks"


def form(**changes: str) -> dict[str, object]:
    data: dict[str, object] = {
        "dbs_level": "enhanced", "barred_lists": ["children"], "regulated_activity": "yes",
        "safeguarding_role": "yes", "customer_facing": "no", "offer_interview": "yes",
        "declaration_triggers_scheme": "no", "waiver_policy": "yes", "min_scorers": "2",
        "employment_gap_months": "6", "completed": "yes"}
    data.update(changes)
    return data


def vacancy() -> Vacancy:
    db.session.remove()
    row = db.session.scalar(select(Vacancy).where(Vacancy.reference == "VAC-C"))
    assert row is not None
    return row


def guaranteed() -> set[str]:
    return {r.reference for r in recommend_vacancy(vacancy()) if r.outcome.value == "guaranteed_interview"}


def test_scheme_settings_are_locked_once_scoring_starts(client, app):
    make_user(HR, Role.HR_ADMIN)
    load(campaign_c())
    assert guaranteed() == {"C001", "C002"}

    login(client, CHAIR_MANAGER)  # the recruiting manager
    page = client.post(URL, data=form(offer_interview="no")).get_data(as_text=True)
    assert "Scoring has started, so the Disability Confident settings are locked" in page
    assert vacancy().offer_interview and guaranteed() == {"C001", "C002"}

    login(client, HR)
    page = client.post(URL, data=form(offer_interview="no")).get_data(as_text=True)
    assert "Enter why the Disability Confident settings change after scoring started" in page
    assert "This change takes the guaranteed interview from C001: they could then be rejected" in page
    assert vacancy().offer_interview

    reason = "The advert did not offer the scheme: corrected with the Head of HR, 3 Dec."
    page = client.post(URL, data=form(offer_interview="no", change_reason=reason)).get_data(as_text=True)
    assert "This change takes the guaranteed interview from C001" in page and vacancy().offer_interview

    done = client.post(URL, data=form(offer_interview="no", change_reason=reason, confirm_lost="y"))
    assert done.status_code == 302
    assert not vacancy().offer_interview and guaranteed() == {"C002"}
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "vacancy.updated")
                               .order_by(AuditEvent.seq.desc())).first()
    assert event.data["reason"] == reason and event.data["guarantees_lost"] == ["C001"]
    assert event.data["after"]["offer_interview"] is False


def test_other_checks_stay_editable_and_unchanged_scheme_settings_need_no_reason(client, app):
    make_user(HR, Role.HR_ADMIN)
    load(campaign_c())
    login(client, CHAIR_MANAGER)
    assert client.post(URL, data=form(employment_gap_months="4")).status_code == 302
    assert vacancy().employment_gap_months == 4


def test_the_armed_forces_scheme_lock_names_the_armed_forces_scheme(client, app):
    """The Armed Forces Covenant switch is locked the same way, and its messages name it, not
    the Disability Confident settings."""
    make_user(HR, Role.HR_ADMIN)
    load(campaign_c())
    login(client, CHAIR_MANAGER)
    page = client.post(URL, data=form(armed_forces_scheme="yes")).get_data(as_text=True)
    assert ("Scoring has started, so the Armed Forces Covenant guaranteed interview setting are locked"
            not in page)
    assert "Scoring has started, so the Armed Forces Covenant guaranteed interview setting is locked" in page
    assert "Disability Confident settings" not in page
    assert not vacancy().armed_forces_scheme

    login(client, HR)
    page = client.post(URL, data=form(armed_forces_scheme="yes")).get_data(as_text=True)
    assert "Enter why the Armed Forces Covenant guaranteed interview setting changes after scoring started" in page
    page = client.post(URL, data=form(armed_forces_scheme="yes", offer_interview="no")).get_data(as_text=True)
    assert "Enter why the Disability Confident and Armed Forces Covenant settings change after scoring started" \
        in page
