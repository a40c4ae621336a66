"""HR reads the outbox in the browser: the list, a message as its recipient sees it, and a
failed one sent again; every page passes axe."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from sqlalchemy import select, update

from shortlist.extensions import db
from shortlist.messages import catalogue
from shortlist.models import OutboxMessage, Role
from shortlist.services import audit, outbox
from tests.browser.conftest import sign_in
from tests.factories import HR, PASSWORD, make_user


def test_hr_reads_a_message_and_sends_a_failed_one_again(page: Page, axe_check):
    make_user(HR, Role.HR_ADMIN, "Harriet Reid", PASSWORD)
    person = make_user("priya@example.org", name="Priya Shah")
    ids = []
    for kind in ("scoring_open", "scoring_reminder"):
        context = catalogue.sample_context(catalogue.kind(kind)) | {"name": person.name}
        ids.append(outbox.queue(kind, outbox.to_user(person), context, actor=audit.CLI,
                                organisation="Example Council"))
    db.session.commit()
    outbox.deliver(ids[0])
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id == ids[1]).values(
        status="failed", attempts=1, last_error="The mail server refused the recipient's address (SMTP 550 5.1.1)"))
    db.session.commit()

    sign_in(page, HR, PASSWORD)
    page.get_by_role("link", name="HR", exact=True).click()
    page.get_by_role("link", name="Outbox: every e-mail the service has written, and its delivery").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Outbox")
    expect(page.locator(f"#message-{ids[1]}")).to_contain_text("(SMTP 550 5.1.1)")
    axe_check(page)

    page.locator(f"#message-{ids[0]} a").click()
    expect(page.locator("#message-html")).to_contain_text("Dear Priya Shah,")
    expect(page.locator("#message-facts")).to_contain_text("Sent")
    axe_check(page)

    page.get_by_role("link", name="Outbox").click()
    page.locator(f"#message-{ids[1]} a").click()
    expect(page.locator("#message-facts")).to_contain_text("SMTP 550 5.1.1")
    page.get_by_role("button", name="Send it again").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("queued to be sent again")
    axe_check(page)
    db.session.remove()
    assert db.session.scalar(select(OutboxMessage.status).where(OutboxMessage.id == ids[1])) == "queued"


def test_hr_words_a_message_and_a_member_switches_reminders_off(page: Page, axe_check):
    from tests.factories import CHAIR, campaign_dict, load

    make_user(HR, Role.HR_ADMIN, "Harriet Reid", PASSWORD)
    load(campaign_dict())
    make_user(CHAIR, Role.RECRUITING_MANAGER, "Chair Person", PASSWORD)
    sign_in(page, HR, PASSWORD)
    page.get_by_role("link", name="HR", exact=True).click()
    page.get_by_role("link", name="Wording of messages, per organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wording of messages")
    axe_check(page)
    page.get_by_role("link", name="Scoring reminder").click()
    page.get_by_label("Subject").fill("Scores due: ((vacancy_title)) by ((deadline))")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("((deadline)), which is not a placeholder")
    axe_check(page)
    page.get_by_label("Subject").fill("Scores due: ((vacancy_title)) by ((scoring_deadline))")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#preview")).to_contain_text("Scores due: Family Therapist by Friday 11 December 2026")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#kind-scoring_reminder")).to_contain_text("Changed")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, CHAIR, PASSWORD)
    page.get_by_role("link", name="Your e-mail").click()
    page.get_by_label("No, do not send me reminders").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Reminders are off")
    axe_check(page)
    page.goto("/vacancies/TST-01/setup/messages")
    expect(page.get_by_role("heading", level=1)).to_have_text("Messages and interview arrangements")
    axe_check(page)
