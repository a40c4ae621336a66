"""HR reads the reports (charts with their tables), opens an application's sealed data, places a
legal hold and exports a subject access request; every page passes axe."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from shortlist.models import Role
from tests.browser.conftest import sign_in
from tests.factories import HR, PASSWORD, campaign_dict, load, make_user
from tests.hr_helpers import app_spec, decide


def _data() -> None:
    data = campaign_dict("HRR-01")
    sexes = ["Female", "Male", "Prefer not to say"]
    data["applications"] = [
        app_spec(f"A{i:03d}", k1=(2, 3) if i % 4 else (1, 1), scheme=i % 3 == 0, sex=sexes[i % 3],
                 agreed={"shortlisting": {"K1": {"score": 2, "rationale": "Agreed at moderation"}}} if i % 2 else {},
                 criminal_record_declaration={"unspent_convictions": False, "details": ""})
        for i in range(1, 19)
    ]
    load(data)
    for i in range(1, 19):
        if i % 4:
            decide("HRR-01", f"A{i:03d}", "shortlisting", "invite" if i % 3 else "reserve",
                   reason="Ranked below the interview cap" if i % 3 == 0 else "Meets the criteria")
    make_user(HR, Role.HR_ADMIN, "Harriet Reid", PASSWORD)


def test_hr_reads_each_report_with_its_chart_and_table(page: Page, axe_check):
    _data()
    sign_in(page, HR, PASSWORD)
    page.get_by_role("link", name="HR", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    axe_check(page)

    page.get_by_role("link", name="Disability Confident compliance").click()
    expect(page.locator("#dc-table")).to_contain_text("HRR-01")
    expect(page.get_by_role("img", name="Disability Confident: scheme applicants by vacancy")).to_be_visible()
    expect(page.locator("#not-invited-table")).to_contain_text("Ranked below the interview cap")
    axe_check(page)

    page.get_by_role("link", name="All reports").click()
    page.get_by_role("link", name="Adverse impact by stage").click()
    page.get_by_label("Characteristic", exact=True).select_option("sex")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("img", name="Selection rates by sex at each stage")).to_be_visible()
    expect(page.locator("#step-shortlisted")).to_contain_text("Female")
    axe_check(page)

    page.get_by_role("link", name="All reports").click()
    page.get_by_role("link", name="Panel calibration").click()
    axe_check(page)
    page.get_by_role("link", name="HRR-01: Family Therapist").click()
    expect(page.locator("#distance-table")).to_contain_text("Member Person")
    expect(page.get_by_role("img", name="Scores given on each criterion, shortlisting")).to_be_visible()
    axe_check(page)


def test_hr_opens_sealed_data_places_a_hold_and_exports_subject_access(page: Page, axe_check):
    _data()
    sign_in(page, HR, PASSWORD)
    page.goto("/hr/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Data protection")
    axe_check(page)
    page.get_by_role("link", name="Family Therapist data protection").click()
    axe_check(page)

    page.get_by_role("button", name="Place the hold").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select what the hold covers")
    axe_check(page)
    page.get_by_label("What must be kept?").select_option("A003")
    page.get_by_label("Subject access request").check()
    page.get_by_label("Details").fill("Request received 4 January 2027")
    page.get_by_role("button", name="Place the hold").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Legal hold placed")
    expect(page.get_by_role("table", name="Legal holds")).to_contain_text("Application A003")
    axe_check(page)

    page.get_by_role("link", name="Open sealed data for A003").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sealed data: application A003")
    expect(page.locator("#equality ~ dl").first).to_contain_text("Female")
    axe_check(page)
    page.go_back()
    page.get_by_role("link", name="Subject access export for A003").click()
    axe_check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as PDF").click()
    assert download.value.suggested_filename == "subject-access-HRR-01-A003.pdf"

    page.goto("/audit/?action=sealed.viewed")
    expect(page.locator("table")).to_contain_text("application A003")
    axe_check(page)
