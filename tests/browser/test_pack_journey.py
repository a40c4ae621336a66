"""The chair opens the interview pack, starts the PDF, watches its progress and downloads
it when it is ready; then opens the shortlisting record. Every page passes axe."""

from __future__ import annotations

import threading

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from shortlist.models import Role
from shortlist.services import jobs
from tests.browser.conftest import sign_in
from tests.factories import CHAIR, PASSWORD, make_user
from tests.test_packs import ready


def test_the_chair_makes_and_downloads_the_interview_pack(page: Page, axe_check, monkeypatch, tmp_path):
    ready()
    make_user(CHAIR, Role.RECRUITING_MANAGER, "Chair Person", PASSWORD)
    go = threading.Event()
    run = jobs._run

    def held(doc_id: int) -> None:  # hold the job until the progress page has been checked
        go.wait(30)
        run(doc_id)

    monkeypatch.setattr(jobs, "_run", held)

    sign_in(page, CHAIR, PASSWORD)
    page.goto("/vacancies/TST-01")
    page.get_by_role("link", name="Interview pack").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Interview pack")
    # the pack never says who is in the scheme (README, "Who sees what")
    expect(page.locator("#candidate-A002")).not_to_contain_text("Guaranteed interview")
    expect(page.locator("#candidate-A002")).to_contain_text("Recommendation: Invite to interview")
    axe_check(page)

    page.get_by_role("button", name="Make the PDF").click()
    progress = page.locator("[data-module=app-document-progress]")
    expect(progress).to_be_visible()
    expect(progress.get_by_role("status")).to_contain_text("Waiting for a worker")
    axe_check(page)
    go.set()  # the worker starts; the page polls and reloads when the PDF is ready

    download_button = page.get_by_role("button", name="Download the PDF")
    expect(download_button).to_be_visible(timeout=60_000)
    expect(page.locator("#document-ready")).to_contain_text("pages")
    axe_check(page)
    with page.expect_download() as info:
        download_button.click()
    path = tmp_path / "pack.pdf"
    info.value.save_as(path)
    assert info.value.suggested_filename == "interview-pack-TST-01.pdf"
    reader = PdfReader(path)
    assert "Interview pack: Family Therapist" in reader.pages[0].extract_text()
    assert all("OFFICIAL-SENSITIVE" in p.extract_text() for p in reader.pages)

    page.get_by_role("link", name="Candidate A001 (Alice Adams) only").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Interview pack for A001")
    axe_check(page)

    page.goto("/vacancies/TST-01")
    page.get_by_role("link", name="Shortlisting record").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Shortlisting record")
    expect(page.locator("#record-A003")).to_contain_text("Not shortlisted")
    axe_check(page)
