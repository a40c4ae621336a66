"""Issue 18's done-means: HR imports a Trac-style XLSX export through the mapping step, in the
browser: upload, a shipped profile matches the columns, the first rows and the count are shown
before anything is written, then the import; every page passes axe."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from shortlist.cli import DEMO_PASSWORD
from tests.app_fixtures import ROOT
from tests.browser.conftest import sign_in

SAMPLE = ROOT / "docs" / "intake" / "trac-style.xlsx"


def test_hr_imports_a_trac_style_xlsx_through_the_mapping_step(page: Page, axe_check, demo_data):
    sign_in(page, "hr@example.org", DEMO_PASSWORD)
    page.goto("/vacancies/KCC-ST-01/applications")
    page.get_by_role("link", name="Import another system’s export (CSV or XLSX)").click()
    page.wait_for_url("**/applications/from-export")
    axe_check(page)
    page.get_by_label("Upload the export").set_input_files(str(SAMPLE))
    page.get_by_role("button", name="Upload and map the columns").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Match the columns of trac-style.xlsx")
    page.get_by_label("Start from a profile").select_option("Trac-style export")
    page.get_by_role("button", name="Use this profile").click()
    expect(page.get_by_label("Name", exact=True)).to_have_value("Applicant Name")
    expect(page.get_by_label("Evidence for Q1:", exact=False)).to_have_value("Evidence: Q1")
    expect(page.locator("#preview")).to_contain_text("Amara Okoro")
    expect(page.locator("#ready")).to_contain_text("5 applications ready to import")
    axe_check(page)
    page.get_by_role("button", name="Import the applications").click()
    page.wait_for_url("**/vacancies/KCC-ST-01/applications/")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("5 applications imported from trac-style.xlsx")
    axe_check(page)
