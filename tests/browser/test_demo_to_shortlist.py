"""From `shortlist demo` to a finalised shortlist, through the real pages (issue 14, Done means).

Each seed vacancy starts exactly as `shortlist demo` loads it. The panel, the chair and HR
sign in (one browser, one signed-in session a person, kept for all three vacancies) and each,
in turn, does only what the vacancy page leads them to: they open the vacancy from the
vacancies list and click the first piece of their own work under "What needs doing", do it
on the page it opens (declare conflicts, score a sheet and mark its gaps, record agreed
scores, confirm a decision with its reason, review an adjustment, record their training),
and come back, until the page offers them nothing more. Nobody types an address. When the
page offers the chair "Finalise the shortlist", they finalise it. Then what everyone sees:
the vacancy at interview with the shortlist final, and the decisions and the shortlisting
record naming each candidate's outcome.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
import yaml
from playwright.sync_api import Browser, Locator, Page, expect

from shortlist import campaign_format as cf
from shortlist.cli import DEMO_PASSWORD
from tests.app_fixtures import SEEDS

CAMPAIGNS = {
    c.vacancy.reference: c
    for c in (cf.parse(p.read_text()) for p in sorted(SEEDS.glob("*-*.yaml")))
}
HR = "hr@example.org"
NAMES = {u["email"]: u["name"] for u in yaml.safe_load((SEEDS / "users.yaml").read_text())}
OUTCOME_TEXT = {"invite": "Invite to interview", "reserve": "Reserve", "reject": "Not shortlisted"}
TRAINED_ON = date.today() - timedelta(days=30)  # a renewed safer-recruitment certificate


@dataclass
class Desk:
    """One signed-in page per person, opened the first time they are needed and kept."""

    browser: Browser
    base_url: str
    pages: dict[str, Page] = field(default_factory=dict)

    def __call__(self, email: str) -> Page:
        if email not in self.pages:
            context = self.browser.new_context(base_url=self.base_url)
            page = context.new_page()
            page.goto("/sign-in")
            page.get_by_label("Email address").fill(email)
            page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url("**/vacancies")
            self.pages[email] = page
        return self.pages[email]

    def close(self) -> None:
        for page in self.pages.values():
            page.context.close()


@pytest.fixture(scope="module")
def desk(browser: Browser, live_server: str, demo_data) -> Iterator[Desk]:  # noqa: ANN001
    d = Desk(browser, live_server)
    yield d
    d.close()


@pytest.fixture(scope="module")
def timings() -> Iterator[dict[str, float]]:
    times: dict[str, float] = {}
    yield times
    print("\njourney times: " + ", ".join(f"{k} {v:.1f} s" for k, v in times.items())
          + f"; all {sum(times.values()):.1f} s")


def follow(page: Page, link: Locator) -> None:
    """Click a link and wait for the page it opens to load."""
    with page.expect_navigation():
        link.click()


def open_vacancy(page: Page, reference: str) -> None:
    """From wherever they are: the vacancy's own Overview where the page has the vacancy's
    sections, else the service navigation's Vacancies, then the vacancy's row."""
    overview = page.get_by_role("navigation", name="Vacancy sections").get_by_role("link", name="Overview")
    if f"/vacancies/{reference}/" in page.url and overview.count():
        follow(page, overview)
        return
    follow(page, page.get_by_role("navigation", name="Menu").get_by_role("link", name="Vacancies"))
    follow(page, page.locator("tbody tr", has_text=reference).get_by_role("link"))


# --------------------------------------------------------------------------- doing each piece of work


def other_score(campaign: cf.Campaign, application: str, key: str, me: str) -> int:
    """The score this person gives: one a colleague gave in the seed file, so the journey adds
    no divergence of its own; the scale's 'met' where nobody scored it."""
    spec = next(a for a in campaign.applications if a.reference == application)
    for email, scores in sorted(spec.scores.get("shortlisting", {}).items()):
        if email != me and key in scores:
            return scores[key]
    return campaign.vacancy.scale.met


def declare(page: Page) -> str:
    page.get_by_label("I have read every name above").check()
    page.get_by_role("button", name="Save declarations").click()
    expect(page.get_by_text("Your declarations are saved.")).to_be_visible()
    return "declared conflicts"


def score(page: Page, campaign: cf.Campaign, application: str, me: str) -> str:
    """Mark each unmarked gap 'explore at interview', give each criterion not yet scored its
    score, and submit; on a sheet already submitted, save the gap marks it still needs."""
    unmarked = page.locator("fieldset:has(input[name^='gap-']):not(:has(input:checked))")
    gaps = unmarked.count()
    for _ in range(gaps):
        unmarked.first.get_by_label("Explore at interview").check()
    keys = page.locator("input[type=radio][name^='score-']").evaluate_all(
        "rs => [...new Set(rs.filter(r => !document.querySelector(`input[name='${r.name}']:checked`))"
        ".map(r => r.name.slice(6)))]")
    if keys or page.get_by_role("button", name="Submit scores").count():
        # one click on each criterion's chosen score (a sheet has 26 of them)
        page.evaluate("picks => picks.forEach(([k, v]) => document.querySelector("
                      "`input[name='score-${k}'][value='${v}']`).click())",
                      [[k, str(other_score(campaign, application, k, me))] for k in keys])
        page.get_by_role("button", name="Submit scores").click()
        expect(page.locator("#submitted-note")).to_be_visible()
        return f"scored {application}" + (" and marked its gaps" if gaps else "")
    assert gaps, f"{page.url}: the lead opened a sheet with nothing to do"
    page.get_by_role("button", name="Save your gap marks").click()
    expect(page.locator("[data-gap-mark]").first).to_contain_text("Explore at interview")
    return f"marked the gaps in {application}"


def moderate(page: Page, application: str) -> str:
    needs = page.locator("section[data-needs=true]")
    assert needs.count(), f"{page.url}: the lead opened moderation with nothing to agree"
    for section in needs.all():
        key = section.get_attribute("id").removeprefix("c-")
        values = [int(v) for v in section.locator(f"[data-scores='{key}'] tbody td:nth-child(2)").all_inner_texts()
                  if v.strip().isdigit()]
        agreed = sorted(values)[len(values) // 2]  # the higher middle score
        section.locator(f"input[name='agreed-{key}'][value='{agreed}']").check()
        section.get_by_label(f"Rationale for {key}").fill(
            f"Agreed at {agreed} after discussing the evidence for {key} against the criterion.")
    page.get_by_role("button", name="Save agreed scores").first.click()
    expect(page.locator("section[data-needs=true]")).to_have_count(0)
    return f"agreed scores for {application}"


def decide(page: Page, application: str, outcomes: dict[str, str]) -> str:
    """Confirm the decision the page offers (the recommendation's, with its reasons); where
    it offers none, invite a candidate who meets the essentials and reject one who does not."""
    recommendation, chosen, reason = page.evaluate(
        "() => [document.querySelector('main h2').innerText, "
        "(document.querySelector('input[name=outcome]:checked') || {}).value || '', "
        "document.querySelector('textarea[name=reason]').value]")
    assert recommendation.startswith("Recommendation:"), f"{page.url}: {recommendation}"
    if not chosen:
        chosen = "invite" if re.search(r"Meets|Guaranteed", recommendation) else "reject"
        page.get_by_label(OUTCOME_TEXT[chosen], exact=True).check()
    if not reason.strip():
        page.get_by_label("Reason for the decision").fill(
            f"{recommendation.removeprefix('Recommendation:').strip()}: the panel's scores against the "
            "shortlisting criteria.")
    page.get_by_role("button", name="Confirm decision").click()
    expect(page.get_by_text(f"The decision for {application} is recorded.")).to_be_visible()
    outcomes[application] = chosen
    return f"decided {application}: {chosen}"


def review_adjustment(page: Page, application: str) -> str:
    claims = page.locator("[data-claim]")
    assert claims.count(), f"{page.url}: the lead opened an adjustment review with nothing to review"
    for claim in claims.all():
        key = claim.get_attribute("data-claim")
        claim.get_by_label("Met with a reasonable adjustment").check()
        claim.get_by_label(f"Reason for the outcome for {key}").fill(
            f"With the adjustment the applicant asked for, {key} is achievable in the role.")
    page.get_by_role("button", name="Record the review").click()
    expect(page.locator("main")).not_to_contain_text("There is a problem")
    return f"reviewed the adjustment for {application}"


def record_training(page: Page) -> str:
    follow(page, page.get_by_role("link", name="Record yours"))
    page.get_by_label("Day").fill(str(TRAINED_ON.day))
    page.get_by_label("Month").fill(str(TRAINED_ON.month))
    page.get_by_label("Year").fill(str(TRAINED_ON.year))
    page.get_by_label("If you are correcting a date already recorded, say why").fill(
        "Renewed: a new certificate from last month's course")
    page.get_by_role("button", name="Save the training date").click()
    expect(page.locator("main")).not_to_contain_text("There is a problem")
    return "recorded renewed safer-recruitment training"


def do_the_work(page: Page, campaign: cf.Campaign, me: str, outcomes: dict[str, str]) -> str:
    """Whatever the page the lead opened asks of this person."""
    path = re.sub(r"^https?://[^/]+", "", page.url).split("#")[0].split("?")[0]
    ref = campaign.vacancy.reference
    if m := re.fullmatch(rf"/vacancies/{ref}/scoring/(\w+)", path):
        return score(page, campaign, m[1], me)
    if path == f"/vacancies/{ref}/scoring":
        follow(page, page.locator("tbody tr", has_text=re.compile("Not started|Draft")).first.get_by_role("link"))
        return do_the_work(page, campaign, me, outcomes)
    if path == f"/vacancies/{ref}/conflicts":
        return declare(page)
    if m := re.fullmatch(rf"/vacancies/{ref}/moderation/(\w+)", path):
        return moderate(page, m[1])
    if path == f"/vacancies/{ref}/decisions":
        # the first candidate still to decide: Decide, or Score where they must score them first
        follow(page, page.locator("#decisions tbody tr", has_text="Not decided").first.get_by_role("link"))
        return do_the_work(page, campaign, me, outcomes)
    if m := re.fullmatch(rf"/vacancies/{ref}/decisions/(\w+)", path):
        if page.get_by_role("link", name=f"Score {m[1]}").count():  # their own scores first
            follow(page, page.get_by_role("link", name=f"Score {m[1]}"))
            return do_the_work(page, campaign, me, outcomes)
        return decide(page, m[1], outcomes)
    if m := re.fullmatch(rf"/vacancies/{ref}/adjustments/(\w+)", path):
        return review_adjustment(page, m[1])
    if path == f"/vacancies/{ref}/setup/panel" and page.get_by_role("link", name="Record yours").count():
        return record_training(page)
    raise AssertionError(f"{NAMES[me]} was led to {page.url} and found nothing there they know how to do:\n"
                         + page.locator("main").inner_text()[:1500])


def next_on_page(page: Page) -> Locator | None:
    """Where the page they are on leads next, as a person working through a list goes on:
    a submitted sheet's "Next candidate", the decisions list's next candidate to decide."""
    following = page.get_by_role("link", name=re.compile("^Next candidate"))
    if following.count():
        return following
    if page.locator("#decisions").count() and page.get_by_text(re.compile("is recorded")).count():
        undecided = page.locator("#decisions tbody tr", has_text="Not decided").get_by_role("link")
        if undecided.count():
            return undecided.first
    return None


def follow_leads(page: Page, campaign: cf.Campaign, me: str, outcomes: dict[str, str], log: list[str],
                 limit: int = 40) -> bool:
    """Do this person's work the vacancy page leads them to, until it offers them none;
    finalise when it offers that. Whether they did anything."""
    ref = campaign.vacancy.reference
    did = False
    last = ""
    for _ in range(limit):
        open_vacancy(page, ref)
        mine = page.locator("#actions li[data-mine=yes] a")
        if not mine.count():
            finalise = page.locator("#next-steps ~ p a.govuk-button", has_text="Finalise the shortlist")
            if finalise.count():
                follow(page, finalise)
                page.get_by_role("button", name="Finalise the shortlist").click()
                expect(page.locator("main")).to_contain_text("The shortlist was finalised on")
                log.append(f"{NAMES[me]}: finalised the shortlist")
                return True
            if not did:
                log.append(f"{NAMES[me]}: the vacancy page offers them nothing to do")
            return did
        # the page must move on each time: its work and its progress read differently
        state = page.locator("#actions").inner_text() + page.locator("#stages").inner_text()
        assert state != last, f"{NAMES[me]}: the vacancy page reads the same after '{log[-1]}'"
        last = state
        lead = mine.first
        text = lead.inner_text()
        follow(page, lead)
        log.append(f"{NAMES[me]}: '{text}' -> {do_the_work(page, campaign, me, outcomes)}")
        while (following := next_on_page(page)) is not None:
            text = " ".join(following.inner_text().split())
            follow(page, following)
            log.append(f"{NAMES[me]}:   then '{text}' -> {do_the_work(page, campaign, me, outcomes)}")
        did = True
    raise AssertionError(f"{NAMES[me]} still has work after {limit} steps: {log[-5:]}")


def people_in_turn(campaign: cf.Campaign) -> list[str]:
    """Members first, then the chair, the HR adviser and HR."""
    order = {"member": 0, "chair": 1, "hr_adviser": 2}
    panel = sorted((p for p in campaign.panel if p.removed_on is None), key=lambda p: order.get(p.role, 3))
    return [p.email for p in panel] + [HR]


def walk_to_shortlist(desk: Desk, campaign: cf.Campaign) -> tuple[dict[str, str], list[str]]:
    outcomes: dict[str, str] = {}
    log: list[str] = []
    people = people_in_turn(campaign)
    for _round in range(4):
        busy = [email for email in people if follow_leads(desk(email), campaign, email, outcomes, log)]
        if any(line.endswith("finalised the shortlist") for line in log):
            return outcomes, log
        assert busy, "nobody is led to anything, yet the shortlist is not final:\n" + "\n".join(log)
    raise AssertionError("the shortlist is not final after four rounds:\n" + "\n".join(log))


def assert_final(desk: Desk, campaign: cf.Campaign, decided: dict[str, str] | None = None) -> dict[str, str]:
    """What a user sees once the shortlist is final: every role's vacancy page at interview
    with no shortlisting work left; the decisions, reached from the stage's task, name each
    candidate's outcome (those ``decided`` in the journey as they were confirmed); the
    shortlisting record says the shortlist is final and lists the same outcomes."""
    ref = campaign.vacancy.reference
    everyone = [p.email for p in campaign.panel if p.removed_on is None] + [HR]
    for email in everyone:
        page = desk(email)
        open_vacancy(page, ref)
        expect(page.locator("#stage")).to_have_text("Stage 6 of 7: Interview")
        expect(page.locator("#stages")).to_contain_text("Shortlist finalised on")
        for code in ("candidate_incomplete", "gap_not_marked", "decision_missing", "candidate_hr_review"):
            expect(page.locator(f"#actions li[data-codes~={code}]")).to_have_count(0)
    page = desk(HR)
    open_vacancy(page, ref)
    follow(page, page.locator("#stages").get_by_role("link", name="Finalise the shortlist"))
    expect(page.locator("main")).to_contain_text("The shortlist was finalised on")
    rows = page.locator("#decisions tbody tr")
    expect(rows).to_have_count(len(campaign.applications))
    shown = {}
    for row in rows.all():
        cell = row.locator("td").nth(1).inner_text()
        shown[row.get_attribute("data-reference")] = next(
            (code for code, text in OUTCOME_TEXT.items() if cell.startswith(text)), cell)
    assert set(shown.values()) <= set(OUTCOME_TEXT), shown
    if decided is not None:
        assert shown == decided
    open_vacancy(page, ref)
    follow(page, page.get_by_role("navigation", name="Vacancy sections").get_by_role(
        "link", name="Shortlisting record"))
    record = page.locator("main")
    expect(record).to_contain_text(re.compile(r"Finalised \d+ \w+ \d{4} at \d\d:\d\d by "))
    table = record.locator("table", has=page.locator("caption", has_text="Recommendation and decision"))
    for application, outcome in shown.items():
        expect(table.locator("tbody tr", has_text=application)).to_contain_text(OUTCOME_TEXT[outcome])
    return shown


@pytest.mark.parametrize("reference", ["KCC-ST-01", "LBL-FFT-01"])
def test_the_panel_takes_a_shortlisting_vacancy_to_a_final_shortlist(desk: Desk, timings, reference: str):
    campaign = CAMPAIGNS[reference]
    started = time.monotonic()
    decided, log = walk_to_shortlist(desk, campaign)
    print(f"\n{reference}:\n  " + "\n  ".join(log))
    assert sorted(decided) == sorted(a.reference for a in campaign.applications), log
    assert_final(desk, campaign, decided)
    timings[reference] = time.monotonic() - started


def test_the_vacancy_loaded_at_interview_reads_final_for_every_role(desk: Desk, timings):
    """BCT-AP-01 is loaded with its shortlist finalised through the panel's steps: nobody is
    led to any shortlisting work, and the decisions and the record agree."""
    campaign = CAMPAIGNS["BCT-AP-01"]
    started = time.monotonic()
    shown = assert_final(desk, campaign)
    assert "invite" in shown.values()
    timings["BCT-AP-01"] = time.monotonic() - started
