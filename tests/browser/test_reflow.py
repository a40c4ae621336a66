"""At 390 CSS pixels wide (a phone), the vacancy list and the person specification tables
reflow: the page never scrolls sideways (WCAG 1.4.10). Every page is checked with axe."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from shortlist.models import Role
from tests.browser.conftest import sign_in
from tests.factories import CHAIR, PASSWORD, campaign_dict, load, make_user

WIDTH = 390

OVERFLOW = """() => {
  const doc = document.scrollingElement;
  // visually hidden text (a column header kept for screen readers) is clipped to nothing
  const clipped = e => { for (let n = e; n; n = n.parentElement) {
    if (getComputedStyle(n).clipPath === "inset(50%)") return true; } return false; };
  const wide = [...document.querySelectorAll("table, tr, td, th")]
    .filter(e => !clipped(e) && e.getBoundingClientRect().right > window.innerWidth + 1)
    .map(e => e.tagName + (e.id ? "#" + e.id : "") + " " + Math.round(e.getBoundingClientRect().right));
  return {scrollWidth: doc.scrollWidth, innerWidth: window.innerWidth, wide: wide.slice(0, 5)};
}"""


def assert_no_sideways_scroll(page: Page) -> None:
    result = page.evaluate(OVERFLOW)
    assert result["innerWidth"] == WIDTH
    assert result["scrollWidth"] <= WIDTH and not result["wide"], f"{page.url}: {result}"


def test_at_390_pixels_lists_and_criteria_tables_do_not_scroll_sideways(page: Page, axe_check):
    data = campaign_dict(title="Senior Fostering and Kinship Family Therapist (Systemic Practice)",
                         organisation="London Borough of Lewisham Children's Social Care")
    data["criteria"][0]["text"] = ("Post-qualification experience of delivering systemic family therapy "
                                   "interventions (AFT/UKCP-accredited) with looked-after children.")
    load(data)
    load(campaign_dict("TST-02-LONGER-REFERENCE"))
    make_user(CHAIR, Role.RECRUITING_MANAGER, "Chair Person", PASSWORD)
    page.set_viewport_size({"width": WIDTH, "height": 844})
    sign_in(page, CHAIR, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Vacancies")
    assert_no_sideways_scroll(page)
    axe_check(page)
    # each vacancy's facts are still labelled on a narrow screen
    expect(page.locator("tbody tr").first).to_contain_text("Closing date")

    page.get_by_role("link", name=data["vacancy"]["title"]).click()
    expect(page.locator("#criterion-K1")).to_contain_text("looked-after children")
    assert_no_sideways_scroll(page)
    axe_check(page)

    page.goto("/vacancies/TST-01/setup/criteria")
    expect(page.locator("#criterion-K1")).to_contain_text("looked-after children")
    assert_no_sideways_scroll(page)
    axe_check(page)
