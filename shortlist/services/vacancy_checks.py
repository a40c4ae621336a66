"""Vacancy checks from the rules engine, applied to campaign files: the same findings
(code, field, message) that the UI shows and publishing enforces."""

from __future__ import annotations

from datetime import date

from shortlist import campaign_format as cf
from shortlist import rules


def field_path(finding: rules.Finding) -> str:
    """The engine's field path as a campaign-file path."""
    if finding.field.startswith(("criteria[", "panel[", "applications[")):
        return finding.field
    return f"vacancy.{finding.field}" if finding.field else "vacancy"


def campaign_findings(campaign: cf.Campaign, today: date) -> list[rules.Finding]:
    from shortlist.services.recommendations import refresh_years, vacancy_from_spec

    return rules.check_vacancy(vacancy_from_spec(campaign), today, refresh_years())


def gap_mark_findings(campaign: cf.Campaign, today: date) -> list[rules.Finding]:
    """The shortlisters' employment-gap marks against the gaps the engine finds (R20): a
    submitted shortlisting sheet without a mark for a gap is loaded, with a warning (the
    shortlist then waits for the member, or HR, to mark it in the app); a mark for a gap
    the application does not have, or from a member who did not score it, is an error."""
    vacancy = campaign.vacancy
    until = min(today, vacancy.closing_date)
    out: list[rules.Finding] = []
    for i, app in enumerate(campaign.applications):
        history = [rules.EmploymentSpell(rules.YearMonth.parse(s.start),
                                         rules.YearMonth.parse(s.end) if s.end else None, s.employer, s.role)
                   for s in app.employment_history if s.start]
        starts = [g.gap_start for g in rules.employment_gaps(history, vacancy.employment_gap_months, until,
                                                             app.gap_explanations) if g.gap_start]
        scorers = [e for e in app.scores.get("shortlisting", {}) if e not in app.conflicts]
        for email, marks in app.gap_marks.items():
            path = f"applications[{i}].gap_marks.{email}"
            if email not in scorers:
                out.append(rules.Finding("error", rules.codes.GAP_MARK_WITHOUT_SCORES, path,
                                         f"{app.reference}: {email} has no shortlisting scores for this application "
                                         "(or declared a conflict), so cannot mark its employment gaps."))
            for start in marks:
                if start not in starts:
                    out.append(rules.Finding(
                        "error", rules.codes.GAP_MARK_UNKNOWN_GAP, f"{path}.{start}",
                        f"{app.reference} has no employment gap starting {start}"
                        + (f" (its gaps start {', '.join(starts)})." if starts else " (it has no gap).")))
        for email in scorers:
            missing = [start for start in starts if start not in app.gap_marks.get(email, {})]
            if missing:
                out.append(rules.Finding(
                    "warning", rules.codes.GAP_MARK_MISSING, f"applications[{i}].gap_marks.{email}",
                    f"{app.reference}: {email}'s submitted scores have no mark for the employment gap"
                    f"{'s' if len(missing) > 1 else ''} starting {', '.join(missing)}. The shortlist cannot be "
                    "finalised until they (or HR for them) mark it in the app."))
    return out


def check_campaign(campaign: cf.Campaign, today: date) -> list[rules.Finding]:
    """Raise CampaignError for the engine's errors; return its warnings."""
    findings = campaign_findings(campaign, today) + gap_mark_findings(campaign, today)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise cf.CampaignError([cf.Problem(field_path(f), f"{f.message} [{f.code}]") for f in errors])
    return [f for f in findings if f.severity == "warning"]
