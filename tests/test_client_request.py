"""One way to read pages in tests: ``client_request`` (tests/app_fixtures.py)."""

from __future__ import annotations

import pytest

from shortlist.models import Role
from tests.factories import HR, campaign_dict, load, make_user


def test_a_page_by_its_endpoint_parsed(client_request) -> None:  # noqa: ANN001
    make_user(HR, Role.HR_ADMIN, name="Hana HR")
    load(campaign_dict())
    page = client_request.login(HR).get("main.vacancies")
    assert "TST-01" in page.get_text()


def test_the_status_is_asserted(client_request) -> None:  # noqa: ANN001
    client_request.get("main.vacancies", _expected_status=302)
    with pytest.raises(AssertionError, match="GET /vacancies: 302"):
        client_request.get("main.vacancies")


def test_an_app_test_runs_inside_the_app() -> None:
    from flask import has_app_context

    assert has_app_context()
