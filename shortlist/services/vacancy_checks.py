"""Vacancy checks from the rules engine, applied to campaign files: the same findings
(code, field, message) that the UI shows and publishing enforces."""

from __future__ import annotations

from datetime import date

from shortlist import campaign as cf
from shortlist import rules


def field_path(finding: rules.Finding) -> str:
    """The engine's field path as a campaign-file path."""
    if finding.field.startswith(("criteria[", "panel[")):
        return finding.field
    return f"vacancy.{finding.field}" if finding.field else "vacancy"


def campaign_findings(campaign: cf.Campaign, today: date) -> list[rules.Finding]:
    from shortlist.services.recommendations import refresh_years, vacancy_from_spec

    return rules.check_vacancy(vacancy_from_spec(campaign), today, refresh_years())


def check_campaign(campaign: cf.Campaign, today: date) -> list[rules.Finding]:
    """Raise CampaignError for the engine's errors; return its warnings."""
    findings = campaign_findings(campaign, today)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise cf.CampaignError([cf.Problem(field_path(f), f"{f.message} [{f.code}]") for f in errors])
    return [f for f in findings if f.severity == "warning"]
