"""Setting a vacancy up safely (issue 14, finding 9), through the pages: nothing is completed
until someone says so, publishing is refused until the steps are confirmed, the DBS
decision made and the panel has a chair, and a regulated-activity role that is not a
safeguarding role needs a recorded reason. Every page is checked with axe."""

from __future__ import annotations

from datetime import date
from typing import Any

from playwright.sync_api import Page, expect

from shortlist.models import Role
from tests.browser.conftest import create_vacancy, sign_in
from tests.factories import CHAIR, PASSWORD, make_user


def group(page: Page, legend: str) -> Any:
    return page.get_by_role("group", name=legend)


def completed(page: Page) -> None:
    group(page, "Have you completed this section?").get_by_label("Yes, I’ve completed this section").check()


def status(page: Page, task: str) -> Any:
    return page.locator(".govuk-task-list__item", has_text=task).locator(".govuk-task-list__status")


def complete_setup(page: Page, axe_check: Any, title: str, *, dbs_level: str = "Enhanced",
                   barred: tuple[str, ...] = ("Children’s barred list",), regulated: bool = True,
                   safeguarding: bool = True, chair: tuple[str, str] = ("chair.person@example.org", "Cat Chair")) -> None:
    """From the task list, confirm every step a vacancy needs before it is published."""
    page.get_by_role("link", name="Vacancy details").click()
    completed(page)
    page.get_by_role("button", name="Save and continue").click()
    expect(status(page, "Vacancy details")).to_have_text("Completed")

    page.get_by_role("link", name="DBS, safeguarding and Disability Confident").click()
    group(page, "What level of DBS check does the role need?").get_by_label(dbs_level, exact=True).check()
    for name in barred:
        page.get_by_label(name).check()
    group(page, "Is the role regulated activity?").get_by_label("Yes" if regulated else "No").check()
    group(page, "Is this a safeguarding role?").get_by_label("Yes" if safeguarding else "No").check()
    completed(page)
    page.get_by_role("button", name="Save and continue").click()
    expect(status(page, "DBS, safeguarding and Disability Confident")).to_have_text("Completed")

    page.get_by_role("link", name="Scoring scale").click()
    completed(page)
    page.get_by_role("button", name="Save and continue").click()
    expect(status(page, "Scoring scale")).to_have_text("Completed")

    page.get_by_role("link", name="Panel").click()
    page.get_by_label("Email address").fill(chair[0])
    page.get_by_label("Full name").fill(chair[1])
    group(page, "Role on the panel").get_by_label("Chair").check()
    page.get_by_role("button", name="Add to panel").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"{chair[1]} added to the panel")
    axe_check(page)
    completed(page)
    page.get_by_role("button", name="Save and return to the set-up steps").click()
    expect(status(page, "Panel")).to_have_text("Completed")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Set up {title}")


def test_a_vacancy_is_published_only_once_each_step_is_confirmed(page: Page, axe_check):
    make_user(CHAIR, Role.RECRUITING_MANAGER, "Chair Person", PASSWORD)
    sign_in(page, CHAIR, PASSWORD)
    create_vacancy(page, "SAFE-01", "Residential Care Worker", "Example Council", "", 2, date(2027, 1, 15),
                   check=axe_check)
    # a new vacancy: nothing is completed, whatever its defaults say
    expect(status(page, "DBS, safeguarding and Disability Confident")).to_have_text("Incomplete")
    expect(page.locator("#tasks-completed")).to_contain_text("completed 0 of 6 steps")
    axe_check(page)

    page.get_by_role("link", name="Review and publish").click()
    page.wait_for_url("**/setup/publish")
    page.get_by_role("button", name="Publish the vacancy").click()
    refused = page.locator("#refused")
    expect(refused).to_contain_text("The panel needs a chair")
    expect(refused).to_contain_text("Decide the DBS check the role needs")
    axe_check(page)

    page.goto("/vacancies/SAFE-01/setup")
    page.get_by_role("link", name="Person specification").click()
    page.get_by_role("link", name="Add a criterion").click()
    page.get_by_label("Category").fill("Experience")
    page.get_by_label("Criterion").fill("Experience of caring for young people in a residential setting.")
    page.get_by_label("Essential", exact=True).check()
    page.get_by_label("Application form (AF)").check()
    group(page, "Is it used at shortlisting (the S mark)?").get_by_label("Yes").check()
    page.get_by_role("button", name="Save criterion").click()
    completed(page)
    page.get_by_role("button", name="Save and return to the set-up steps").click()
    expect(status(page, "Person specification")).to_have_text("Completed")

    # regulated activity, not a safeguarding role, no reason: refused on the step
    page.get_by_role("link", name="DBS, safeguarding and Disability Confident").click()
    group(page, "What level of DBS check does the role need?").get_by_label("Enhanced", exact=True).check()
    page.get_by_label("Children’s barred list").check()
    group(page, "Is the role regulated activity?").get_by_label("Yes").check()
    group(page, "Is this a safeguarding role?").get_by_label("No").check()
    completed(page)
    page.get_by_role("button", name="Save and continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("so it is a safeguarding role: mark it as one, or record why it is not")
    axe_check(page)
    page.goto("/vacancies/SAFE-01/setup")

    complete_setup(page, axe_check, "Residential Care Worker")
    expect(page.locator("#tasks-completed")).to_contain_text("completed 5 of 6 steps")
    page.get_by_role("link", name="Review and publish").click()
    page.get_by_role("button", name="Publish the vacancy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Residential Care Worker")
    expect(page.locator("#stage")).to_have_text("Stage 2 of 7: Open")
    axe_check(page)
