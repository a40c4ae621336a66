"""Every view declares who may use it, and the declared rules hold for every role."""

from __future__ import annotations

import pytest
from flask import Flask

from shortlist.models import Role
from tests.app_fixtures import login
from tests.factories import CHAIR, MEMBER, campaign_dict, load, make_user

# Endpoints that need no declaration: Flask's static files.
UNDECLARED_OK = {"static"}


def test_every_endpoint_declares_its_access_rule(app: Flask):
    missing = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in UNDECLARED_OK
        and not hasattr(app.view_functions[rule.endpoint], "access_rule")
    ]
    assert missing == [], f"views without an access rule: {missing}"


def test_an_undeclared_view_is_caught():
    """The check above is not vacuous: a view without a decorator has no rule."""
    from shortlist.permissions import public

    def bare():  # noqa: ANN202
        return ""

    assert not hasattr(bare, "access_rule")
    assert public(bare).access_rule == "public"


@pytest.fixture
def two_vacancies():
    load(campaign_dict("VAC-A"))
    other = campaign_dict("VAC-B")
    other["vacancy"]["recruiting_manager"] = "boss.b@example.org"
    other["panel"] = [{"email": "boss.b@example.org", "name": "Boss B", "role": "chair"},
                      {"email": "member.b@example.org", "name": "Member B", "role": "member"}]
    for app in other["applications"]:
        app["scores"] = {}
    load(other)
    make_user("hr@example.org", Role.HR_ADMIN)
    make_user("stranger@example.org", Role.PANEL_MEMBER)


# who -> (VAC-A page status, VAC-B page status)
MATRIX = [
    ("hr@example.org", 200, 200),
    (CHAIR, 200, 404),          # manager and chair of A only
    (MEMBER, 200, 404),         # panel member of A only
    ("member.b@example.org", 404, 200),
    ("stranger@example.org", 404, 404),
]


@pytest.mark.parametrize(("email", "a", "b"), MATRIX)
def test_vacancy_pages_by_relation(client, two_vacancies, email, a, b):
    login(client, email)
    assert client.get("/vacancies/VAC-A").status_code == a
    assert client.get("/vacancies/VAC-B").status_code == b
    listing = client.get("/vacancies").get_data(as_text=True)
    assert ("VAC-A" in listing) == (a == 200)
    assert ("VAC-B" in listing) == (b == 200)


def test_anonymous_is_sent_to_sign_in(client, two_vacancies):
    for path in ("/vacancies", "/vacancies/VAC-A", "/vacancies/NOPE"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/sign-in" in response.headers["Location"]


def test_unknown_vacancy_is_404_for_hr(client, two_vacancies):
    login(client, "hr@example.org")
    assert client.get("/vacancies/NOPE").status_code == 404
