"""Issue 14, finding 14, in Chromium: on the demo data, HR's audit log fits a 1024-pixel window
(no sideways scrolling), reads as words, and finds a vacancy typed in lower case."""

from __future__ import annotations

from playwright.sync_api import Browser, expect

from shortlist.cli import DEMO_PASSWORD
from tests.browser.conftest import sign_in


def test_the_audit_log_fits_the_window_and_ignores_case(browser: Browser, base_url: str, axe_check, demo_data):
    page = browser.new_context(base_url=base_url, viewport={"width": 1024, "height": 800}).new_page()
    sign_in(page, "hr@example.org", DEMO_PASSWORD)
    page.goto("/audit/?vacancy=bct-ap-01")
    rows = page.locator("table.app-audit-table tbody tr")
    expect(rows.first).to_contain_text("BCT-AP-01")
    axe_check(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the log scrolls sideways"
    what = page.locator("table.app-audit-table tbody tr td:last-child").all_inner_texts()
    assert what and not any("{'" in t or "': " in t for t in what)
