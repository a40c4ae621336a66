"""What the account tests share (access links, invitations; a plugin of tests/app_fixtures.py):
``panel_accounts``, the test vacancy whose chair and a member can sign in, with an HR
administrator; and ``events``, the audit trail read by action."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from shortlist.extensions import db
from shortlist.models import AuditEvent, Role
from tests.factories import CHAIR, HR, MEMBER, PASSWORD, campaign_dict, load, make_user


@pytest.fixture
def panel_accounts():
    """TST-01 loaded; its chair, a member and an HR administrator have passwords."""
    load(campaign_dict())
    make_user(CHAIR, Role.RECRUITING_MANAGER, "Chair Person", PASSWORD)
    make_user(MEMBER, Role.PANEL_MEMBER, "Member Person", PASSWORD)
    make_user(HR, Role.HR_ADMIN, "Hana HR", PASSWORD)


def events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq)))
