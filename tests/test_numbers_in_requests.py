"""Security review finding 10: numbers in requests are read in one place
(shortlist/numbers.py): a superscript digit ("²", which passes str.isdigit() and fails
int()), a 30-digit number or text is a 400, a 404 or a form error naming the field, never
a 500."""

from __future__ import annotations

import pytest

from shortlist.numbers import NotANumber, as_int, whole_number
from tests import access_world
from tests.app_fixtures import login

BAD = ["²", "9" * 30, "1e3", "٣", " ", "-5", "0x10"]


@pytest.mark.parametrize("text", BAD)
def test_whole_number_refuses_anything_but_ascii_digits(text):
    with pytest.raises(NotANumber) as refused:
        whole_number(text, "the number of posts", minimum=0)
    assert "number of posts" in refused.value.message.lower()


def test_as_int_reads_only_plain_numbers():
    assert as_int("3") == 3 and as_int("-1") == -1 and as_int(" 12 ") == 12
    assert all(as_int(t) is None for t in ["²", "9" * 30, "1.0", "", None])


@pytest.fixture
def world(app):
    access_world.build()


@pytest.mark.parametrize("bad", BAD[:4])
def test_no_malformed_number_is_a_500(client, world, bad):
    login(client, access_world.CHAIR)
    statuses = {
        "pack member": client.get(f"/vacancies/VAC-A/pack?member={bad}").status_code,
        "agreed score": client.post("/vacancies/VAC-A/moderation/A002", data={
            "key": "K1", "agreed-K1": bad, "version": ""}).status_code,
        "version": client.post("/vacancies/VAC-A/moderation/A002", data={
            "key": "K1", "agreed-K1": "2", "version": bad}).status_code,
        "interview length": client.post("/vacancies/VAC-A/interviews/A002", data={
            "day-day": "10", "day-month": "12", "day-year": "2026", "time": "10:00", "duration": bad,
            "location": "Room 1"}).status_code,
        "document id": client.get(f"/vacancies/VAC-A/documents/{'9' * 30}.pdf").status_code,
    }
    assert 500 not in statuses.values(), statuses
    login(client, access_world.HR)
    assert client.get(f"/audit/?page={bad}").status_code == 400
    assert client.post(f"/hr/vacancies/VAC-A/grants/{'9' * 30}/revoke").status_code == 404
    login(client, access_world.MANAGER)
    cap = client.post("/vacancies/VAC-B/cap", data={"places": bad, "reason": "High volume"})
    assert cap.status_code in (200, 404)


def test_the_cap_names_the_field_for_a_bad_number(client, app):
    from tests.factories import CHAIR, campaign_dict, load

    load(campaign_dict())
    login(client, CHAIR)
    response = client.post("/vacancies/TST-01/cap", data={"places": "²", "reason": "High volume"})
    assert response.status_code == 200
    assert "The number of interview places must be a whole number" in response.get_data(as_text=True)
    response = client.post("/vacancies/TST-01/cap", data={"places": "9" * 30, "reason": "High volume"})
    assert "must be 9 digits or fewer" in response.get_data(as_text=True)
