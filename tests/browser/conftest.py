"""Browser tests: the app served on a local port, driven by Playwright in Debian's Chromium,
with an axe-core accessibility check (WCAG 2.2 A and AA) of every page a test visits."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
# A busy CI machine (two cores, two databases' suites) can take more than Playwright's
# default 5 s to answer: wait longer before calling an expectation failed.
expect.set_options(timeout=20_000)

WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ARGS}


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    return live_server


class AccessibilityChecker:
    def __init__(self) -> None:
        self.axe = Axe()
        self.checked: list[str] = []

    def __call__(self, page: Page) -> None:
        result = self._run(page)
        violations = result.response["violations"]
        self.checked.append(page.url)
        details = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in violations
        ]
        assert not violations, f"accessibility violations on {page.url}:\n" + "\n".join(details)


    def _run(self, page: Page) -> Any:
        """Run axe on the page once it has loaded. A click on a link returns before the next
        page has replaced the old one; axe started in between finds no document (or has its
        context destroyed by the navigation), so wait for the load and try again."""
        for attempt in range(3):
            page.wait_for_load_state("load")
            try:
                return self.axe.run(page, options=WCAG)
            except PlaywrightError as error:
                navigating = "documentElement" in str(error) or "context was destroyed" in str(error)
                if not navigating or attempt == 2:
                    raise
                page.wait_for_timeout(200)
        raise AssertionError("unreachable")


@pytest.fixture(scope="session")
def axe_check() -> AccessibilityChecker:
    return AccessibilityChecker()


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/vacancies")


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in")


def create_vacancy(page: Page, reference: str, title: str, organisation: str, grade: str, posts: int,
                   closing, check=None) -> None:  # noqa: ANN001
    """A manager creates a vacancy from the vacancies page and lands on its set-up page;
    ``check(page)`` (axe) runs on the form and on the set-up page."""
    page.get_by_role("link", name="Create a vacancy").click()
    page.wait_for_url("**/vacancies/new")  # axe must not run on a page being replaced
    if check:
        check(page)
    page.get_by_label("Vacancy reference").fill(reference)
    page.get_by_label("Job title").fill(title)
    page.get_by_label("Organisation").select_option(label=organisation)
    page.get_by_label("Grade or band").fill(grade)
    page.get_by_label("Number of posts").fill(str(posts))
    page.get_by_label("Day").fill(str(closing.day))
    page.get_by_label("Month").fill(str(closing.month))
    page.get_by_label("Year").fill(str(closing.year))
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Set up {title}")
    if check:
        check(page)



@pytest.fixture(scope="session")
def browser_oidc_provider(live_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The test OpenID provider (tests/oidc) with the live server's callback registered."""
    from tests.oidc.fixtures import start_provider, stop_provider

    process, provider = start_provider(tmp_path_factory.mktemp("oidc-browser"),
                                       [f"{live_server}/sign-in/sso/callback"], [f"{live_server}/sign-in"])
    try:
        yield provider
    finally:
        stop_provider(process)
