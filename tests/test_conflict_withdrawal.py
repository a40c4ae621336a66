"""Security review finding 2: a declared conflict of interest is never withdrawn by the
member alone (they ask; HR or the chair reviews, with a reason; the declaration stays in
the record and the audit log), and before the shortlist is final the member's queue does
not say which reference belongs to a name they declared."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from shortlist.extensions import db
from shortlist.models import AuditEvent, ConflictDeclaration, Role, Vacancy
from shortlist.services.pack_data import build_record
from tests.app_fixtures import login
from tests.factories import CHAIR, HR, OTHER, campaign_dict, load, make_user

TWO = "Applicant Two"


@pytest.fixture
def vacancy(app):
    make_user(HR, Role.HR_ADMIN)
    data = campaign_dict()
    data["applications"].append({
        "reference": "A002", "name": TWO, "email": "two@example.net",
        "evidence": {"K1": "Systemic work.", "D1": "None."},
        "employment_history": [{"from": "2019-01", "to": None, "employer": "West Trust", "role": "Therapist"}]})
    load(data)
    return "TST-01"


def _tokens(client) -> dict[str, str]:  # noqa: ANN001
    page = client.get("/vacancies/TST-01/conflicts").get_data(as_text=True)
    return {name: token for token, name in re.findall(r'value="(\d+)"[^>]*>\s*<label[^>]*>\s*([^<(]+?)\s*<', page)}


def _declare(client, conflicted: dict[str, str]):  # noqa: ANN001
    """Post the conflicts form: every applicant answered, ``conflicted`` token -> details."""
    data = {"confirm": "y", "conflict": list(conflicted)}
    data.update({f"details-{t}": d for t, d in conflicted.items()})
    return client.post("/vacancies/TST-01/conflicts", data=data)


def _declaration() -> ConflictDeclaration:
    db.session.remove()
    row = db.session.scalar(select(ConflictDeclaration).where(ConflictDeclaration.details != ""))
    assert row is not None
    return row


def test_a_member_cannot_withdraw_a_declared_conflict_alone_nor_map_it_to_a_reference(client, vacancy):
    login(client, OTHER)
    tokens = _tokens(client)
    assert set(tokens) == {"Applicant One", TWO}
    assert _declare(client, {tokens[TWO]: "My neighbour."}).status_code == 302
    # the queue lists only what they score: no row says which reference is the declared name
    queue = client.get("/vacancies/TST-01/scoring").get_data(as_text=True)
    assert "Conflict declared" not in queue and "A002" not in queue and "A001" in queue
    assert client.get("/vacancies/TST-01/scoring/A002").status_code == 404  # as for no application at all

    # posting the form again without it is refused, naming the applicant, and changes nothing
    again = _declare(client, {})
    assert again.status_code == 200
    assert f"You declared a conflict of interest with {TWO}. Only HR or the chair can withdraw it" in \
        again.get_data(as_text=True)
    row = _declaration()
    assert row.conflict and row.details == "My neighbour."


def test_a_withdrawal_is_asked_for_then_reviewed_by_the_chair_with_reasons(client, vacancy):
    login(client, OTHER)
    tokens = _tokens(client)
    _declare(client, {tokens[TWO]: "My neighbour."})
    token = tokens[TWO]
    refused = client.post("/vacancies/TST-01/conflicts/withdrawal", data={"token": token})
    assert "Enter why the conflict should be withdrawn" in refused.get_data(as_text=True)
    asked = client.post("/vacancies/TST-01/conflicts/withdrawal",
                        data={"token": token, f"withdraw-reason-{token}": "I mixed them up with someone else."})
    assert asked.status_code == 302
    row = _declaration()
    assert row.conflict and row.withdrawal_reason == "I mixed them up with someone else."
    # the member cannot review their own request (moderation is the chair's and HR's)
    assert client.get("/vacancies/TST-01/conflicts/withdrawals").status_code == 403

    login(client, CHAIR)
    page = client.get("/vacancies/TST-01/conflicts/withdrawals").get_data(as_text=True)
    assert "My neighbour." in page and "I mixed them up" in page
    no_reason = client.post("/vacancies/TST-01/conflicts/withdrawals",
                            data={"declaration": str(row.id), f"decision-{row.id}": "withdraw"})
    assert "Enter the reason for your decision" in no_reason.get_data(as_text=True)
    assert _declaration().conflict
    done = client.post("/vacancies/TST-01/conflicts/withdrawals", data={
        "declaration": str(row.id), f"decision-{row.id}": "withdraw",
        f"review-reason-{row.id}": "Checked with the member: a different person."})
    assert done.status_code == 302
    row = _declaration()
    assert not row.conflict and row.details == "My neighbour." and row.withdrawn_by_id is not None
    actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq))]
    assert actions[-2:] == ["conflict.withdrawal_requested", "conflict.withdrawal_reviewed"]
    vacancy_row = db.session.scalar(select(Vacancy).where(Vacancy.reference == "TST-01"))
    record = build_record(vacancy_row)
    [withdrawn] = [w for c in record.candidates for w in c.withdrawn]
    assert "Other Person's declared conflict was withdrawn by Chair Person" in withdrawn
    assert "a different person" in withdrawn


def test_a_bad_declaration_number_is_a_400(client, vacancy):
    login(client, CHAIR)
    for bad in ("", "²", "9" * 30, "-1"):
        assert client.post("/vacancies/TST-01/conflicts/withdrawals", data={"declaration": bad}).status_code == 400
