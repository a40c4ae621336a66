"""Gates for the interview pack (R18, R23): what must hold before a pack is produced.

``check_pack`` returns refusals, each saying why and what to do; an empty list means
the pack may be produced.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from shortlist.rules import codes
from shortlist.rules.checks import DEFAULT_REFRESH_YEARS, no_trained_member_message, trained_members
from shortlist.rules.stages import stage_criteria
from shortlist.rules.types import Criterion, Reason, Vacancy

# R23 (KCSIE Part three): safeguarding scenarios, boundaries, motivation to work with
# children, and what the panel does about harm, allegations and concerns.
_SAFEGUARDING = re.compile(
    r"safeguard|child protection|protect(?:ing|ion of)? (?:children|young people|vulnerable)"
    r"|\bLADO\b|designated (?:safeguarding )?(?:lead|officer)|allegation|boundar(?:y|ies)"
    r"|\babus(?:e|ed|ive)\b|\bneglect|exploitation|grooming|whistle-?blow|\bharm(?:ed|ful)?\b"
    r"|(?:child|children|young person|young people|pupil|adult)(?:'s|s'|’s|s’)? (?:safety|welfare|well-?being)"
    r"|\bat risk\b|(?:motivat\w*|want|wish|chose|choose)(?: \w+){0,3} (?:for|to) work(?:ing)? with "
    r"(?:children|young people|vulnerable)",
    re.IGNORECASE,
)


def is_safeguarding_question(text: str, criterion: Criterion | None = None) -> bool:
    """Is this interview question about safeguarding (R23)? It is when its own words are
    (a safeguarding scenario, boundaries, motivation to work with children, harm, an
    allegation, the LADO ...) or when it is set for a criterion about safeguarding."""
    if _SAFEGUARDING.search(text):
        return True
    return criterion is not None and bool(_SAFEGUARDING.search(f"{criterion.category} {criterion.text}"))


def safeguarding_questions(vacancy: Vacancy, questions: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (criterion key, text) questions that are safeguarding questions and are asked
    at interview: set for a criterion the interview assesses."""
    at_interview = {c.key: c for c in stage_criteria(vacancy, "interview")}
    return [(key, text) for key, text in questions
            if key in at_interview and is_safeguarding_question(text, at_interview[key])]


def check_pack(
    vacancy: Vacancy,
    shortlist_finalised: bool,
    invited: int,
    questions: Iterable[tuple[str, str]],
    today: date,
    refresh_years: int = DEFAULT_REFRESH_YEARS,
) -> list[Reason]:
    """Refusals for producing the vacancy's interview pack.

    - The shortlist must be finalised, with at least one candidate invited (``invited``).
    - A ``safeguarding_role`` vacancy needs at least one safeguarding question among
      ``questions`` (criterion key, text) for a criterion assessed at interview (R23),
      and a panel member whose safer-recruitment training is in date on ``today`` (R18).
    """
    refusals: list[Reason] = []
    if not shortlist_finalised:
        refusals.append(Reason(
            codes.PACK_SHORTLIST_NOT_FINAL, None,
            "The shortlist is not finalised yet, so the pack cannot say who is interviewed or why. "
            "The chair (or HR) records a decision for every candidate and finalises the shortlist on "
            "the Shortlisting decisions page; the pack is built from it."))
    elif invited < 1:
        refusals.append(Reason(
            codes.PACK_NO_CANDIDATES, None,
            "No candidate was invited to interview, so there is no interview pack to produce."))
    if vacancy.safeguarding_role:
        if not safeguarding_questions(vacancy, questions):
            refusals.append(Reason(
                codes.PACK_NO_SAFEGUARDING_QUESTION, None,
                "This is a safeguarding role, so the interview pack must ask every candidate at least "
                "one safeguarding question (R23): a safeguarding scenario, professional boundaries, or "
                "motivation to work with children. None of the questions set for the criteria assessed "
                "at interview is one. Add one on the vacancy's Interview questions page, under a "
                "criterion assessed at interview."))
        if not trained_members(vacancy, today, refresh_years):
            refusals.append(Reason(codes.NO_TRAINED_PANEL_MEMBER, None,
                                   no_trained_member_message(vacancy, today, refresh_years)))
    return refusals
