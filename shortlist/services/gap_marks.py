"""Employment-gap marks on submitted sheets (R20).

A member marks each gap when they submit their scores (``panel.save_sheet``). A sheet can
still be submitted without a mark for a gap: one loaded from a campaign file without its
``gap_marks``, or a gap that appeared after the sheet was submitted (the vacancy's gap
length changed, or a current gap grew past it). The shortlist cannot be finalised until
every shortlister has marked every gap, so the missing marks can be added after
submission: by the member themself, or by HR for them, with HR's reason (for example the
member confirmed it by e-mail), each recorded in the audit log. A mark, once given, is
final, like the scores it sits beside.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from shortlist.extensions import db
from shortlist.permissions import is_hr_of
from shortlist.models import GAP_MARK_NAMES, Application, ConflictDeclaration, GapMark, ScoreSheet, User, Vacancy
from shortlist.rules import Reason
from shortlist.services import audit
from shortlist.services.blockers import month_text
from shortlist.services.panel import gaps_for, stage_open
from shortlist.services.refusals import PanelRefused, Problem
from shortlist.services.transactions import transaction


@dataclass(frozen=True)
class MemberMarks:
    """One shortlister's marks on one application's gaps: gap start -> the mark, or None."""

    email: str
    name: str
    marks: dict[str, GapMark | None]

    @property
    def owed(self) -> list[str]:
        return [start for start, mark in self.marks.items() if mark is None]


def gaps(vacancy: Vacancy, application: Application) -> list[Reason]:
    return [g for g in gaps_for(vacancy, application) if g.gap_start]


def marks_by_member(vacancy: Vacancy, application: Application) -> list[MemberMarks]:
    """Each member who submitted shortlisting scores for the application (and has no
    conflict with them), with their mark on each of its gaps: the marks the finalise check
    needs, and who still owes which."""
    starts = [g.gap_start or "" for g in gaps(vacancy, application)]
    shortlisters = db.session.execute(
        select(User).join(ScoreSheet, ScoreSheet.user_id == User.id)
        .where(ScoreSheet.application_id == application.id, ScoreSheet.stage == "shortlisting",
               ScoreSheet.submitted_at.is_not(None))
        .order_by(User.name)).scalars().all()
    conflicted = set(db.session.scalars(
        select(ConflictDeclaration.user_id).where(ConflictDeclaration.application_id == application.id,
                                                  ConflictDeclaration.conflict.is_(True))))
    given: dict[tuple[int, str], GapMark] = {
        (m.user_id, m.gap_start): m
        for m in db.session.scalars(select(GapMark).where(GapMark.application_id == application.id))}
    return [MemberMarks(u.email, u.name, {s: given.get((u.id, s)) for s in starts})
            for u in shortlisters if u.id not in conflicted]


def mark_gaps(vacancy: Vacancy, application: Application, actor: User, member: User,
              marks: Mapping[str, tuple[str | None, str]], reason: str = "") -> list[GapMark]:
    """Record ``member``'s missing marks (gap start -> (mark, note)) on their submitted
    sheet, all or none: by the member themself, or by HR for them, with ``reason`` (how the
    member's view was obtained). Gaps left out, or already marked, are not changed."""
    for_member = actor.id != member.id
    if for_member and not is_hr_of(actor, vacancy):
        raise PanelRefused([Problem("not_allowed", "Only the member, or HR for them, marks a gap on their sheet.")])
    if not stage_open(vacancy, "shortlisting"):
        raise PanelRefused([Problem("shortlist_finalised",
                                    "The shortlist has been finalised, so gap marks can no longer change.")])
    mine = next((m for m in marks_by_member(vacancy, application) if m.email == member.email), None)
    if mine is None:
        whose = f"{member.name} has" if for_member else "You have"
        raise PanelRefused([Problem(
            "not_a_shortlister", f"{whose} not submitted scores for {application.reference}, or declared a conflict "
            "with them, so there is no sheet to mark.")])
    problems: list[Problem] = []
    wanted: dict[str, tuple[str, str]] = {}
    for start, (mark, note) in marks.items():
        field = f"gap-{start}"
        if start not in mine.marks:
            problems.append(Problem("unknown_gap", f"{application.reference} has no employment gap from "
                                    f"{month_text(start)}", field))
        elif mine.marks[start] is not None:
            continue  # already marked: final, like the scores beside it
        elif mark not in GAP_MARK_NAMES:
            # a message, not SQL (it starts "Select")
            message = f"Select whether the gap from {month_text(start)} is explained or to explore at interview"  # nosec B608
            problems.append(Problem("gap_not_marked", message, field))
        elif len(note) > 2000:
            problems.append(Problem("too_long", "The note must be 2000 characters or fewer", f"gapnote-{start}"))
        else:
            wanted[start] = (mark, note.strip())
    if for_member and not reason.strip():
        problems.append(Problem("reason_required", f"Give the reason you are recording {member.name}'s mark (for "
                                "example, how they gave it to you)", "reason"))
    if len(reason) > 2000:
        problems.append(Problem("too_long", "The reason must be 2000 characters or fewer", "reason"))
    if not problems and not wanted:
        problems.append(Problem("gap_not_marked", "Select a mark for a gap that is not yet marked",
                                f"gap-{mine.owed[0]}" if mine.owed else None))
    if problems:
        raise PanelRefused(problems)
    with transaction():
        rows = [GapMark(application_id=application.id, user_id=member.id, gap_start=start, mark=mark, note=note,
                        recorded_by_id=actor.id if for_member else None,
                        recorded_reason=reason.strip() if for_member else "")
                for start, (mark, note) in sorted(wanted.items())]
        db.session.add_all(rows)
        audit.record(audit.Actor.of(actor), "gap.marked", vacancy=vacancy.reference, subject=application.reference,
                     member=member.email, marks={start: mark for start, (mark, _n) in sorted(wanted.items())},
                     recorded_for_member=for_member, reason=reason.strip() if for_member else None)
    return rows
