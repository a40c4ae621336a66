"""Gather the interview pack's and the shortlisting record's data from what is stored: the
documents' models (`shortlist.packs.model`), as a reader may see them.

A fixed number of queries per document, however many candidates. Sealed tables
(equality monitoring, criminal-record declarations) are never read here, and of an
applicant's details only the name and the adjustments to make are.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import aliased

from shortlist import rules
from shortlist.extensions import db
from shortlist.models import (
    METHOD_NAMES,
    AgreedScore,
    ApplicantDetails,
    Application,
    ConflictDeclaration,
    Criterion,
    Decision,
    GapMark,
    InterviewSlot,
    User,
    Vacancy,
)
from shortlist.models.base import utcnow
from shortlist.packs.model import (
    CandidateSection,
    Descriptor,
    InterviewCriterion,
    InterviewPack,
    PanelLine,
    Probe,
    Question,
    ReasonLine,
    RecordCandidate,
    RecordLine,
    ScheduleLine,
    ShortlistingRecord,
    SummaryLine,
)
from shortlist.permissions import (
    EVERYTHING,
    Sight,
    hidden_because,
    interview_reasons,
    sees_adjustments,
    sees_disability,
    sees_scores,
    shown_reasons,
)
from shortlist.services import panel
from shortlist.services.recommendations import recommend_with_records, refresh_years, vacancy_from_model
from shortlist.services.sight import sight

OUTCOME_LABELS = {
    "guaranteed_interview": "Guaranteed interview",
    "meets_essentials": "Meets the essential criteria",
    "does_not_meet": "Does not meet the essential criteria",
    "hr_review": "HR adjustment review",
    "incomplete": "Incomplete",
}
STATUS_LABELS = {
    "met": "Met", "not_met": "Not met", "incomplete": "Incomplete", "waived": "Waived (disability)",
    "hr_review": "HR review", "not_assessed": "Not assessed",
}
#: the same, for readers who may not see disability information (R10)
NEUTRAL_STATUS_LABELS = {**STATUS_LABELS, "waived": "Waived (HR holds the details)"}
HR_HOLDS_DETAILS = "Reviewed by HR: HR holds the details."
DBS_NAMES = {"none": "No DBS check", "basic": "Basic DBS check", "standard": "Standard DBS check",
             "enhanced": "Enhanced DBS check"}
LIST_NAMES = {"children": "children's barred list", "adults": "adults' barred list"}
#: the recommendation as an interview pack words it: never the scheme's guarantee (R10)
PACK_OUTCOME_LABELS = {**OUTCOME_LABELS, "guaranteed_interview": "Invite to interview",
                       "hr_review": "Decided with HR"}


class NotInvited(LookupError):
    """The candidate asked for was not invited to interview."""


def day_text(value: date | datetime | None) -> str:
    return "" if value is None else f"{value.day} {value:%B %Y}"


def when_text(value: datetime | None) -> str:
    return "" if value is None else f"{day_text(value)} at {value:%H:%M}"


def _dbs(vacancy: Vacancy) -> tuple[str, tuple[str, ...]]:
    lists = [LIST_NAMES.get(x, x) for x in vacancy.dbs_barred_lists or []]
    summary = DBS_NAMES.get(vacancy.dbs_level, vacancy.dbs_level)
    if lists:
        summary += " with the " + " and the ".join(lists)
    if vacancy.dbs_regulated_activity:
        summary += " (regulated activity)"
    if vacancy.dbs_level == "none":
        return summary, ("This role needs no DBS check.",)
    process = [
        "The DBS check is a pre-employment check made after a conditional offer. It is never a score, "
        "and the panel does not ask about it or judge it at interview.",
        "The panel never sees criminal-record declarations: HR holds and handles them.",
    ]
    if lists:
        process.append("Because the role is regulated activity, the person appointed does no regulated "
                       "activity until the barred-list result is known.")
    return summary, tuple(process)


def _training(member_date: date | None, in_date: bool) -> str:
    if member_date is None:
        return "No safer-recruitment training recorded"
    return f"Safer-recruitment trained {day_text(member_date)}" + ("" if in_date else " (out of date)")


def _descriptors(facts: rules.Vacancy) -> tuple[Descriptor, ...]:
    scale = facts.scale
    return tuple(Descriptor(p, scale.descriptors.get(p, "")) for p in range(scale.min, scale.max + 1))


def _interview_criteria(vacancy: Vacancy, facts: rules.Vacancy) -> tuple[InterviewCriterion, ...]:
    keys = {c.key for c in rules.stage_criteria(facts, "interview")}
    by_key = {c.key: c for c in facts.criteria}
    questions: dict[str, list[Question]] = {}
    for q in vacancy.questions:
        key = q.criterion.key
        questions.setdefault(key, []).append(
            Question(q.text, rules.is_safeguarding_question(q.text, by_key.get(key))))
    return tuple(
        InterviewCriterion(c.key, c.category, c.text, c.essential,
                           ", ".join(METHOD_NAMES.get(m, m) for m in c.methods), tuple(questions.get(c.key, ())))
        for c in vacancy.criteria if c.key in keys)


def _reasons(reasons: Iterable[rules.Reason]) -> tuple[ReasonLine, ...]:
    return tuple(ReasonLine(r.code, r.criterion, r.message) for r in reasons)


def _agreed_rows(ids: list[int]) -> dict[tuple[int, str], tuple[int, str, str]]:
    """(application id, criterion key) -> (agreed score, rationale, recorded by)."""
    rows = db.session.execute(
        select(AgreedScore.application_id, Criterion.key, AgreedScore.value, AgreedScore.rationale, User.name)
        .join(Criterion, Criterion.id == AgreedScore.criterion_id)
        .outerjoin(User, User.id == AgreedScore.recorded_by_id)
        .where(AgreedScore.application_id.in_(ids), AgreedScore.stage == "shortlisting"))
    return {(r.application_id, r.key): (r.value, r.rationale, r.name or "") for r in rows}


def _override(rec: rules.Recommendation, decision: Decision | None) -> str:
    if decision is None:
        return ""
    if decision.override_reason:
        label = panel.OVERRIDE_LABELS.get(decision.override_reason, decision.override_reason)
        return f"HR override: {label}. {decision.reason}"
    recommended = panel.recommended_decision(rec)
    if recommended != decision.outcome:
        expected = panel.DECISION_LABELS["shortlisting"].get(recommended or "", "a decision by HR")
        return f"Departs from the recommendation ({expected.lower()}): {decision.reason}"
    return ""


def _decision_text(decision: Decision | None) -> tuple[str, str, str, str]:
    if decision is None:
        return "No decision recorded", "", "", ""
    return (panel.DECISION_LABELS["shortlisting"].get(decision.outcome, decision.outcome), decision.reason,
            decision.decided_by.name if decision.decided_by else "", when_text(decision.decided_at))


# --------------------------------------------------------------------------- the pack


def invited_references(vacancy: Vacancy) -> list[str]:
    return sorted(ref for ref, d in panel.decisions_for(vacancy, "shortlisting").items() if d.outcome == "invite")


def build_pack(vacancy: Vacancy, candidate: str | None = None, member: User | None = None,
               today: date | None = None) -> InterviewPack:
    """The pack for every invited candidate, or for one (``candidate``); ``member`` makes
    it that panel member's copy (their name in the footer; candidates they declared a
    conflict with are marked, not assessed). Gates are the caller's: see check_pack."""
    day = today or date.today()
    facts = vacancy_from_model(vacancy)
    decisions = panel.decisions_for(vacancy, "shortlisting")
    invited = sorted(ref for ref, d in decisions.items() if d.outcome == "invite")
    if candidate is not None:
        if candidate not in invited:
            raise NotInvited(f"{candidate} was not invited to interview")
        invited = [candidate]
    pairs = [(r, rec) for r, rec in recommend_with_records(vacancy, "shortlisting", day) if r.reference in invited]
    ids = [r.application_id for r, _rec in pairs]

    details = {d.application_id: (d.name, d.adjustments) for d in db.session.execute(
        select(ApplicantDetails.application_id, ApplicantDetails.name, ApplicantDetails.adjustments)
        .where(ApplicantDetails.application_id.in_(ids)))}
    slots = {s.application_id: s for s in db.session.scalars(
        select(InterviewSlot).where(InterviewSlot.application_id.in_(ids)))}
    agreed = _agreed_rows(ids)
    marks: dict[tuple[int, str], list[str]] = {}
    for m in db.session.execute(
        select(GapMark.application_id, GapMark.gap_start, GapMark.mark, GapMark.note, User.name)
        .join(User, User.id == GapMark.user_id)
        .where(GapMark.application_id.in_(ids)).order_by(User.name)):
        what = "explore at interview" if m.mark == "explore" else "explained"
        marks.setdefault((m.application_id, m.gap_start), []).append(
            f"{m.name}: {what}" + (f" ({m.note})" if m.note else ""))
    conflicted = panel.conflict_state(vacancy, member).conflicted if member is not None else set()
    # a member's copy: what the access policy shows that member (adjustments, R9)
    seen = sight(vacancy, member, "interview") if member is not None else EVERYTHING

    scale = facts.scale
    shortlisting = [c for c in facts.criteria if c.key in {x.key for x in rules.stage_criteria(facts, "shortlisting")}]
    schedule: list[ScheduleLine] = []
    sections: list[CandidateSection] = []
    for record, rec in pairs:
        app_id = record.application_id
        name, adjustments = details.get(app_id, ("", ""))
        withheld = not sees_adjustments(seen, record.reference)
        if withheld:
            adjustments = ""
        claimed = set(record.unmet_due_to_disability)
        revealed = vacancy.names_revealed and getattr(decisions.get(record.reference), "outcome", None) in \
            panel.REVEALED_OUTCOMES
        if not revealed:  # never, in practice: a pack needs a finalised shortlist
            name = ""
        slot = slots.get(app_id)
        if slot is not None:
            end = slot.starts_at + timedelta(minutes=slot.duration_minutes)
            schedule.append(ScheduleLine(record.reference, name, day_text(slot.starts_at),
                                         f"{slot.starts_at:%H:%M} to {end:%H:%M}", f"{slot.duration_minutes} minutes",
                                         slot.location, adjustments, withheld))
            slot_text = f"{when_text(slot.starts_at)} ({slot.duration_minutes} minutes), {slot.location}"
        else:
            schedule.append(ScheduleLine(record.reference, name, "Not yet arranged", "", "", "", adjustments, withheld))
            slot_text = "Not yet arranged"
        summary = []
        for c in shortlisting:
            result = rec.criteria[c.key]
            row = agreed.get((app_id, c.key))
            if row is not None:
                value, rationale, by = row
                if c.key in claimed and rationale:  # HR's adjustment-review rationale stays HR's (R10)
                    rationale = HR_HOLDS_DETAILS
                basis = f"Agreed by {by or 'the panel'}" + (f": {rationale}" if rationale else "")
            elif result.scores:
                basis = "Independent scores " + ", ".join(map(str, result.scores))
            else:
                basis = "No scores"
            summary.append(SummaryLine(c.key, c.text, c.essential, NEUTRAL_STATUS_LABELS[result.status.value],
                                       scale.describe(result.score) if result.score is not None else "",
                                       basis))
        probes = []
        engine_gaps = set()
        for probe in rec.probes:
            engine_gaps.add(probe.gap_start)
            heading = ("Employment gap (explained by the applicant)" if probe.code == rules.codes.EMPLOYMENT_GAP_EXPLAINED
                       else "Employment gap")
            probes.append(Probe(probe.code, heading, probe.message, tuple(marks.get((app_id, probe.gap_start or ""), ()))))
        for (mark_app, start), lines in sorted(marks.items()):
            if mark_app == app_id and start not in engine_gaps and any("explore" in line for line in lines):
                probes.append(Probe("shortlister_marked", "Marked by a shortlister",
                                    f"The employment gap from {start} was marked to explore at interview.",
                                    tuple(lines)))
        decision = decisions.get(record.reference)
        label, _reason, by, at = _decision_text(decision)
        # The pack never says who is in the scheme or why a criterion was waived (finding 4 of
        # the security review, issue 14's finding 5): no guarantee, no scheme reason, no
        # disability, and not the decision's reason (prefilled from the engine, it can quote the
        # scheme); the shortlisting record keeps those for HR.
        sections.append(CandidateSection(
            reference=record.reference, name=name,
            slot=slot_text, adjustments=adjustments, summary=tuple(summary),
            recommendation=PACK_OUTCOME_LABELS[rec.outcome.value]
            + ("" if rec.within_cap else " (beyond the interview cap)"),
            recommendation_reasons=_reasons(interview_reasons(rec.reasons)), decision=label,
            decided_by=by, decided_at=at, probes=tuple(probes),
            conflict=app_id in conflicted))

    in_date = {m.email for m in rules.trained_members(facts, day, refresh_years())}
    panel_lines = tuple(PanelLine(m.user.name, m.role_label,
                                  _training(m.safer_recruitment_trained_on, m.user.email in in_date))
                        for m in vacancy.panel)
    safeguarding: tuple[str, ...] = ()
    if vacancy.safeguarding_role:
        trained = [f"{m.user.name} (trained {day_text(m.safer_recruitment_trained_on)})"
                   for m in vacancy.panel if m.user.email in in_date]
        safeguarding = (
            "This is a safeguarding role: the interview follows safer recruitment (KCSIE Part three).",
            "Safer-recruitment trained panel member: " + "; ".join(trained) + ".",
            "Ask every candidate the safeguarding questions (marked below) and explore every probe: "
            "employment gaps and anything a shortlister marked. A gap is explored, never scored.",
            "Record answers factually. Pass any concern about a candidate's suitability to work with "
            "children or vulnerable adults to the chair and HR the same day.",
        )
    dbs_summary, dbs_process = _dbs(vacancy)
    dates = sorted({s.starts_at.date() for s in slots.values()})
    variant = "member" if member is not None else ("candidate" if candidate else "panel")
    return InterviewPack(
        reference=vacancy.reference, title=vacancy.title, organisation=vacancy.organisation,
        department=vacancy.department, grade=vacancy.grade, posts=vacancy.posts, variant=variant,
        copy_for=member.name if member is not None else "", candidate_reference=candidate or "",
        generated_at=f"{when_text(utcnow())} UTC", dbs_summary=dbs_summary, dbs_process=dbs_process,
        safeguarding=safeguarding, panel=panel_lines,
        interview_dates=", ".join(day_text(d) for d in dates) or "Not yet arranged",
        schedule=tuple(schedule), descriptors=_descriptors(facts), met=scale.met,
        criteria=_interview_criteria(vacancy, facts), candidates=tuple(sections))


# --------------------------------------------------------------------------- the record


def _hidden_candidate(reference: str, why: str, criteria: Iterable[rules.Criterion], members: int,
                      decision: Decision | None) -> RecordCandidate:
    """A candidate whose scores the reader may not see yet: the criteria, and the decision
    without its reason (a prefilled reason quotes the scores)."""
    label, _reason, by, at = _decision_text(decision)
    return RecordCandidate(
        reference=reference, name="", recommendation=why, reasons=(), decision=label, decision_reason="",
        decided_by=by, decided_at=at, override="", conflicts=(),
        lines=tuple(RecordLine(c.key, c.text, c.essential, ("Hidden",) * members, "", "", "", why)
                    for c in criteria))


def build_record(vacancy: Vacancy, today: date | None = None, seen: Sight = EVERYTHING) -> ShortlistingRecord:
    """Every candidate by every shortlisting criterion: each member's score, the agreed
    score with its rationale, the recommendation, the decision, who confirmed it and when,
    and any override with its reason. Names appear only once revealed to the panel.

    ``seen``: whose copy, as the access policy judges it (shortlist.permissions): a
    candidate whose scores they may not see yet shows none of them, nor the reasons and
    decision reason that quote them; disability information is HR's alone."""
    facts = vacancy_from_model(vacancy)
    pairs = recommend_with_records(vacancy, "shortlisting", today)
    ids = [r.application_id for r, _ in pairs]
    criteria = rules.stage_criteria(facts, "shortlisting")
    scorers = panel.scorers(vacancy)
    submitted = set().union(*(r.submitted_by for r, _ in pairs)) if pairs else set()
    conflicts: dict[int, set[str]] = {}
    for app_id, email in db.session.execute(
        select(ConflictDeclaration.application_id, User.email).join(User, User.id == ConflictDeclaration.user_id)
        .where(ConflictDeclaration.application_id.in_(ids), ConflictDeclaration.conflict.is_(True))):
        conflicts.setdefault(app_id, set()).add(email)
    withdrawn: dict[int, list[str]] = {}
    reviewer = aliased(User)
    for app_id, member, by, at, why in db.session.execute(
        select(ConflictDeclaration.application_id, User.name, reviewer.name, ConflictDeclaration.withdrawn_at,
               ConflictDeclaration.withdrawal_review)
        .join(User, User.id == ConflictDeclaration.user_id).join(reviewer, reviewer.id == ConflictDeclaration.withdrawn_by_id)
        .where(ConflictDeclaration.application_id.in_(ids), ConflictDeclaration.withdrawn_at.is_not(None))
        .order_by(ConflictDeclaration.withdrawn_at)):
        withdrawn.setdefault(app_id, []).append(f"{member}'s declared conflict was withdrawn by {by} on {day_text(at)}: {why}")
    members = [m for m in scorers if m.user.email in submitted] or scorers
    agreed = _agreed_rows(ids)
    decisions = panel.decisions_for(vacancy, "shortlisting")
    revealed = set()
    if vacancy.names_revealed:
        revealed = {ref for ref, d in decisions.items() if d.outcome in panel.REVEALED_OUTCOMES}
    names = dict(db.session.execute(
        select(Application.reference, ApplicantDetails.name)
        .join(ApplicantDetails, ApplicantDetails.application_id == Application.id)
        .where(Application.vacancy_id == vacancy.id)).all())
    # one rule for a member who has left the panel (panel_changes.SUBMITTED_SCORES_RULE): their
    # submitted scores count, so they keep their column, marked as such
    columns = [(m.user.email, m.user.name) for m in members]
    current = {m.user.email for m in scorers}
    left = sorted(submitted - current)
    if left:
        gone = dict(db.session.execute(select(User.email, User.name).where(User.email.in_(left))).all())
        columns += [(email, f"{gone.get(email, email)} (left the panel)") for email in left]
    emails = [email for email, _name in columns]
    scorer_names = [(m.user.email, m.user.name) for m in scorers] + columns[len(members):]
    out = []
    disability = sees_disability(seen)
    for record, rec in pairs:
        if not sees_scores(seen, record.reference):
            out.append(_hidden_candidate(record.reference, hidden_because(seen, record.reference), criteria,
                                         len(emails), decisions.get(record.reference)))
            continue
        claimed = set(record.unmet_due_to_disability) if not disability else set()
        lines = []
        excluded = conflicts.get(record.application_id, set())
        sheets = [None if email in excluded else record.scores.get(email, {}) for email in emails]
        for c in criteria:
            key = c.key
            scores = []
            for sheet in sheets:
                if sheet is None:
                    scores.append("Conflict")
                else:
                    value = sheet.get(key)
                    scores.append("" if value is None else str(value))
            row = agreed.get((record.application_id, key))
            result = rec.criteria[c.key]
            rationale = row[1] if row else ""
            if rationale and key in claimed:
                rationale = HR_HOLDS_DETAILS
            lines.append(RecordLine(
                c.key, c.text, c.essential, tuple(scores),
                str(row[0]) if row else "", rationale, row[2] if row else "",
                STATUS_LABELS[result.status.value] if disability else NEUTRAL_STATUS_LABELS[result.status.value]))
        decision = decisions.get(record.reference)
        label, reason, by, at = _decision_text(decision)
        out.append(RecordCandidate(
            reference=record.reference, name=names.get(record.reference, "") if record.reference in revealed else "",
            lines=tuple(lines),
            recommendation=OUTCOME_LABELS[rec.outcome.value] + ("" if rec.within_cap else " (beyond the interview cap)"),
            reasons=_reasons(shown_reasons(seen, (r for r in rec.reasons
                                                  if r.code not in (rules.codes.HUMAN_DECISION_REQUIRED,)))),
            decision=label, decision_reason=reason, decided_by=by, decided_at=at,
            override=_override(rec, decision),
            conflicts=tuple(sorted(name for email, name in scorer_names if email in excluded)),
            withdrawn=tuple(withdrawn.get(record.application_id, ()))))
    if vacancy.shortlist_finalised_at:
        by = db.session.get(User, vacancy.shortlist_finalised_by_id) if vacancy.shortlist_finalised_by_id else None
        finalised = f"Finalised {when_text(vacancy.shortlist_finalised_at)}" + (f" by {by.name}" if by else "")
    else:
        finalised = "Not finalised: decisions may still change"
    return ShortlistingRecord(
        reference=vacancy.reference, title=vacancy.title, organisation=vacancy.organisation,
        generated_at=f"{when_text(utcnow())} UTC", finalised=finalised,
        members=tuple(name for _email, name in columns),
        criteria=tuple((c.key, c.text, c.essential) for c in criteria), candidates=tuple(out))
