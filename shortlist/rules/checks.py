"""Vacancy checks: the same findings, with the same messages, at load, in the UI and at publish."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from shortlist.rules import codes
from shortlist.rules._text import add_years, label, listing, plural
from shortlist.rules.types import (
    Criterion,
    Finding,
    PanelMember,
    Vacancy,
)
from shortlist.rules.vocabulary import (
    BARRED_LISTS,
    DBS_LEVELS,
    EVIDENCE_METHODS,
    METHODS,
    PANEL_ROLES,
)

DEFAULT_REFRESH_YEARS = 3
FLUENCY_METHODS = frozenset({"I", "P", "E"})

_LANGUAGE = re.compile(r"\b(english|welsh|cymraeg)\b", re.IGNORECASE)
_SPOKEN = re.compile(r"spoken|\bspeak|fluen|\boral\b|verbal|conversation", re.IGNORECASE)
_WORD_LANGUAGE = re.compile(r"\blanguage\b", re.IGNORECASE)
_WRITTEN = re.compile(r"\bwrit|\bread", re.IGNORECASE)
_PART_7 = re.compile(r"immigration act\s+2016", re.IGNORECASE)
_DBS = re.compile(
    r"\bDBS\b|disclosure and barring|criminal record|\bCRB\b|barred list|police check"
    r"|enhanced disclosure", re.IGNORECASE)


def is_fluency_criterion(criterion: Criterion) -> bool:
    """Does the criterion ask for spoken English (or Welsh), as Part 7 of the
    Immigration Act 2016 requires for customer-facing roles (R32)?"""
    text = criterion.text
    if _PART_7.search(text):
        return True
    if not _LANGUAGE.search(text):
        return False
    if _SPOKEN.search(text):
        return True
    return bool(_WORD_LANGUAGE.search(text)) and not _WRITTEN.search(text)


def looks_like_dbs_check(criterion: Criterion) -> bool:
    """A DBS / criminal-record check written as a criterion (R14)."""
    return bool(_DBS.search(criterion.text))


def trained_members(vacancy: Vacancy, today: date,
                    refresh_years: int = DEFAULT_REFRESH_YEARS) -> tuple[PanelMember, ...]:
    """Panel members whose safer-recruitment training is in date on ``today`` (R18):
    completed on or before today, less than ``refresh_years`` years ago."""
    return tuple(
        m for m in vacancy.panel
        if m.safer_recruitment_trained_on is not None
        and m.safer_recruitment_trained_on <= today < add_years(m.safer_recruitment_trained_on,
                                                                 refresh_years)
    )


def no_trained_member_message(vacancy: Vacancy, today: date, refresh_years: int) -> str:
    expired = [m for m in vacancy.panel
               if m.safer_recruitment_trained_on is not None
               and m.safer_recruitment_trained_on <= today]
    text = (f"This is a safeguarding role, but no panel member has safer-recruitment training "
            f"completed in the last {plural(refresh_years, 'year')}. Add a trained member before "
            "the shortlist is finalised or an interview pack is produced.")
    if expired:
        names = [f"{m.name} ({m.safer_recruitment_trained_on})" for m in expired]
        text += f" Training has expired for {listing(names)}."
    return text


def check_vacancy(vacancy: Vacancy, today: date,
                  refresh_years: int = DEFAULT_REFRESH_YEARS) -> list[Finding]:
    """Every problem with the vacancy's set-up: errors block loading or publishing,
    warnings are shown. ``field`` paths are relative to the campaign file's ``vacancy``
    mapping, except ``criteria[KEY]...`` and ``panel[EMAIL]...``."""
    findings: list[Finding] = []
    findings += _dbs(vacancy)
    findings += _scale(vacancy)
    findings += _numbers(vacancy)
    findings += _criteria(vacancy)
    findings += _panel(vacancy, today, refresh_years)
    return findings


def _error(code: str, path: str, message: str, criterion: str | None = None) -> Finding:
    return Finding("error", code, path, message, criterion)


def _warning(code: str, path: str, message: str, criterion: str | None = None) -> Finding:
    return Finding("warning", code, path, message, criterion)


def _dbs(vacancy: Vacancy) -> list[Finding]:
    dbs, out = vacancy.dbs, []
    if dbs.level not in DBS_LEVELS:
        out.append(_error(codes.DBS_LEVEL_UNKNOWN, "dbs.level",
                          f"DBS level {dbs.level!r} is not one of {', '.join(DBS_LEVELS)}."))
    unknown = sorted(set(dbs.barred_lists) - set(BARRED_LISTS))
    if unknown:
        out.append(_error(codes.BARRED_LIST_UNKNOWN, "dbs.barred_lists",
                          f"Unknown barred list {listing(unknown)}: use children and/or adults."))
    if dbs.barred_lists:
        lists = listing(sorted(set(dbs.barred_lists)))
        if dbs.level != "enhanced":
            out.append(_error(
                codes.BARRED_LIST_NEEDS_ENHANCED, "dbs.barred_lists",
                f"A barred-list check ({lists}) can only be part of an enhanced DBS check, but "
                f"the DBS level is {dbs.level!r}."))
        if not dbs.regulated_activity:
            out.append(_error(
                codes.BARRED_LIST_NEEDS_REGULATED_ACTIVITY, "dbs.barred_lists",
                f"A barred-list check ({lists}) may only be requested for regulated activity "
                "with that group, but the vacancy is not marked as regulated activity. Request "
                "only the lists the role is eligible for."))
    elif dbs.regulated_activity:
        out.append(_warning(
            codes.REGULATED_ACTIVITY_WITHOUT_BARRED_LIST, "dbs.barred_lists",
            "The role is regulated activity but no barred-list check is requested: add the "
            "children's and/or adults' list the role works with."))
    if dbs.regulated_activity and not vacancy.safeguarding_role and not vacancy.safeguarding_exemption.strip():
        out.append(_error(
            codes.REGULATED_ACTIVITY_NOT_SAFEGUARDING, "safeguarding_exemption",
            "The role is regulated activity with children or adults, so it is a safeguarding role: "
            "mark it as one, or record why it is not."))
    return out


def _scale(vacancy: Vacancy) -> list[Finding]:
    scale, out = vacancy.scale, []
    if scale.min > scale.max:
        out.append(_error(codes.SCALE_MIN_ABOVE_MAX, "scale.min",
                          f"The scale's lowest score ({scale.min}) is above its highest ({scale.max})."))
        return out
    if not scale.min <= scale.met <= scale.max:
        out.append(_error(codes.MET_OUTSIDE_SCALE, "scale.met",
                          f"The score at which a criterion is met ({scale.met}) is outside the "
                          f"scale {scale.min}-{scale.max}."))
    if scale.divergence_gap < 1:
        out.append(_error(codes.DIVERGENCE_GAP_INVALID, "scale.divergence_gap",
                          f"The divergence gap must be at least 1, not {scale.divergence_gap}."))
    points = range(scale.min, scale.max + 1)
    missing = [str(p) for p in points if not str(scale.descriptors.get(p, "")).strip()]
    if missing:
        out.append(_warning(codes.DESCRIPTOR_MISSING, "scale.descriptors",
                            f"Scale point{'s' if len(missing) > 1 else ''} {listing(missing)} "
                            "ha" + ("ve" if len(missing) > 1 else "s") + " no descriptor: every "
                            "score should say what it means before scoring starts."))
    outside = sorted(str(p) for p in scale.descriptors if p not in points)
    if outside:
        out.append(_warning(codes.DESCRIPTOR_OUTSIDE_SCALE, "scale.descriptors",
                            f"Descriptor{'s' if len(outside) > 1 else ''} for {listing(outside)} "
                            f"lie{'' if len(outside) > 1 else 's'} outside the scale "
                            f"{scale.min}-{scale.max}."))
    return out


def _numbers(vacancy: Vacancy) -> list[Finding]:
    out = []
    if vacancy.min_scorers < 1:
        out.append(_error(codes.MIN_SCORERS_INVALID, "min_scorers",
                          f"At least one scorer is needed, not {vacancy.min_scorers}."))
    elif vacancy.min_scorers < 2:
        out.append(_warning(codes.MIN_SCORERS_BELOW_TWO, "min_scorers",
                            "Only one independent scorer is required: safer-recruitment guidance "
                            "expects at least two people to shortlist."))
    if vacancy.employment_gap_months < 1:
        out.append(_error(codes.GAP_MONTHS_INVALID, "employment_gap_months",
                          "Employment gaps must be counted in whole months of at least 1, not "
                          f"{vacancy.employment_gap_months}."))
    cap = vacancy.interview_cap
    if cap is not None:
        if cap.places < 1:
            out.append(_error(codes.CAP_PLACES_INVALID, "interview_cap.places",
                              f"An interview cap needs at least 1 place, not {cap.places}."))
        if not cap.reason.strip():
            out.append(_error(codes.CAP_REASON_MISSING, "interview_cap.reason",
                              "An interview cap needs a recorded reason (a high-volume campaign)."))
    if vacancy.declaration_triggers_scheme and not vacancy.offer_interview:
        out.append(_warning(
            codes.SCHEME_SETTING_INEFFECTIVE, "disability_confident.declaration_triggers_scheme",
            'A declared disability is set to count as opting in, but the vacancy does not run '
            'the "offer an interview" scheme, so the setting has no effect.'))
    return out


def _criteria(vacancy: Vacancy) -> list[Finding]:
    out: list[Finding] = []
    criteria = vacancy.criteria
    if not criteria:
        out.append(_warning(codes.NO_CRITERIA, "criteria",
                            "The vacancy has no criteria, so there is nothing to shortlist against."))
    counts = Counter(c.key for c in criteria)
    for index, criterion in enumerate(criteria):
        if counts[criterion.key] > 1:
            out.append(_error(codes.DUPLICATE_CRITERION_KEY, f"criteria[{index}].key",
                              f"Criterion key {criterion.key} is used {counts[criterion.key]} "
                              "times; each key must be unique.", criterion.key))
    for criterion in criteria:
        out += _criterion(criterion)

    gating = [c for c in criteria if c.essential and c.shortlisting and not c.pre_employment]
    if criteria and not gating:
        scheme = (' Under the "offer an interview" scheme every applicant in the scheme will '
                  "be guaranteed an interview." if vacancy.offer_interview else "")
        out.append(_warning(codes.NO_SHORTLISTING_ESSENTIALS, "criteria",
                            "No essential criterion is marked for shortlisting, so every applicant "
                            f"meets the essential criteria at shortlisting.{scheme}"))
    if vacancy.customer_facing:
        out += _fluency(vacancy)
    return out


def _criterion(criterion: Criterion) -> list[Finding]:
    out: list[Finding] = []
    key, name = criterion.key, label(criterion)
    path = f"criteria[{key}]"
    unknown = sorted(set(criterion.methods) - set(METHODS))
    if unknown:
        out.append(_error(codes.UNKNOWN_METHOD, f"{path}.methods",
                          f"{name} has unknown assessment method {listing(unknown)}; use AF, I, P, "
                          "E, Q, T or R.", key))
    if not criterion.methods and not criterion.pre_employment:
        if criterion.essential:
            out.append(_error(codes.CRITERION_WITHOUT_METHOD, f"{path}.methods",
                              f"Essential criterion {name} has no assessment method, so it can "
                              "never be assessed.", key))
        else:
            out.append(_warning(codes.CRITERION_WITHOUT_METHOD, f"{path}.methods",
                                f"Desirable criterion {name} has no assessment method.", key))
    if criterion.pre_employment and criterion.shortlisting:
        out.append(_warning(codes.PRE_EMPLOYMENT_SCORED, f"{path}.shortlisting",
                            f"{name} is a pre-employment check, made after a conditional offer; "
                            "it is never scored, so its shortlisting mark is ignored.", key))
    elif criterion.shortlisting and not EVIDENCE_METHODS.intersection(criterion.methods):
        out.append(_warning(codes.SHORTLISTING_WITHOUT_EVIDENCE, f"{path}.methods",
                            f"{name} is scored at shortlisting but the application cannot "
                            "evidence it (no AF or Q method).", key))
    if looks_like_dbs_check(criterion) and not criterion.pre_employment:
        out.append(_warning(codes.DBS_AS_CRITERION, f"{path}.pre_employment",
                            f"{name} looks like a DBS or criminal-record check. Such checks are "
                            "made after a conditional offer and never scored: mark it as a "
                            "pre-employment check.", key))
    return out


def _fluency(vacancy: Vacancy) -> list[Finding]:
    candidates = [c for c in vacancy.criteria if is_fluency_criterion(c) and not c.pre_employment]
    if any(c.essential and FLUENCY_METHODS.intersection(c.methods) for c in candidates):
        return []
    message = ("This customer-facing role needs an essential criterion for spoken English (or "
               "Welsh in Wales) at the level the job requires, assessed by interview, "
               "presentation or exercise (Immigration Act 2016, Part 7).")
    if candidates:
        near = candidates[0]
        problem = [] if near.essential else ["is desirable"]
        if not FLUENCY_METHODS.intersection(near.methods):
            problem.append("is not assessed by I, P or E")
        message += f" {label(near)} {listing(problem)}."
        return [_error(codes.FLUENCY_CRITERION_MISSING, f"criteria[{near.key}]", message, near.key)]
    return [_error(codes.FLUENCY_CRITERION_MISSING, "criteria", message)]


def _panel(vacancy: Vacancy, today: date, refresh_years: int) -> list[Finding]:
    out: list[Finding] = []
    counts = Counter(m.email.strip().lower() for m in vacancy.panel)
    reported: set[str] = set()
    for member in vacancy.panel:
        email = member.email.strip().lower()
        path = f"panel[{member.email}]"
        if counts[email] > 1 and email not in reported:
            reported.add(email)
            out.append(_error(codes.DUPLICATE_PANEL_MEMBER, f"{path}.email",
                              f"{member.name} ({member.email}) is on the panel "
                              f"{counts[email]} times."))
        if member.role not in PANEL_ROLES:
            out.append(_error(codes.UNKNOWN_PANEL_ROLE, f"{path}.role",
                              f"{member.name}'s panel role {member.role!r} is not one of chair, "
                              "member or hr_adviser."))
        trained = member.safer_recruitment_trained_on
        if trained is not None and trained > today:
            out.append(_warning(codes.TRAINING_DATE_IN_FUTURE,
                                f"{path}.safer_recruitment_trained_on",
                                f"{member.name}'s safer-recruitment training date ({trained}) is in "
                                "the future."))
    if vacancy.panel and len(counts) < vacancy.min_scorers:
        out.append(_warning(codes.PANEL_TOO_SMALL, "panel",
                            f"The panel has {plural(len(counts), 'member')} but "
                            f"{vacancy.min_scorers} independent scorers are needed."))
    if vacancy.safeguarding_role and not trained_members(vacancy, today, refresh_years):
        out.append(_warning(codes.NO_TRAINED_PANEL_MEMBER, "panel",
                            no_trained_member_message(vacancy, today, refresh_years)))
    return out
