"""Two panel members, each in their own browser, take a vacancy from shortlisting to
appointment: declare conflicts, score independently, moderate a divergence, fail to
reject a guaranteed candidate, finalise, schedule, score interviews, appoint. Every page
is checked for accessibility."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from shortlist.extensions import db
from shortlist.models import Role, User, Vacancy
from shortlist.services import panel
from tests.browser.conftest import sign_in
from tests.factories import CHAIR, MEMBER, OTHER, PASSWORD, load, make_user
from tests.test_panel import campaign


def other_member_scores() -> None:
    """The third member works through the same services, outside the browsers."""
    db.session.remove()
    vacancy = db.session.query(Vacancy).one()
    other = db.session.query(User).filter_by(email=OTHER).one()
    answers = {a.token: ("no", "") for a in panel.applicants_for_declaration(vacancy, other)}
    panel.declare_conflicts(vacancy, other, answers)
    for ref, values in {"A001": {"K1": "2", "D1": "1"}, "A002": {"K1": "2", "D1": "0"},
                        "A003": {"K1": "0", "D1": "0"}}.items():
        application = panel.application_by_reference(vacancy, ref)
        marks = {"2020-01": ("explore", "")} if ref == "A001" else {}
        panel.save_sheet(vacancy, application, other, "shortlisting", values, {}, marks, submit=True)
    db.session.remove()


def open_vacancy(page: Page) -> None:
    page.goto("/vacancies/TST-01")


def score(page: Page, axe_check, ref: str, values: dict[str, str], gap: str | None = None) -> None:
    page.goto(f"/vacancies/TST-01/scoring/{ref}")
    axe_check(page)
    for key, value in values.items():
        page.locator(f"input[name='score-{key}'][value='{value}']").check()
    if gap:
        page.locator(f"input[name='gap-2020-01'][value='{gap}']").check()
    page.get_by_role("button", name="Submit scores").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Your scores for {ref} are submitted")


def test_two_members_take_a_vacancy_from_shortlisting_to_appointment(browser: Browser, base_url: str, axe_check):
    load(campaign())
    make_user(CHAIR, Role.RECRUITING_MANAGER, "Chair Person", PASSWORD)
    make_user(MEMBER, Role.PANEL_MEMBER, "Member Person", PASSWORD)
    other_member_scores()

    member = browser.new_context(base_url=base_url).new_page()
    chair = browser.new_context(base_url=base_url).new_page()

    # The member declares a conflict (names only), then scores A001 first.
    sign_in(member, MEMBER, PASSWORD)
    open_vacancy(member)
    member.get_by_role("navigation", name="Vacancy sections").get_by_role("link", name="Scoring").click()
    expect(member).to_have_url(f"{base_url}/vacancies/TST-01/conflicts")
    axe_check(member)
    member.get_by_role("checkbox", name="Cara Cole").check()
    member.get_by_label("How do you know Cara Cole?").fill("She is my sister-in-law.")
    member.get_by_label("I have read every name above").check()
    member.get_by_role("button", name="Save declarations").click()
    # before the reveal the queue leaves the declared applicant out, saying nothing of its reference
    expect(member.locator("tr[data-reference=A001]")).to_be_visible()
    expect(member.locator("tr[data-reference=A003]")).to_have_count(0)
    axe_check(member)
    # a declared conflict is withdrawn only by HR or the chair, on the member's request
    member.goto("/vacancies/TST-01/conflicts")
    expect(member.locator("#withdraw")).to_have_text("Withdraw a conflict you declared")
    member.get_by_label("Why should your conflict with Cara Cole be withdrawn?").fill("I mixed her up with someone.")
    member.get_by_role("button", name="Ask for a review").click()
    expect(member.locator("#withdraw-1, #withdraw-2, #withdraw-3").filter(has_text="Cara Cole")).to_contain_text(
        "It stays in place until HR or the chair has reviewed your request")
    axe_check(member)
    score(member, axe_check, "A001", {"K1": "0", "D1": "1"}, gap="explore")
    expect(member.locator("table[data-others=K1]")).to_contain_text("Other Person")  # submitted: now visible

    # The chair reviews the request: the conflict stays, with the chair's reason.
    sign_in(chair, CHAIR, PASSWORD)
    chair.goto("/vacancies/TST-01/conflicts/withdrawals")
    expect(chair.locator("main")).to_contain_text("She is my sister-in-law.")
    axe_check(chair)
    chair.get_by_label("Keep the conflict").check()
    chair.get_by_label("Your reason").fill("A sister-in-law is a conflict whoever else it may be.")
    chair.get_by_role("button", name="Record the review").click()
    expect(chair.locator("#no-requests")).to_be_visible()
    axe_check(chair)

    # The chair cannot see the member's scores for A001 until submitting their own.
    chair.goto("/vacancies/TST-01/conflicts")
    chair.get_by_label("I have read every name above").check()
    chair.get_by_role("button", name="Save declarations").click()
    chair.goto("/vacancies/TST-01/scoring/A001")
    expect(chair.locator("main")).not_to_contain_text("Member Person")
    chair.goto("/vacancies/TST-01/moderation")
    axe_check(chair)
    expect(chair.locator("tr[data-reference=A001]")).to_contain_text("Submit your scores first")
    score(chair, axe_check, "A001", {"K1": "3", "D1": "1"}, gap="explained")
    expect(chair.locator("table[data-others=K1]")).to_contain_text("Member Person")

    # Moderation: the divergence on K1 is highlighted; the agreed score needs a rationale.
    chair.goto("/vacancies/TST-01/moderation")
    expect(chair.locator("tr[data-reference=A001] td[data-criterion=K1]")).to_have_attribute("data-divergent", "true")
    chair.locator("tr[data-reference=A001]").get_by_role("link", name="A001").click()
    axe_check(chair)
    section = chair.locator("#c-K1")
    expect(section).to_have_attribute("data-needs", "true")  # first, highlighted
    section.locator("input[name='agreed-K1'][value='2']").check()
    chair.get_by_role("button", name="Save agreed scores").first.click()
    expect(chair.locator(".govuk-error-summary")).to_contain_text("Give the rationale for the agreed score for K1")
    axe_check(chair)
    section = chair.locator("#c-K1")
    section.get_by_label("Rationale for K1").fill("Systemic practice evidenced, but thinly.")
    chair.get_by_role("button", name="Save agreed scores").first.click()
    expect(chair.locator("[data-agreed=K1]")).to_contain_text("Agreed score: 2")

    # Both score the rest: A002 is in the offer-an-interview scheme and meets the essentials.
    score(member, axe_check, "A002", {"K1": "2", "D1": "0"})
    score(chair, axe_check, "A002", {"K1": "3", "D1": "0"})
    score(chair, axe_check, "A003", {"K1": "1", "D1": "0"})

    # The chair tries to reject the guaranteed candidate: refused, with the rule's reason.
    chair.goto("/vacancies/TST-01/decisions")
    axe_check(chair)
    chair.locator("tr[data-reference=A002]").get_by_role("link", name="Decide").click()
    axe_check(chair)
    expect(chair.locator("main")).to_contain_text("Guaranteed interview")
    chair.get_by_label("Not shortlisted").check()
    chair.get_by_label("Reason for the decision").fill("Less experienced than the others.")
    chair.get_by_role("button", name="Confirm decision").click()
    expect(chair.locator(".govuk-error-summary")).to_contain_text("cannot be rejected by the panel")
    axe_check(chair)

    # The chair confirms the recommended decisions, then finalises.
    for ref in ("A001", "A002", "A003"):
        chair.goto(f"/vacancies/TST-01/decisions/{ref}")
        chair.get_by_role("button", name="Confirm decision").click()
        expect(chair.locator(".govuk-notification-banner")).to_contain_text(f"The decision for {ref} is recorded")
    expect(chair.locator("tr[data-reference=A003] [data-decision]")).to_have_attribute("data-decision", "reject")
    axe_check(chair)
    chair.get_by_role("button", name="Finalise the shortlist").click()
    expect(chair.locator(".govuk-notification-banner")).to_contain_text("The shortlist is finalised")
    axe_check(chair)

    # Names are revealed to the member, who is asked again about the shortlisted only.
    member.goto("/vacancies/TST-01/conflicts")
    expect(member.locator("main")).to_contain_text("Alice Adams (A001)")
    expect(member.locator("main")).not_to_contain_text("Cara Cole")
    axe_check(member)

    chair.goto("/vacancies/TST-01/conflicts")
    chair.get_by_label("I have read every name above").check()
    chair.get_by_role("button", name="Save declarations").click()
    member.get_by_label("I have read every name above").check()
    member.get_by_role("button", name="Save declarations").click()

    # Schedule: the chair arranges A002's interview and sees the adjustments to make.
    chair.goto("/vacancies/TST-01")
    chair.get_by_role("link", name="Interviews", exact=True).click()
    axe_check(chair)
    chair.locator("tr[data-reference=A002]").get_by_role("link", name="Arrange").click()
    axe_check(chair)
    chair.get_by_label("Day").fill("10")
    chair.get_by_label("Month").fill("12")
    chair.get_by_label("Year").fill("2026")
    chair.get_by_label("Start time").fill("10:30")
    chair.get_by_label("Place or video link").fill("Room 2, Civic Centre")
    chair.get_by_role("button", name="Save the interview").click()
    expect(chair.locator("tr[data-reference=A002]")).to_contain_text("10 December 2026, 10:30")
    with chair.expect_download() as download:
        chair.locator("tr[data-reference=A002]").get_by_role("link", name="Calendar file").click()
    assert download.value.suggested_filename == "interview-TST-01-A002.ics"

    # Interview scores, alone first, then the outcome: A002 is appointed.
    member.goto("/vacancies/TST-01/scoring?stage=interview")
    axe_check(member)
    for page, values in ((member, {"K1": "2", "C1": "2"}), (chair, {"K1": "3", "C1": "2"})):
        page.goto("/vacancies/TST-01/scoring/A002?stage=interview")
        axe_check(page)
        for key, value in values.items():
            page.locator(f"input[name='score-{key}'][value='{value}']").check()
        page.get_by_role("button", name="Submit scores").click()
        expect(page.locator(".govuk-notification-banner")).to_contain_text("Your scores for A002 are submitted")
    chair.goto("/vacancies/TST-01/outcomes")
    axe_check(chair)
    chair.locator("tr[data-reference=A002]").get_by_role("link", name="Decide").click()
    axe_check(chair)
    chair.get_by_label("Appoint (conditional offer)").check()
    chair.get_by_label("Reason for the outcome").fill("Met every essential criterion at interview.")
    chair.get_by_role("button", name="Record the outcome").click()
    expect(chair.locator("#existing")).to_contain_text("Appoint (conditional offer)")
    expect(chair.locator("#checks")).to_contain_text("Pre-employment checks")
    axe_check(chair)
