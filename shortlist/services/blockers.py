"""What stops a vacancy's shortlist being finalised, as work for named people.

``finalise_blockers`` turns the finalise check's refusals (``panel.finalise_refusals``,
the very list ``panel.finalise_shortlist`` refuses on) into blockers that say who must
act and where: "Priya Shah: mark the employment gap from April 2019 in A006", linked to
the page where it is done. The decisions page lists them; the vacancy page can show them
grouped by person (``by_person``). Nothing here decides whether the shortlist can be
finalised: an empty list here is exactly an empty list of refusals there.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date

from flask import url_for

from shortlist import rules
from shortlist.extensions import db
from shortlist.models import Decision, User, Vacancy
from shortlist.rules import codes
from shortlist.services import panel
from shortlist.services.recommendations import recommend_with_records
from shortlist.services.scoring_data import CandidateRecord

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")

# who must act (Blocker.role)
MEMBER, CHAIR, HR, MANAGER = "member", "chair", "hr", "manager"


@dataclass(frozen=True)
class Blocker:
    """One thing to do before the shortlist can be finalised.

    ``who`` names who must act as a person reads it ("Priya Shah", "HR"); ``emails`` are the accounts that can act on it themselves (empty for HR,
    which is any HR administrator); ``role`` is member, chair, hr or manager. ``endpoint``
    and ``values`` build the link to where it is done (``url``). ``code`` is the finalise
    refusal's code; ``candidate``/``criterion``/``gap_start`` what it concerns.
    """

    code: str
    message: str
    who: str
    role: str
    endpoint: str
    values: Mapping[str, str] = field(default_factory=dict)
    anchor: str = ""
    emails: tuple[str, ...] = ()
    candidate: str | None = None
    criterion: str | None = None
    gap_start: str | None = None
    # a second way to get it done, for HR (e.g. record a gap mark for the member), or None
    hr_endpoint: str | None = None
    hr_values: Mapping[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return url_for(self.endpoint, **self.values) + (f"#{self.anchor}" if self.anchor else "")

    @property
    def hr_url(self) -> str | None:
        return url_for(self.hr_endpoint, **self.hr_values) if self.hr_endpoint else None

    def is_for(self, user: User) -> bool:
        """Whether this user is one who must act on it."""
        if self.role == HR:
            return user.is_hr
        return user.email in self.emails


def month_text(gap_start: str) -> str:
    """'2019-04' -> 'April 2019'."""
    year, _, month = gap_start.partition("-")
    try:
        return f"{MONTHS[int(month) - 1]} {year}"
    except (ValueError, IndexError):
        return gap_start


def finalise_blockers(vacancy: Vacancy, today: date | None = None, *,
                      pairs: list[tuple[CandidateRecord, rules.Recommendation]] | None = None,
                      decisions: dict[str, Decision] | None = None) -> list[Blocker]:
    """The finalise refusals as work for named people, in the refusals' order. A page that
    has just gathered the records and recommendations (``recommend_with_records``) and read
    the decisions passes them in."""
    if vacancy.names_revealed:
        return []
    day = today or date.today()
    if pairs is None:
        pairs = recommend_with_records(vacancy, "shortlisting", day)
    if decisions is None:
        decisions = panel.decisions_for(vacancy, "shortlisting")
    refusals = panel.finalise_refusals(vacancy, day, recs=[rec for _r, rec in pairs], decisions=decisions)
    return blockers_from_refusals(vacancy, refusals, pairs)


def first_blockers(vacancy: Vacancy, limit: int, today: date | None = None, *,
                   pairs: list[tuple[CandidateRecord, rules.Recommendation]],
                   decisions: dict[str, Decision] | None = None) -> tuple[list[Blocker], int]:
    """The first ``limit`` of ``finalise_blockers`` and how many there are in all: what a
    page that lists a bounded number needs (issue 19). The rest are counted as they are
    made, never held: a 20,000-candidate campaign has about 175,000 (a mark owed by each
    of 40 sifters on each gap, a decision for each candidate), 120 MB as a list."""
    if vacancy.names_revealed:
        return [], 0
    day = today or date.today()
    if decisions is None:
        decisions = panel.decisions_for(vacancy, "shortlisting")
    refusals = panel.finalise_refusals(vacancy, day, recs=[rec for _r, rec in pairs], decisions=decisions)
    first: list[Blocker] = []
    total = 0
    for blocker in _each_blocker(vacancy, refusals, pairs):
        if total < limit:
            first.append(blocker)
        total += 1
    return first, total


def blockers_from_refusals(vacancy: Vacancy, refusals: Iterable[rules.Reason],
                           pairs: list[tuple[CandidateRecord, rules.Recommendation]]) -> list[Blocker]:
    return list(_each_blocker(vacancy, refusals, pairs))


def _each_blocker(vacancy: Vacancy, refusals: Iterable[rules.Reason],
                  pairs: list[tuple[CandidateRecord, rules.Recommendation]]) -> Iterator[Blocker]:
    people = _People(vacancy)
    by_reference = {record.reference: (record, rec) for record, rec in pairs}
    for refusal in refusals:
        yield from _blockers(vacancy, refusal, people, by_reference, pairs)


def by_person(blockers: Iterable[Blocker]) -> list[tuple[str, list[Blocker]]]:
    """The blockers grouped by who must act, in order of first appearance."""
    groups: dict[str, list[Blocker]] = {}
    for b in blockers:
        groups.setdefault(b.who, []).append(b)
    return list(groups.items())


class _People:
    """Names, e-mails and roles of the vacancy's panel (and of anyone who has left it)."""

    def __init__(self, vacancy: Vacancy) -> None:
        self.names = {m.user.email: m.user.name for m in vacancy.panel}
        self.on_panel = frozenset(self.names)
        self.scorers = [m.user.email for m in panel.scorers(vacancy)]
        self.chairs = [m.user.email for m in vacancy.panel if m.role == "chair"]
        self.manager = vacancy.recruiting_manager

    def name(self, email: str) -> str:
        if email not in self.names:
            self.names[email] = db.session.scalar(db.select(User.name).where(User.email == email)) or email
        return self.names[email]

    def chair(self) -> tuple[str, tuple[str, ...]]:
        if not self.chairs:
            return "HR (the panel has no chair)", ()
        return " and ".join(self.name(e) for e in self.chairs), tuple(self.chairs)

    def managing(self) -> tuple[str, tuple[str, ...], str]:
        if self.manager is None:
            return "HR", (), HR
        return self.manager.name, (self.manager.email,), MANAGER


def _blockers(vacancy: Vacancy, refusal: rules.Reason, people: _People,
              by_reference: dict[str, tuple[CandidateRecord, rules.Recommendation]],
              pairs: list[tuple[CandidateRecord, rules.Recommendation]]) -> list[Blocker]:
    ref = vacancy.reference
    code = refusal.code
    if code == codes.GAP_NOT_MARKED and refusal.member and refusal.gap_start:
        candidate = refusal.candidate
        on_panel = refusal.member in people.on_panel
        name = people.name(refusal.member)
        month = month_text(refusal.gap_start)
        if not on_panel:  # they have left the panel: only HR can record it for them
            return [Blocker(
                code, f"HR: record the mark {name}, who has left the panel, owes for the employment gap from "
                      f"{month} in {candidate}", "HR", HR, "panel.gap_marks_page",
                {"reference": ref, "application_reference": candidate or "", "member": refusal.member},
                anchor="record", candidate=candidate, gap_start=refusal.gap_start)]
        return [Blocker(
            code, f"{name}: mark the employment gap from {month} in {candidate} as explained or to explore at "
                  "interview",
            name, MEMBER, "panel.score", {"reference": ref, "application_reference": candidate or ""},
            anchor=f"gap-{refusal.gap_start}", emails=(refusal.member,), candidate=candidate,
            gap_start=refusal.gap_start,
            hr_endpoint="panel.gap_marks_page", hr_values={"reference": ref, "application_reference": candidate or ""})]
    if code == codes.CANDIDATE_INCOMPLETE:
        candidate = refusal.candidate
        if candidate not in by_reference:
            return [_fallback(vacancy, refusal, people)]
        record, rec = by_reference[candidate]
        return _incomplete(vacancy, record, rec, people)
    if code == codes.CANDIDATE_HR_REVIEW:
        candidate = refusal.candidate
        criteria = [r.criterion for r in by_reference[candidate][1].reasons
                    if r.code == codes.ADJUSTMENT_REVIEW and r.criterion] if candidate in by_reference else []
        what = f" ({', '.join(criteria)})" if criteria else ""
        return [Blocker(code, f"HR: review the reasonable adjustment for {candidate}{what}", "HR", HR,
                        "panel.adjustment_review", {"reference": ref, "application_reference": candidate or ""},
                        candidate=candidate)]
    if code in (codes.DECISION_MISSING, codes.DECISION_OUTDATED):
        candidate = refusal.candidate
        who, emails = people.chair()
        what = ("confirm a decision for" if code == codes.DECISION_MISSING
                else "confirm the decision again (its recommendation changed) for")
        return [Blocker(code, f"{who}: {what} {candidate}", who, CHAIR,
                        "panel.decide", {"reference": ref, "application_reference": candidate or ""},
                        emails=emails, candidate=candidate)]
    if code == codes.TOO_FEW_SHORTLISTERS:
        submitted = set().union(*(record.submitted_by for record, _rec in pairs)) if pairs else set()
        waiting = [e for e in people.scorers if e not in submitted]
        if waiting:
            return [Blocker(code, f"{people.name(e)}: submit shortlisting scores ({refusal.message})",
                            people.name(e), MEMBER, "panel.scoring", {"reference": ref}, emails=(e,))
                    for e in waiting]
        who, emails, role = people.managing()
        return [Blocker(code, f"{who}: add a panel member who scores ({refusal.message})", who, role,
                        "setup.panel", {"reference": ref}, emails=emails)]
    if code == codes.NO_TRAINED_PANEL_MEMBER:
        who, emails, role = people.managing()
        return [Blocker(code, f"{who}: {refusal.message}", who, role, "setup.panel", {"reference": ref},
                        emails=emails)]
    return [_fallback(vacancy, refusal, people)]


def _fallback(vacancy: Vacancy, refusal: rules.Reason, people: _People) -> Blocker:
    who, emails = people.chair()
    return Blocker(refusal.code, refusal.message, who, CHAIR, "panel.decisions", {"reference": vacancy.reference},
                   emails=emails, criterion=refusal.criterion)


def _incomplete(vacancy: Vacancy, record: CandidateRecord, rec: rules.Recommendation,
                people: _People) -> list[Blocker]:
    """Why a candidate is incomplete, as work: scores a member still owes, or agreed
    scores the chair must record (with a rationale where the members differ)."""
    ref, candidate = vacancy.reference, rec.reference
    short: list[str] = []
    to_agree: list[str] = []
    for key, result in rec.criteria.items():
        found = {r.code for r in result.reasons}
        if codes.INSUFFICIENT_SCORERS in found:
            short.append(key)
        if found & {codes.MODERATION_REQUIRED, codes.RATIONALE_REQUIRED} and result.status is \
                rules.CriterionStatus.INCOMPLETE:
            to_agree.append(key)
    out: list[Blocker] = []
    if short:
        waiting = [e for e in people.scorers if e not in record.submitted_by and e not in record.conflicts]
        for email in waiting:
            name = people.name(email)
            out.append(Blocker(codes.CANDIDATE_INCOMPLETE, f"{name}: submit scores for {candidate}", name, MEMBER,
                               "panel.score", {"reference": ref, "application_reference": candidate},
                               emails=(email,), candidate=candidate))
        if not waiting:
            who, emails, role = people.managing()
            out.append(Blocker(
                codes.CANDIDATE_INCOMPLETE,
                f"{who}: {candidate} has too few independent scores and every scorer on the panel has scored or "
                "declared a conflict: add a panel member who can score them", who, role, "setup.panel",
                {"reference": ref}, emails=emails, candidate=candidate))
    if to_agree:
        who, emails = people.chair()
        out.append(Blocker(codes.CANDIDATE_INCOMPLETE,
                           f"{who}: record agreed scores for {candidate} ({', '.join(to_agree)})", who, CHAIR,
                           "panel.moderate", {"reference": ref, "application_reference": candidate},
                           emails=emails, candidate=candidate, criterion=to_agree[0]))
    if not out:
        who, emails = people.chair()
        out.append(Blocker(codes.CANDIDATE_INCOMPLETE, f"{who}: {candidate} still has incomplete scores or "
                           "moderation", who, CHAIR, "panel.moderate",
                           {"reference": ref, "application_reference": candidate}, emails=emails,
                           candidate=candidate))
    return out
