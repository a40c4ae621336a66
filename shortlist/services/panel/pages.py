"""Read-models: what a panel page shows, gathered in one call, so that its view is the
form, one call and the template (issue 15.4). They read; nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass

from shortlist import rules
from shortlist.models import Application, Criterion, PanelDeparture, PanelMembership, User, Vacancy
from shortlist.paging import Page
from shortlist.permissions import hidden_because, sees_scheme, sees_scores
from shortlist.services.panel.base import name_revealed, scorers, stage_criteria, stage_open
from shortlist.services.panel.declarations import conflict_state, has_declared_about
from shortlist.services.panel.progress import Progress, QueueItem, my_queue, progress
from shortlist.services.panel.scoring import MemberScores, SheetView, gap_marks_for, others_scores, sheet_for
from shortlist.services.lists import MatrixArgs, matrix_page
from shortlist.services.recommendations import recommend_one
from shortlist.services.scoring_data import CandidateRecord

#: why a member is not shown an application's score page
NOT_IN_QUEUE = "not_in_queue"  # not theirs to score at this stage
DECLARE_FIRST = "declare_first"  # they have not answered the conflict question about it
CONFLICTED = "conflicted"  # they declared a conflict with the applicant


@dataclass(frozen=True)
class ScorePage:
    """One member's score page for one application at a stage."""

    reference: str
    items: list[QueueItem]  # their queue at the stage, without the applications they are conflicted with
    sheet: SheetView
    marks: dict[str, tuple[str, str]]  # their employment-gap marks: gap start -> (mark, note)
    evidence: dict[int, str]  # criterion id -> the applicant's evidence
    others: list[MemberScores]  # the other members' submitted scores, where R27 lets them see them
    guaranteed: bool  # the scheme's result, once they may see it (R10)
    reveal_name: bool
    stage_open: bool

    @property
    def queue(self) -> list[str]:
        return [q.reference for q in self.items]

    @property
    def position(self) -> int:
        return self.queue.index(self.reference)

    @property
    def previous(self) -> str | None:
        return self.queue[self.position - 1] if self.position > 0 else None

    @property
    def next(self) -> str | None:
        return self.queue[self.position + 1] if self.position + 1 < len(self.queue) else None

    @property
    def next_to_score(self) -> str | None:
        """After submitting: the next application in their queue (then from its start) they
        have still to submit."""
        if self.sheet.submitted_at is None:
            return None
        after = self.items[self.position + 1:] + self.items[:self.position]
        return next((q.reference for q in after if q.status in ("not_started", "draft")), None)


def score_page(vacancy: Vacancy, application: Application, user: User, stage: str) -> ScorePage | str:
    """The score page, or why this member is not shown it (NOT_IN_QUEUE, DECLARE_FIRST,
    CONFLICTED). Read after a refused submission too: the service wrote nothing."""
    from shortlist.services.sight import sight  # the access policy's facts (it imports this package)

    state = conflict_state(vacancy, user)
    items = my_queue(vacancy, user, stage, state)
    if application.reference not in {q.reference for q in items}:
        return NOT_IN_QUEUE
    if not has_declared_about(vacancy, application, user, state):
        return DECLARE_FIRST
    if application.id in state.conflicted:
        return CONFLICTED
    sheet = sheet_for(application, user, stage)
    marks = gap_marks_for(application, user)
    evidence = {e.criterion_id: e.text for e in application.evidence}
    # others' scores and the scheme (only as the computed result) once their own are in (R10, R27)
    seen = sight(vacancy, user, stage)
    others = [o for o in others_scores(application, stage, seen) if o.email != user.email]
    rec = recommend_one(vacancy, application.id, stage) if sees_scheme(seen, application.reference) else None
    return ScorePage(
        reference=application.reference, items=[q for q in items if q.status != "conflict"], sheet=sheet,
        marks=marks, evidence=evidence, others=others,
        guaranteed=rec is not None and rec.outcome is rules.Outcome.GUARANTEED_INTERVIEW,
        reveal_name=name_revealed(vacancy, application), stage_open=stage_open(vacancy, stage))


@dataclass(frozen=True)
class MatrixRow:
    """One candidate on the moderation matrix: their scores and the engine's result, or why
    the viewer is not shown them."""

    record: CandidateRecord  # the members' submitted scores (by e-mail) and the agreed scores
    rec: rules.Recommendation
    hidden: bool  # the viewer may not see this candidate's scores yet (R27) or at all
    why_hidden: str
    may_score: bool  # what unhides it for them: their own scores (a chair who scores but has not yet)

    @property
    def reference(self) -> str:
        return self.record.reference


@dataclass(frozen=True)
class ModerationPage:
    """The moderation matrix: a page of candidates by criterion, as the URL filters and
    sorts them (issue 19), with the panel's progress and who has left it."""

    args: MatrixArgs  # what the URL asked for (a criterion not of the stage dropped)
    criteria: list[Criterion]  # the stage's
    members: list[PanelMembership]  # the scorers
    rows: list[MatrixRow]
    page: Page
    progress: list[Progress]
    left: list[tuple[str, PanelDeparture | None]]  # scorers on the shown rows no longer on the panel
    sees_scheme: bool  # whether the viewer may filter on the scheme's result (guaranteed interview)


def moderation_page(vacancy: Vacancy, user: User, stage: str, args: MatrixArgs) -> ModerationPage:
    """What the moderation matrix shows ``user`` at ``stage``: one page of candidates (the
    rows the URL's filters keep; a filter never keeps a row on what the page hides), each
    hidden where the access policy says so (R27), and the panel's progress."""
    from shortlist.services import panel_changes  # audit and vacancies: kept out of this package's import
    from shortlist.services.sight import sight  # the access policy's facts (it imports this package)

    criteria = stage_criteria(vacancy, stage)
    args = args.for_criteria(c.key for c in criteria)
    seen = sight(vacancy, user, stage)
    listed = matrix_page(vacancy, stage, args, [c.key for c in criteria],
                               visible=lambda ref: sees_scores(seen, ref))
    rows = []
    for record, rec in listed.rows:
        hidden = not sees_scores(seen, record.reference)
        rows.append(MatrixRow(record, rec, hidden, hidden_because(seen, record.reference) if hidden else "",
                              hidden and seen.scores and record.reference not in seen.conflicted))
    departed = panel_changes.departures(vacancy)
    scored = {e for row in rows for e in row.record.submitted_by}
    left = [(email, departed.get(email)) for email in sorted(scored - {m.user.email for m in vacancy.panel})]
    return ModerationPage(args=args, criteria=criteria, members=scorers(vacancy), rows=rows, page=listed.page,
                          progress=progress(vacancy, stage), left=left,
                          sees_scheme=not seen.scores or seen.declared)
