"""The demo: its users and seed campaigns (`load_demo`, run by `shortlist demo`), and its
vacancy at interview: one seed campaign taken from applications to a
finalised shortlist with interviews arranged, through the panel's services, so every step
obeys the rules and writes its audit record, and a newcomer can open and download a real
interview pack straight after `shortlist demo`.

The seed's scores are given again as each member's own submitted sheets (with their marks
on employment gaps); the chair, who must have scored a candidate before moderating or
deciding, scores every application (as Priya Shah did, where the seed has no score of
theirs); divergent scores get agreed scores with a rationale; HR decides the candidate
waiting for an adjustment review (HR's review: met with
the adjustment, and why); the chair decides every candidate, finalises the shortlist and
arranges the interviews.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import yaml
from sqlalchemy import select

from shortlist import campaign_format as cf
from shortlist import rules
from shortlist.extensions import db
from shortlist.models import User, Vacancy
from shortlist.services import adjustments, audit, interviews, organisations, panel, users
from shortlist.services.campaigns import load_campaign

DEMO_VACANCY = "BCT-AP-01"
HR_EMAIL = "hr@example.org"
ROOM = "Room 4, Birmingham Children's Trust, 1 Victoria Square, Birmingham B1 1BD (step-free entrance on Paradise Street)"
VIDEO = "Video call: https://meet.example.org/bct-ap-01 (the link is sent to the candidate the day before)"
INVITE_MEETS = 4  # besides the guaranteed, the strongest on total score; the rest are held in reserve
AGREED_RATIONALE = ("Moderated by the panel: the evidence gives a specific, recent example with its outcome, which "
                    "meets the criterion; it does not show the breadth needed to exceed it.")
ADJUSTMENT_DECISION = ("With the reasonable adjustment agreed with the candidate (set working hours and notice of "
                       "any change), the criterion is met.")
RESERVE_REASON = ("Meets every essential criterion; ranked below the invited candidates on total score, so held "
                  "in reserve for interview.")


def load_demo(seeds: Path, password: str, say: Callable[[str], None], warn: Callable[[str], None]) -> None:
    """Add the demo organisations (``seeds/organisations.yaml``) and users (``seeds/users.yaml``,
    every one with ``password``) and load every seed campaign (``seeds/*-*.yaml``) not loaded
    yet; the one at ``DEMO_VACANCY`` is taken to interviews."""
    from shortlist.services.vacancy_checks import field_path

    load_people(seeds, password)
    for path in sorted(seeds.glob("*-*.yaml")):
        campaign = cf.parse(path.read_text(encoding="utf-8"))
        reference = campaign.vacancy.reference
        if db.session.scalar(select(Vacancy.id).where(Vacancy.reference == reference)):
            say(f"{reference} is already loaded")
        elif reference == DEMO_VACANCY:
            load_at_interview(campaign, path.name)
            say(f"Loaded {reference} ({path.name}): shortlist finalised through the panel's steps, "
                "interviews arranged; its interview pack is ready to make")
        else:
            warnings: list[rules.Finding] = []
            load_campaign(campaign, audit.CLI, filename=path.name, warnings=warnings)
            for finding in warnings:
                warn(f"{path.name}: warning: {field_path(finding)}: {finding.message} [{finding.code}]")
            say(f"Loaded {reference} ({path.name})")


def load_people(seeds: Path, password: str) -> None:
    """The demo organisations (``seeds/organisations.yaml``) not there yet, and the demo people
    (``seeds/users.yaml``) with their roles in them, every one with ``password``."""
    for entry in yaml.safe_load((seeds / "organisations.yaml").read_text(encoding="utf-8")):
        if organisations.by_code(entry["code"]) is None:
            organisations.create(audit.CLI, entry["name"], entry["code"], "\n".join(entry.get("email_domains", [])))
    for person in yaml.safe_load((seeds / "users.yaml").read_text(encoding="utf-8")):
        held = [organisations.by_code(code) for code in person.get("organisations", [])]
        users.upsert_user(person["email"], person["name"], person["role"], password, audit.CLI,
                          [o for o in held if o is not None], system_admin=bool(person.get("system_admin")))


def _user(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    assert user is not None, email
    return user


def _vacancy(reference: str = DEMO_VACANCY) -> Vacancy:
    db.session.expire_all()
    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == reference))
    assert vacancy is not None
    return vacancy


def load_ready_to_finalise(campaign: cf.Campaign, filename: str) -> str:
    """Load the campaign without its panel work, then do that work through the services, up to
    a decision for every candidate: the shortlist is ready to finalise. Returns the chair's e-mail."""
    reference = campaign.vacancy.reference
    stripped = dataclasses.replace(campaign, applications=tuple(
        dataclasses.replace(a, scores={}, notes={}, agreed={}, gap_marks={}, conflicts=()) for a in campaign.applications))
    load_campaign(stripped, audit.CLI, filename=filename)
    seed = {a.reference: a for a in campaign.applications}
    vacancy = _vacancy(reference)
    scorers = [m.user.email for m in panel.scorers(vacancy)]
    chair = next(m.user.email for m in vacancy.panel if m.role == "chair")

    # Conflicts first, by name only, as each member would (R30).
    for m in list(vacancy.panel):
        user = _user(m.user.email)
        answers = {}
        for a in panel.applicants_for_declaration(_vacancy(reference), user):
            ref = next(r for r, s in seed.items() if s.name == a.name)
            known = user.email in seed[ref].conflicts
            answers[a.token] = ("yes", "Worked with them in a previous post") if known else ("no", "")
        panel.declare_conflicts(_vacancy(reference), user, answers)

    # Independent scores, each member's own sheet, with their marks on employment gaps (R20).
    for ref, spec in sorted(seed.items()):
        given = spec.scores.get("shortlisting", {})
        notes = spec.notes.get("shortlisting", {})
        reference_scores = next(iter(given.values()), {})
        for email in scorers:
            if email in spec.conflicts:
                continue
            values = given.get(email) or (given.get("priya.shah@example.org") if email == chair else None)
            if values is None:
                values = reference_scores if email == chair or len(given) < 2 else None
            if values is None:
                continue
            vacancy = _vacancy(reference)
            application = panel.application_by_reference(vacancy, ref)
            marks = {g.gap_start: ("explained" if g.code == rules.codes.EMPLOYMENT_GAP_EXPLAINED else "explore",
                                   "" if g.code == rules.codes.EMPLOYMENT_GAP_EXPLAINED
                                   else "No explanation given: ask what they did in this time")
                     for g in panel.gaps_for(vacancy, application) if g.gap_start}
            panel.save_sheet(vacancy, application, _user(email), "shortlisting",
                             {k: str(v) for k, v in values.items()}, notes.get(email, {}), marks, submit=True)

    # Agreed scores where the members' scores diverge (R27), with the seed's rationale where it has one.
    for rec in panel.recommend_vacancy(_vacancy(reference), "shortlisting"):
        for reason in rec.reasons:
            if reason.code != rules.codes.MODERATION_REQUIRED or reason.criterion is None:
                continue
            key = reason.criterion
            seeded = seed[rec.reference].agreed.get("shortlisting", {}).get(key)
            vacancy = _vacancy(reference)
            panel.record_agreed(vacancy, panel.application_by_reference(vacancy, rec.reference), _user(chair),
                                "shortlisting", key, str(seeded.score if seeded else vacancy.scale_met),
                                seeded.rationale if seeded else AGREED_RATIONALE, None)
    for ref, spec in sorted(seed.items()):  # the seed's other agreed scores
        for key, agreed in spec.agreed.get("shortlisting", {}).items():
            vacancy = _vacancy(reference)
            application = panel.application_by_reference(vacancy, ref)
            if key not in panel.agreed_for(application, "shortlisting"):
                panel.record_agreed(vacancy, application, _user(chair), "shortlisting", key, str(agreed.score),
                                    agreed.rationale, None)

    # HR's adjustment review (R6, R9): the criterion the candidate cannot meet because of their
    # disability is met with the adjustment agreed, recorded as HR's review with its reason.
    for rec in panel.recommend_vacancy(_vacancy(reference), "shortlisting"):
        if rec.outcome is not rules.Outcome.HR_REVIEW:
            continue
        vacancy = _vacancy(reference)
        application = panel.application_by_reference(vacancy, rec.reference)
        adjustments.record_review(vacancy, application, _user(HR_EMAIL), {
            claim.criterion.key: (rules.ADJUSTMENT_MET, ADJUSTMENT_DECISION)
            for claim in adjustments.claims(vacancy, application)})

    # Decisions by named people (R31), recorded by the chair.
    recs = panel.recommend_vacancy(_vacancy(reference), "shortlisting")
    meets = sorted((r for r in recs if r.outcome is rules.Outcome.MEETS_ESSENTIALS), key=lambda r: (-r.total, r.reference))
    strongest = {r.reference for r in meets[:INVITE_MEETS]}
    for rec in recs:
        vacancy = _vacancy(reference)
        application = panel.application_by_reference(vacancy, rec.reference)
        if rec.outcome is rules.Outcome.MEETS_ESSENTIALS and rec.reference not in strongest:
            panel.decide(vacancy, application, _user(chair), "reserve", RESERVE_REASON)
        else:
            outcome = panel.recommended_decision(rec)
            assert outcome is not None, rec
            panel.decide(vacancy, application, _user(chair), outcome, panel.suggested_reason(rec))
    return chair


def load_at_interview(campaign: cf.Campaign, filename: str) -> Vacancy:
    """Load the campaign, do the panel's work through the services, finalise the shortlist
    (the candidates' messages go to the outbox) and arrange the interviews."""
    chair = load_ready_to_finalise(campaign, filename)
    panel.finalise_shortlist(_vacancy(), _user(chair))

    # Names are revealed: everyone on the panel is asked about conflicts again (R30).
    for m in list(_vacancy().panel):
        user = _user(m.user.email)
        answers = {a.token: ("no", "") for a in panel.applicants_for_declaration(_vacancy(), user)}
        panel.declare_conflicts(_vacancy(), user, answers)

    # The interviews, two weeks after the closing date, an hour and a quarter apart.
    vacancy = _vacancy()
    start = datetime.combine(vacancy.closing_date + timedelta(days=14), datetime.min.time()).replace(hour=9, minute=30)
    for index, row in enumerate(interviews.schedule(vacancy, _user(chair))):
        when = start + timedelta(minutes=75 * index)
        vacancy = _vacancy()
        interviews.arrange(vacancy, panel.application_by_reference(vacancy, row.reference), _user(chair),
                           when.date().isoformat(), when.strftime("%H:%M"), "60", VIDEO if index % 3 == 2 else ROOM)
    return _vacancy()
