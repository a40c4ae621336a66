"""Issue 16's "done": on the demo, HR finalising a shortlist puts the candidates' invitations in
the outbox viewer; a candidate opens the link from their invitation, books an interview time in
the browser, and the chair's interviews page shows it. axe passes on every page, the public
booking pages included."""

from __future__ import annotations

import re
from datetime import date, timedelta

from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from shortlist import campaign_format as cf
from shortlist.cli import DEMO_PASSWORD, seeds_dir
from shortlist.extensions import db
from shortlist.models import OutboxMessage
from shortlist.demo import load_people, load_ready_to_finalise
from tests.browser.conftest import sign_in, sign_out

VACANCY = "LBL-FFT-01"
CHAIR = "manager.lewisham@example.org"
LINK = re.compile(r"https?://[^\s\"<>]+/interview/[\w.\-]+")


def demo_at_finalising() -> None:
    """The demo's people, and the Lewisham campaign taken through the panel's steps as the demo
    takes Birmingham's (declarations, scores, agreed scores, HR's review, every decision
    recorded): its shortlist is ready for HR to finalise."""
    load_people(seeds_dir(), DEMO_PASSWORD)
    path = seeds_dir() / "lbl-fostering-family-therapist.yaml"
    load_ready_to_finalise(cf.parse(path.read_text(encoding="utf-8")), path.name)
    db.session.remove()


def test_hr_finalises_a_candidate_books_a_time_and_the_chair_sees_it(page: Page, axe_check, app: Flask,
                                                                       live_server: str, monkeypatch):
    monkeypatch.setitem(app.config, "SHORTLIST_BASE_URL", live_server)  # the links in e-mails
    demo_at_finalising()

    # HR finalises the shortlist
    sign_in(page, "hr@example.org", DEMO_PASSWORD)
    page.goto(f"/vacancies/{VACANCY}/decisions")
    page.get_by_role("button", name="Finalise the shortlist").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The shortlist is finalised")
    axe_check(page)

    # the invitations are in the outbox viewer
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="HR", exact=True).click()
    page.get_by_role("link", name="Outbox: every e-mail the service has written, and its delivery").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Outbox")
    invitations = page.locator("tbody tr", has_text="Invitation to interview")
    expect(invitations.first).to_be_visible()
    invited = invitations.count()
    assert invited >= 2
    expect(page.locator("tbody tr", has_text="Not shortlisted").first).to_be_visible()
    axe_check(page)
    row = invitations.first
    candidate = re.search(r"Candidate (A\d+)", row.inner_text()).group(1)
    row.locator("a").first.click()
    expect(page.locator("#message-html")).to_contain_text("We would like to invite you to an interview")
    axe_check(page)
    link = LINK.search(page.locator("#message-html").inner_html()).group(0)
    sign_out(page)

    # the chair publishes interview times
    sign_in(page, CHAIR, DEMO_PASSWORD)
    page.goto(f"/vacancies/{VACANCY}/interviews")
    page.get_by_role("link", name="Interview times candidates choose from").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Interview times")
    axe_check(page)
    day = date.today() + timedelta(days=14)
    for start in ("10:00", "11:30"):
        page.get_by_label("Day").fill(str(day.day))
        page.get_by_label("Month").fill(str(day.month))
        page.get_by_label("Year").fill(str(day.year))
        page.get_by_label("Start time").fill(start)
        page.get_by_label("Length in minutes").fill("60")
        page.get_by_label("Place or video link").fill("Laurence House, 1 Catford Road, London SE6 4RU, room 3")
        page.get_by_label("How many candidates").fill("1")
        page.get_by_role("button", name="Publish this time").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("The interview time is published")
    expect(page.locator("#times tr[data-time]")).to_have_count(2)
    axe_check(page)
    sign_out(page)

    # the candidate opens their link (not signed in) and books
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose your interview time")
    axe_check(page)
    page.get_by_role("button", name="Book this time").click()  # nothing chosen: the error summary
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select an interview time")
    axe_check(page)
    page.get_by_label(re.compile(r"at 11:30")).check()
    page.get_by_label("Do you need any adjustments for your interview? (optional)").fill(
        "A room near the lift, please")
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your interview")
    expect(page.locator("#your-interview")).to_contain_text("11:30")
    expect(page.locator("#your-interview")).to_contain_text("Laurence House, 1 Catford Road")
    expect(page.locator("#your-interview")).not_to_contain_text("<span")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your interview time is booked")
    axe_check(page)

    # a changed link gets a clear page
    page.goto(link[:-3] + ("xyz" if not link.endswith("xyz") else "abc"))
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")
    axe_check(page)

    # the chair's interviews page shows the booking and what the candidate asked for
    sign_in(page, CHAIR, DEMO_PASSWORD)
    page.goto(f"/vacancies/{VACANCY}/interviews")
    booked = page.locator(f"tr[data-reference={candidate}]")
    expect(booked).to_contain_text("11:30")
    expect(booked.locator("[data-booked]")).to_have_text("By the candidate")
    expect(booked.locator("[data-adjustments]")).to_contain_text("A room near the lift, please")
    expect(page.locator("#booking-summary")).to_contain_text(f"1 of {invited} invited")
    axe_check(page)
    db.session.remove()
    confirmed = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "interview_confirmed"))
    assert confirmed is not None and confirmed.calendar and b"METHOD:REQUEST" in confirmed.calendar
