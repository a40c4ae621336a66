"""HR reports as pure computations: Disability Confident compliance, adverse impact by
stage (the four-fifths rule, with small groups suppressed) and panel calibration.

Standard library only: the data arrives as plain values from
`shortlist.services.reports`, which gathers it in a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# --------------------------------------------------------------------------- Disability Confident

DECISION_LABELS = {
    "invite": "Invited to interview",
    "reserve": "Reserve list",
    "reject": "Not shortlisted",
    None: "No decision recorded yet",
}


@dataclass(frozen=True)
class SchemeApplicant:
    """One applicant in a vacancy's "offer an interview" scheme, as the engine and the panel left them.

    ``met_minimum``: the engine found every essential shortlisting criterion met (or waived);
    ``decision``: the shortlisting outcome recorded by a named person (None: none yet).
    """

    reference: str
    met_minimum: bool
    decision: str | None = None
    reason: str = ""
    override_reason: str | None = None

    @property
    def invited(self) -> bool:
        return self.decision == "invite"


@dataclass(frozen=True)
class NotInvited:
    """A scheme applicant who met the minimum criteria but was not invited, and why."""

    vacancy: str
    reference: str
    decision: str | None
    reason: str
    override_reason: str | None

    @property
    def decision_label(self) -> str:
        return DECISION_LABELS.get(self.decision, self.decision or "")


@dataclass(frozen=True)
class ComplianceRow:
    vacancy: str
    title: str
    runs_scheme: bool
    in_scheme: int
    met_minimum: int
    invited: int
    met_invited: int
    not_invited: tuple[NotInvited, ...] = ()

    @property
    def met_not_invited(self) -> int:
        return len(self.not_invited)

    @property
    def compliant(self) -> bool:
        """Every scheme applicant who met the minimum criteria was invited."""
        return not self.not_invited


def compliance_row(vacancy: str, title: str, runs_scheme: bool,
                   applicants: Iterable[SchemeApplicant]) -> ComplianceRow:
    people = list(applicants)
    not_invited = tuple(
        NotInvited(vacancy, a.reference, a.decision, a.reason.strip(), a.override_reason)
        for a in sorted(people, key=lambda a: a.reference) if a.met_minimum and not a.invited
    )
    return ComplianceRow(
        vacancy=vacancy, title=title, runs_scheme=runs_scheme,
        in_scheme=len(people),
        met_minimum=sum(a.met_minimum for a in people),
        invited=sum(a.invited for a in people),
        met_invited=sum(a.met_minimum and a.invited for a in people),
        not_invited=not_invited,
    )


def compliance_total(rows: Iterable[ComplianceRow]) -> ComplianceRow:
    items = list(rows)
    return ComplianceRow(
        vacancy="", title="All vacancies", runs_scheme=any(r.runs_scheme for r in items),
        in_scheme=sum(r.in_scheme for r in items),
        met_minimum=sum(r.met_minimum for r in items),
        invited=sum(r.invited for r in items),
        met_invited=sum(r.met_invited for r in items),
        not_invited=tuple(n for r in items for n in r.not_invited),
    )


# --------------------------------------------------------------------------- adverse impact

STAGE_ORDER: tuple[str, ...] = ("applied", "shortlisted", "interviewed", "appointed")
STAGE_LABELS = {
    "applied": "Applied",
    "shortlisted": "Shortlisted (invited to interview)",
    "interviewed": "Interviewed",
    "appointed": "Appointed",
}
MIN_GROUP = 5
FOUR_FIFTHS = 0.8
NOT_ANSWERED = "Not answered"
# Answers that are not a group of the characteristic: shown, never compared or flagged.
NOT_COMPARED = frozenset({"prefer not to say", NOT_ANSWERED.lower()})

CHARACTERISTIC_LABELS = {
    "age_band": "Age",
    "sex": "Sex",
    "gender_identity_same_as_birth": "Gender identity the same as at birth",
    "ethnicity": "Ethnicity",
    "religion": "Religion or belief",
    "sexual_orientation": "Sexual orientation",
    "disability": "Disability",
    "caring_responsibilities": "Caring responsibilities",
}

# group -> stage -> number of people who reached it
StageCounts = Mapping[str, Mapping[str, int]]


@dataclass(frozen=True)
class Person:
    """One applicant for the adverse-impact report: their monitoring answers and the stages reached."""

    answers: Mapping[str, str]
    stages: frozenset[str]


def group_of(answers: Mapping[str, str], characteristic: str) -> str:
    value = (answers.get(characteristic) or "").strip()
    return value or NOT_ANSWERED


def stage_counts(people: Iterable[Person], characteristics: Iterable[str]) -> dict[str, dict[str, dict[str, int]]]:
    """characteristic -> group -> stage -> count. Everyone counts as applied."""
    keys = list(characteristics)
    out: dict[str, dict[str, dict[str, int]]] = {k: {} for k in keys}
    for person in people:
        reached = set(person.stages) | {"applied"}
        for key in keys:
            counts = out[key].setdefault(group_of(person.answers, key), dict.fromkeys(STAGE_ORDER, 0))
            for stage in STAGE_ORDER:
                if stage in reached:
                    counts[stage] += 1
    return out


def merge_counts(*tables: Mapping[str, StageCounts]) -> dict[str, dict[str, dict[str, int]]]:
    """Add stage counts together (live data and the snapshots of purged vacancies)."""
    out: dict[str, dict[str, dict[str, int]]] = {}
    for table in tables:
        for key, groups in table.items():
            for group, counts in groups.items():
                target = out.setdefault(key, {}).setdefault(group, dict.fromkeys(STAGE_ORDER, 0))
                for stage in STAGE_ORDER:
                    target[stage] += int(counts.get(stage, 0))
    return out


@dataclass(frozen=True)
class GroupRate:
    """One group at one step. ``suppressed``: fewer than MIN_GROUP people in the pool, so no figures."""

    group: str
    pool: int | None
    selected: int | None
    rate: float | None
    ratio: float | None
    compared: bool
    suppressed: bool
    flagged: bool
    reference: bool = False


@dataclass(frozen=True)
class StepImpact:
    """Selection from the previous stage into ``stage``."""

    stage: str
    previous: str
    groups: tuple[GroupRate, ...]
    highest_rate: float | None

    @property
    def flagged(self) -> tuple[GroupRate, ...]:
        return tuple(g for g in self.groups if g.flagged)


@dataclass(frozen=True)
class ImpactTable:
    characteristic: str
    applied: tuple[tuple[str, int | None], ...]  # group -> applicants (None: suppressed)
    steps: tuple[StepImpact, ...] = field(default=())
    applicants: int = 0  # everyone counted
    unanswered: int = 0  # of them, those with no answer that can be compared (not answered, prefer not to say)

    @property
    def flags(self) -> int:
        return sum(len(s.flagged) for s in self.steps)


def _sort_groups(groups: Iterable[str]) -> list[str]:
    return sorted(groups, key=lambda g: (g.lower() in NOT_COMPARED, g.lower()))


def adverse_impact(characteristic: str, counts: StageCounts, *, min_group: int = MIN_GROUP,
                   threshold: float = FOUR_FIFTHS) -> ImpactTable:
    """Selection rates per group at each step and the ratio to the highest rate (four-fifths rule).

    A step's selection rate for a group is the share of the group's people at the previous
    stage who reached this one. A group with fewer than ``min_group`` people in a pool is
    suppressed at that step: no count, rate or ratio is shown, and it is not the reference.
    "Prefer not to say" and "Not answered" are shown but neither compared nor flagged.
    A ratio below ``threshold`` is flagged.
    """
    groups = _sort_groups(counts)
    applied = tuple(
        (g, counts[g].get("applied", 0) if counts[g].get("applied", 0) >= min_group else None) for g in groups
    )
    steps = []
    for previous, stage in zip(STAGE_ORDER, STAGE_ORDER[1:], strict=False):
        raw = []
        for g in groups:
            pool = int(counts[g].get(previous, 0))
            selected = int(counts[g].get(stage, 0))
            suppressed = pool < min_group
            compared = g.lower() not in NOT_COMPARED
            rate = selected / pool if pool and not suppressed else None
            raw.append((g, pool, selected, rate, compared, suppressed))
        rates = [r for _, _, _, r, compared, suppressed in raw if compared and not suppressed and r is not None]
        highest = max(rates) if rates else None
        rows = []
        for g, pool, selected, rate, compared, suppressed in raw:
            ratio = None
            if compared and rate is not None and highest:
                ratio = rate / highest
            rows.append(GroupRate(
                group=g,
                pool=None if suppressed else pool,
                selected=None if suppressed else selected,
                rate=rate,
                ratio=ratio,
                compared=compared,
                suppressed=suppressed,
                flagged=ratio is not None and ratio < threshold,
                reference=ratio is not None and highest is not None and rate == highest,
            ))
        steps.append(StepImpact(stage, previous, tuple(rows), highest))
    applicants = sum(int(counts[g].get("applied", 0)) for g in groups)
    unanswered = sum(int(counts[g].get("applied", 0)) for g in groups if g.lower() in NOT_COMPARED)
    return ImpactTable(characteristic, applied, tuple(steps), applicants, unanswered)


@dataclass(frozen=True)
class Conclusion:
    """What the adverse-impact figures for one characteristic allow us to say, in words.

    ``code``: ``no_answers`` (nobody gave an answer that can be compared), ``too_few_to_compare``
    (no stage has two groups large enough), ``below_four_fifths`` (a group is flagged) or
    ``none_below``. Where answers are missing the message says how many (fewer than
    ``MIN_GROUP`` is not counted exactly, as on the tables), and never draws a conclusion
    the answers cannot support.
    """

    code: str
    message: str
    applicants: int
    unanswered: int


def impact_conclusion(table: ImpactTable, *, min_group: int = MIN_GROUP) -> Conclusion:
    label = CHARACTERISTIC_LABELS.get(table.characteristic, table.characteristic).lower()
    applicants = table.applicants
    unanswered = table.unanswered
    if unanswered and unanswered < min_group:
        missing = f"fewer than {min_group} of the {applicants} applicants"
    else:
        missing = f"{unanswered} of the {applicants} applicants"
    gap = (f" {missing[0].upper()}{missing[1:]} did not answer or preferred not to say: the figures cover only "
           "those who answered." if unanswered else "")
    if applicants == 0 or unanswered >= applicants:
        return Conclusion("no_answers", f"None of the {applicants} applicants answered the {label} question (or "
                          "they preferred not to say), so this report cannot say whether any group was "
                          "disadvantaged at any stage.", applicants, unanswered)
    comparable = [s for s in table.steps if sum(1 for g in s.groups if g.compared and not g.suppressed) >= 2]
    if not comparable:
        return Conclusion("too_few_to_compare", f"Too few answers to compare: no stage has two groups of "
                          f"{min_group} or more people who answered, so this report cannot say whether any group "
                          f"was disadvantaged.{gap}", applicants, unanswered)
    flagged = [(s, g) for s in table.steps for g in s.flagged]
    if flagged:
        return Conclusion("below_four_fifths", f"{len(flagged)} selection rate{'' if len(flagged) == 1 else 's'} "
                          f"below four-fifths of the highest.{gap}", applicants, unanswered)
    return Conclusion("none_below", "No selection rate is below four-fifths of the highest among the groups "
                      f"compared.{gap}", applicants, unanswered)


# --------------------------------------------------------------------------- panel calibration


@dataclass(frozen=True)
class MemberScore:
    """A submitted score: ``application`` is any stable key for the application."""

    member: str
    application: str
    criterion: str
    value: int


@dataclass(frozen=True)
class Distribution:
    criterion: str
    counts: tuple[tuple[int, int], ...]  # (score, how many), every point of the scale
    total: int
    mean: float | None


def score_distribution(scores: Iterable[MemberScore], criteria: Iterable[str],
                       scale_points: Iterable[int]) -> list[Distribution]:
    """Per criterion, how many submitted scores fell on each point of the scale."""
    points = list(scale_points)
    by_criterion: dict[str, list[int]] = {}
    for s in scores:
        by_criterion.setdefault(s.criterion, []).append(s.value)
    out = []
    for key in criteria:
        values = by_criterion.get(key, [])
        out.append(Distribution(
            criterion=key,
            counts=tuple((p, sum(1 for v in values if v == p)) for p in points),
            total=len(values),
            mean=sum(values) / len(values) if values else None,
        ))
    return out


@dataclass(frozen=True)
class MemberDistance:
    """How far a member's scores sit from the agreed scores.

    ``mean_distance``: the mean of |member - agreed|; ``mean_difference``: the mean of
    (member - agreed), positive when the member scores more generously than the panel agreed.
    """

    member: str
    scores: int
    compared: int
    mean_distance: float | None
    mean_difference: float | None
    exact: int


def member_distances(scores: Iterable[MemberScore], agreed: Mapping[tuple[str, str], int]) -> list[MemberDistance]:
    """``agreed``: (application, criterion) -> agreed score. Only scores with an agreed score are compared."""
    by_member: dict[str, list[MemberScore]] = {}
    for s in scores:
        by_member.setdefault(s.member, []).append(s)
    out = []
    for member in sorted(by_member):
        mine = by_member[member]
        diffs = [s.value - agreed[(s.application, s.criterion)] for s in mine
                 if (s.application, s.criterion) in agreed]
        out.append(MemberDistance(
            member=member,
            scores=len(mine),
            compared=len(diffs),
            mean_distance=sum(abs(d) for d in diffs) / len(diffs) if diffs else None,
            mean_difference=sum(diffs) / len(diffs) if diffs else None,
            exact=sum(1 for d in diffs if d == 0),
        ))
    return out
