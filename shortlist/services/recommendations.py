"""The bridge between stored data (or campaign files) and the pure rules engine."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from flask import current_app, has_app_context

from shortlist import campaign_format as cf
from shortlist import rules
from shortlist.models import Vacancy
from shortlist.services.scoring_data import CandidateRecord, gather


def refresh_years() -> int:
    if has_app_context():
        return int(current_app.config.get("SAFER_RECRUITMENT_REFRESH_YEARS", rules.DEFAULT_REFRESH_YEARS))
    return rules.DEFAULT_REFRESH_YEARS


def _criterion(key: str, category: str, text: str, essential: bool, methods: Iterable[str], shortlisting: bool,
               non_waivable: bool, pre_employment: bool) -> rules.Criterion:
    return rules.Criterion(key=key, category=category, text=text, essential=essential, methods=tuple(methods),
                           shortlisting=shortlisting, non_waivable=non_waivable, pre_employment=pre_employment)


def vacancy_from_spec(campaign: cf.Campaign) -> rules.Vacancy:
    v = campaign.vacancy
    return rules.Vacancy(
        reference=v.reference, title=v.title, organisation=v.organisation, department=v.department,
        grade=v.grade, posts=v.posts, status=v.status, closing_date=v.closing_date,
        recruiting_manager=v.recruiting_manager,
        dbs=rules.DBS(v.dbs_level, tuple(v.barred_lists), v.regulated_activity),
        safeguarding_role=v.safeguarding_role, customer_facing=v.customer_facing,
        offer_interview=v.offer_interview, waiver_policy=v.waiver_policy,
        declaration_triggers_scheme=v.declaration_triggers_scheme, armed_forces_scheme=v.armed_forces_scheme,
        safeguarding_exemption=v.safeguarding_exemption or "",
        scale=rules.Scale(v.scale.min, v.scale.max, v.scale.met, v.scale.divergence_gap, dict(v.scale.descriptors)),
        min_scorers=v.min_scorers, employment_gap_months=v.employment_gap_months,
        criteria=tuple(_criterion(c.key, c.category, c.text, c.essential, c.methods, c.shortlisting,
                                  c.non_waivable, c.pre_employment) for c in campaign.criteria),
        panel=tuple(rules.PanelMember(p.email, p.name, p.role, p.safer_recruitment_trained_on)
                    for p in campaign.panel if p.current),
        interview_cap=(rules.InterviewCap(v.interview_cap_places, v.interview_cap_reason or "")
                       if v.interview_cap_places else None),
    )


def vacancy_from_model(v: Vacancy) -> rules.Vacancy:
    return rules.Vacancy(
        reference=v.reference, title=v.title, organisation=v.organisation, department=v.department,
        grade=v.grade, posts=v.posts, status=v.status, closing_date=v.closing_date,
        recruiting_manager=v.recruiting_manager.email if v.recruiting_manager else None,
        dbs=rules.DBS(v.dbs_level, tuple(v.dbs_barred_lists or ()), v.dbs_regulated_activity),
        safeguarding_role=v.safeguarding_role, customer_facing=v.customer_facing,
        offer_interview=v.offer_interview, waiver_policy=v.waiver_policy,
        declaration_triggers_scheme=v.declaration_triggers_scheme, armed_forces_scheme=v.armed_forces_scheme,
        safeguarding_exemption=v.safeguarding_exemption or "",
        scale=rules.Scale(v.scale_min, v.scale_max, v.scale_met, v.divergence_gap, v.descriptors),
        min_scorers=v.min_scorers, employment_gap_months=v.employment_gap_months,
        criteria=tuple(_criterion(c.key, c.category, c.text, c.essential, c.methods, c.shortlisting,
                                  c.non_waivable, c.pre_employment) for c in v.criteria),
        panel=tuple(rules.PanelMember(m.user.email, m.user.name, m.role, m.user.safer_recruitment_trained_on)
                    for m in v.panel),
        interview_cap=(rules.InterviewCap(v.interview_cap_places, v.interview_cap_reason or "")
                       if v.interview_cap_places else None),
    )


def candidate_from_record(record: CandidateRecord) -> rules.Candidate:
    return rules.Candidate(
        reference=record.reference,
        disability_declared=record.disability_declared,
        offer_interview_opt_in=record.offer_interview_opt_in,
        unmet_due_to_disability=frozenset(record.unmet_due_to_disability),
        employment_history=tuple(
            rules.EmploymentSpell(rules.YearMonth.parse(s.start), rules.YearMonth.parse(s.end) if s.end else None,
                                  s.employer, s.role)
            for s in record.employment
        ),
        conflicts=frozenset(record.conflicts),
        gap_explanations=dict(record.gap_explanations),
        adjustment_reviews=dict(record.adjustment_reviews),
        forces=rules.ForcesService(*record.forces) if record.forces else None,
    )


def recommend_vacancy(vacancy: Vacancy, stage: str = "shortlisting",
                      today: date | None = None) -> list[rules.Recommendation]:
    """The engine's recommendation for every application of the vacancy, ordered by reference."""
    return [rec for _record, rec in recommend_with_records(vacancy, stage, today)]


def recommend_with_records(vacancy: Vacancy, stage: str = "shortlisting",
                           today: date | None = None) -> list[tuple[CandidateRecord, rules.Recommendation]]:
    """Each application's gathered record (scores by member, agreed scores) beside its
    recommendation: the moderation matrix shows both from one gathering."""
    facts = vacancy_from_model(vacancy)
    records = gather(vacancy, stage)
    recs = rules.recommend_all(
        facts,
        ((candidate_from_record(r), r.scores, r.agreed) for r in records),
        stage=stage,
        today=today,
    )
    return list(zip(records, recs, strict=True))


def recommend_one(vacancy: Vacancy, application_id: int | None, stage: str = "shortlisting",
                  today: date | None = None, *, reference: str | None = None) -> rules.Recommendation | None:
    """One application's recommendation (by id, or by reference), without the interview
    cap (which ranks the whole vacancy): enough to say whether it is guaranteed an interview."""
    if application_id is None and reference is None:
        raise ValueError("recommend_one needs an application id or reference")
    records = gather(vacancy, stage, application_id, reference)
    if not records:
        return None
    r = records[0]
    return rules.recommend(vacancy_from_model(vacancy), candidate_from_record(r), r.scores, r.agreed,
                           stage=stage, today=today)


def check_model(vacancy: Vacancy, today: date | None = None) -> list[rules.Finding]:
    return rules.check_vacancy(vacancy_from_model(vacancy), today or date.today(), refresh_years())
