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
