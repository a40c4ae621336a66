"""A recruiting manager imports applications from a CSV file; a bad file names its line and saves nothing."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from shortlist.extensions import db
from shortlist.models import Application
from tests.browser.conftest import sign_in
from tests.factories import CHAIR, PASSWORD, campaign_dict, load, make_user


def count() -> int:
    db.session.remove()
    return db.session.scalar(select(func.count()).select_from(Application))


def test_manager_imports_a_csv_and_a_bad_one_changes_nothing(page: Page, axe_check, tmp_path: Path):
    load(campaign_dict())
    make_user(CHAIR, name="Chair Person", password=PASSWORD)
    sign_in(page, CHAIR, PASSWORD)
    page.goto("/vacancies/TST-01")
    page.get_by_role("link", name="Applications", exact=True).click()
    axe_check(page)
    page.get_by_role("link", name="Import from a CSV file").click()
    axe_check(page)

    bad = tmp_path / "bad.csv"
    bad.write_text("reference,name,email\nB001,Sam Taylor,sam@example.net\nB002,Ali Khan,not-an-email\n")
    page.get_by_label("Upload a CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Import applications").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Nothing was saved")
    expect(page.locator("#problems")).to_contain_text("line 3, column email")
    axe_check(page)
    assert count() == 1

    good = tmp_path / "good.csv"
    good.write_text("reference,name,email,K1\nB001,Sam Taylor,sam@example.net,Evidence\n"
                    "B002,Ali Khan,ali@example.net,More evidence\n")
    page.get_by_label("Upload a CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Import applications").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("2 applications imported")
    axe_check(page)
    assert count() == 3

    page.get_by_role("link", name="Add an application").click()
    axe_check(page)
