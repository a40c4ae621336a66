"""The demo journey: each demo role signs in, opens each seed vacancy it may see and reads its
criteria; every page passes axe (WCAG 2.2 A and AA)."""

from __future__ import annotations

import pytest
import yaml
from playwright.sync_api import Page, expect

from shortlist import campaign_format as cf
from shortlist.cli import DEMO_PASSWORD
from tests.browser.conftest import sign_in, sign_out
from tests.app_fixtures import SEEDS

USERS = yaml.safe_load((SEEDS / "users.yaml").read_text()) if (SEEDS / "users.yaml").exists() else []
CAMPAIGNS = {
    c.vacancy.reference: c
    for c in (cf.parse(p.read_text()) for p in sorted(SEEDS.glob("*-*.yaml")))
}


def visible_to(person: dict) -> set[str]:
    """HR see their organisations' vacancies; everyone the vacancies they manage or sit on the panel of."""
    email = person["email"]
    return {
        ref for ref, c in CAMPAIGNS.items()
        if (person["role"] in ("hr_admin", "hr_adviser") and c.vacancy.organisation in person.get("organisations", []))
        or c.vacancy.recruiting_manager == email or any(m.email == email for m in c.panel)
    }


@pytest.mark.parametrize("person", USERS, ids=lambda u: u["email"])
def test_each_demo_role_reads_its_vacancies(page: Page, axe_check, demo_data, person):
    sign_in(page, person["email"], DEMO_PASSWORD)
    axe_check(page)
    expected = visible_to(person)
    if person.get("system_admin"):  # sees no vacancy: the organisations instead
        assert not expected
        page.get_by_role("link", name="Organisations").click()
        expect(page.locator("#organisations tbody tr")).to_have_count(3)
        axe_check(page)
    else:
        assert expected, f"{person['email']} sees no vacancy in the demo"
    listed = page.locator("tbody tr td:nth-child(3)").all_inner_texts() if expected else []
    assert set(listed) == expected
    for reference in sorted(expected):
        campaign = CAMPAIGNS[reference]
        page.goto(f"/vacancies/{reference}")
        expect(page.get_by_role("heading", level=1)).to_have_text(campaign.vacancy.title)
        rows = dict(page.locator("tr[id^=criterion-]").evaluate_all(
            "rows => rows.map(r => [r.id.slice(10), r.innerText.replace(/\\s+/g, ' ')])"))
        assert sorted(rows) == sorted(c.key for c in campaign.criteria)
        for criterion in campaign.criteria:
            assert " ".join(criterion.text.split()) in rows[criterion.key]
            assert ("Essential" if criterion.essential else "Desirable") in rows[criterion.key]
        axe_check(page)
    sign_out(page)


def test_every_demo_role_is_covered():
    assert {u["role"] for u in USERS} == {"hr_admin", "recruiting_manager", "panel_member"}


@pytest.mark.parametrize("reference", sorted(CAMPAIGNS))
def test_hr_reads_recommendations_with_reasons(page: Page, axe_check, demo_data, reference):
    sign_in(page, "hr@example.org", DEMO_PASSWORD)
    page.goto(f"/vacancies/{reference}")
    page.get_by_role("navigation", name="Vacancy sections").get_by_role("link", name="Candidates").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Candidates: shortlisting recommendations")
    rows = page.locator("#recommendations tbody tr")
    expect(rows).to_have_count(len(CAMPAIGNS[reference].applications))
    expect(page.locator("#recommendations [data-code=essential_not_met]").first).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Audit log").click()
    axe_check(page)
