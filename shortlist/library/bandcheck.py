"""Band check: do a vacancy's essential criteria look in line with its NHS band's profile?

Warnings only, never errors: the national profiles describe jobs, not people,
and an employer may have good reasons to ask for more or less. The check reads
the parsed profiles (Factor 2's training and experience, and the JE levels of
factors 7, 8, 9 and 11), so it follows the data rather than a hand-typed table.
Use it for arts therapy posts: the library has no other NHS profiles.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ._bands import band_name, parse_band
from ._text import shorten
from .model import Library, Profile, load_library

BAND_TRAINING_MISSING = "band_training_missing"
BAND_REQUIREMENT_ABOVE_PROFILE = "band_requirement_above_profile"
BAND_NO_PROFILE = "band_no_profile"


@dataclass(frozen=True)
class BandWarning:
    code: str
    criterion_key: str | None
    message: str


# -- recognising what a criterion asks for ------------------------------------

_THERAPY = (r"(?:\b(?:arts?|music|drama|dance(?:\s+movement)?|creative\s+arts?)\s*(?:psycho)?therap\w*"
            r"|\bdramatherap\w*)")
_THERAPY_RE = re.compile(_THERAPY, re.I)
_QUALIFICATION_RE = re.compile(
    r"\b(?:masters?|master's|ma|m\.a\.|msc|m\.sc\.?|mmus|mth|mres|postgraduate|post-graduate"
    r"|pg\s?dip\w*|pgdip\w*|hcpc[- ](?:approved|validated|accredited))(?!\w)", re.I)
_REGISTRATION_RE = re.compile(
    r"\b(?:hcpc|health\s+(?:&|and)\s+care\s+professions?\s+council|state\s+regist\w*)\b", re.I)
_DOCTORATE_RE = re.compile(
    r"\b(?:doctorate|doctoral|ph\.?\s?d|d\.?\s?phil|dprof|d\.?\s?clin\.?\s?psy\w*|prof\.?\s?doc"
    r"|doctor\s+of)\b", re.I)
_CONSULTANT_RE = re.compile(
    r"\bconsultant[- ](?:level|grade|practitioner|" + _THERAPY + r")"
    r"|\b(?:experience|role)\s+(?:as|at)\s+(?:an?\s+)?consultant\b", re.I)
_NUMBER = r"(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)"
_WORDS = {w: i for i, w in enumerate(
    ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"], 1)}
_YEARS_RE = re.compile(_NUMBER + r"\s*(?:\+|or\s+more|plus)?\s*(?:full[- ]time\s+)?years?\b", re.I)
_RANGE_BEFORE_RE = re.compile(r"(\d{1,2})\s*(?:-|\u2013|to)\s*$")
_AGE_BEFORE_RE = re.compile(r"\b(?:aged?|ages|under|below|up\s+to)\s*$", re.I)
_POST_QUALIFICATION_RE = re.compile(
    r"post[- ]?(?:qualification|qualifying|registration|reg\b)"
    r"|since\s+(?:qualifying|qualification|registration|registering)"
    r"|after\s+(?:qualifying|qualification|registration)"
    r"|\b(?:qualified|registered)\s+(?:as\s+an?\s+)?" + _THERAPY
    + r"|experience\s+as\s+an?\s+(?:qualified\s+|registered\s+|hcpc[- ]registered\s+)?" + _THERAPY,
    re.I)


@dataclass(frozen=True)
class _Rule:
    """An essential requirement the profiles place at or above a JE level of one factor."""

    label: str
    factor: int
    min_level: int
    pattern: re.Pattern[str]


_RULES = (
    _Rule("experience of leading a service, or strategic leadership,", 7, 4, re.compile(
        r"\bhead\s+of\s+(?:the\s+)?(?:service|services|department|arts?\s+therap\w*|profession\w*|discipline)"
        r"|\bservice\s+(?:lead|manager)\b"
        r"|\bmanag(?:e|es|ing|ement\s+of)\s+(?:an?\s+|the\s+)?(?:arts?\s+therap\w*\s+)?service\b"
        r"|\bstrategic\s+(?:leadership|lead|planning|plans?|direction|development|management)\b"
        r"|\blead\w*\s+(?:the\s+)?(?:service\s+)?strateg", re.I)),
    _Rule("line management experience", 9, 3, re.compile(
        r"\bline[- ]?manag\w*"
        r"|\bmanag(?:e|es|ing|ement\s+of)\s+(?:an?\s+|the\s+)?(?:\w+\s+)?(?:team|staff|department)\b"
        r"|\b(?:team|staff)\s+management\b", re.I)),
    _Rule("experience of holding or managing a budget", 8, 3, re.compile(
        r"\bbudget[- ]?holder\b"
        r"|\b(?:hold|holds|holding|manag\w*|control\w*)\s+(?:an?\s+|the\s+)?(?:delegated\s+)?budgets?\b"
        r"|\bbudget(?:ary)?\s+(?:management|responsibilit\w*|control|holding)\b", re.I)),
    _Rule("experience of leading or co-ordinating research, or a publication record,", 11, 3, re.compile(
        r"\b(?:lead|leads|led|leading|co-?ordinat\w*|direct\w*)\s+(?:\w+\s+){0,2}research\b"
        r"|\bprincipal\s+investigator\b|\bpublished\b|\bpublications?\b|\bpeer[- ]reviewed\b", re.I)),
)

# Years of post-qualification experience an essential criterion can ask for
# before it looks out of line. The profiles give no numbers: these are this
# library's rule of thumb, keyed on what each profile's Factor 2 says.
YEARS_ENTRY_LEVEL = 1  # entry-level profile: training only
YEARS_TRAINING_ONLY = 3  # Factor 2 names no experience after training
YEARS_TRAINING_PLUS_EXPERIENCE = 5  # Factor 2: "... master's level equivalent plus experience"


def _years_ceiling(profile: Profile) -> int | None:
    training = profile.training
    if training.further_specialist_training:
        return None
    if training.post_qualification_experience:
        return YEARS_TRAINING_PLUS_EXPERIENCE
    if training.entry_level:
        return YEARS_ENTRY_LEVEL
    return YEARS_TRAINING_ONLY


def _years_asked(text: str) -> int | None:
    if not _POST_QUALIFICATION_RE.search(text):
        return None
    asked: list[int] = []
    for match in _YEARS_RE.finditer(text):
        before = text[: match.start()]
        if _AGE_BEFORE_RE.search(before):
            continue
        ranged = _RANGE_BEFORE_RE.search(before)
        word = match.group(1).lower()
        value = int(ranged.group(1)) if ranged else (_WORDS[word] if word in _WORDS else int(word))
        asked.append(value)
    return max(asked) if asked else None


def _normalise(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").replace("\u2018", "'").split())


def meets_training(text: str) -> bool:
    """Does a criterion ask for master's-level arts therapy training or HCPC registration as one?"""
    text = _normalise(text)
    if not _THERAPY_RE.search(text):
        return False
    return bool(_QUALIFICATION_RE.search(text) or _REGISTRATION_RE.search(text))


# -- reading the caller's criteria ---------------------------------------------


@dataclass(frozen=True)
class _Criterion:
    key: str | None
    text: str
    essential: bool


def _criterion(item: Any) -> _Criterion:
    if isinstance(item, Mapping):
        key, text, essential = item.get("key"), item.get("text"), item.get("essential", True)
    elif isinstance(item, tuple | list):
        key, text, essential = item[0], item[1], item[2] if len(item) > 2 else True
    else:
        key, text, essential = getattr(item, "key", None), getattr(item, "text", ""), getattr(item, "essential", True)
    return _Criterion(None if key is None else str(key), _normalise(str(text or "")), bool(essential))


# -- the check -------------------------------------------------------------------


def _quote(text: str, limit: int = 160) -> str:
    return f"\u2018{shorten(text, limit)}\u2019"


def _profile_names(profiles: Iterable[Profile]) -> str:
    names = [p.short_title for p in profiles]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _label(key: str | None) -> str:
    return f"Criterion {key}" if key else "A criterion"


def band_check(band: str, criteria: Iterable[Any], *, profile: str | None = None,
               library: Library | None = None) -> list[BandWarning]:
    """Warnings where a vacancy's essential criteria look out of line with its NHS band's profile.

    ``band``: an NHS band written any common way ("Band 6", "8a", "AfC band 7"); anything
    that is not an NHS band gives no warnings. ``criteria``: (key, text, essential)
    tuples, or objects or mappings with those fields. ``profile``: a profile id to check
    against when a band has two (8c-8d: head of service or consultant); by default the
    check uses every profile for the band and warns only when none of them fits.
    """
    bands = parse_band(band)
    if not bands:
        return []
    lib = library or load_library()
    profiles = [p for p in lib.profiles if set(p.bands) & set(bands)]
    if profile is not None:
        profiles = [p for p in profiles if p.id == profile] or profiles
    name = band_name(bands)
    if not profiles:
        covered = ", ".join(lib.bands())
        return [BandWarning(
            BAND_NO_PROFILE, None,
            f"This library has NHS national profiles for arts therapists at bands {covered} only, "
            f"so there is no profile to check {name} against. The band check was not run.")]

    items = [_criterion(c) for c in criteria]
    essential = [c for c in items if c.essential and c.text]
    where = f"the {name} profile" + ("s" if len(profiles) > 1 else "") + f" ({_profile_names(profiles)})"
    warnings: list[BandWarning] = []

    # (a) master's-level arts therapy training, as Factor 2 expects.
    expecting = [p for p in profiles if p.training.masters_training]
    if expecting and len(expecting) == len(profiles) and not any(meets_training(c.text) for c in essential):
        phrase = expecting[0].training.training_phrase or "master's-level training"
        factor2 = expecting[0].factor(2)
        warnings.append(BandWarning(
            BAND_TRAINING_MISSING, None,
            f"No essential criterion asks for master's-level arts therapy training or HCPC registration "
            f"as an arts therapist. For {where}, Factor 2 ({factor2.factor}) expects "
            f"{_quote(phrase)}. Consider adding an essential qualification, for example an MA or MSc "
            f"in art, drama or music therapy (or equivalent) and HCPC registration as an arts therapist."))

    # (b) essential requirements above what the band's profiles expect.
    for item in essential:
        warnings.extend(_above_profile(item, name, where, profiles, lib))
    return warnings


def _first_profile_with(lib: Library, test: Any) -> Profile | None:
    return next((p for p in lib.profiles if test(p)), None)


def _above_profile(item: _Criterion, name: str, where: str, profiles: list[Profile],
                   lib: Library) -> list[BandWarning]:
    out: list[BandWarning] = []
    label = _label(item.key)

    def warn(message: str) -> None:
        out.append(BandWarning(BAND_REQUIREMENT_ABOVE_PROFILE, item.key, message))

    if _DOCTORATE_RE.search(item.text) and not any(p.training.further_specialist_training for p in profiles):
        factor2 = profiles[0].factor(2)
        higher = _first_profile_with(lib, lambda p: p.training.further_specialist_training)
        later = (f" Only from band {higher.band} ({higher.short_title}) does Factor 2 add further specialist training."
                 if higher else "")
        warn(f"{label} makes a doctorate essential at {name}. For {where}, Factor 2 ({factor2.factor}, "
             f"JE level {factor2.je_level}) expects {_quote(profiles[0].training.training_phrase or factor2.text)}; "
             f"a doctorate is above that.{later} Consider making it desirable.")

    if _CONSULTANT_RE.search(item.text) and not any("consultant" in p.title.lower() for p in profiles):
        consultant = _first_profile_with(lib, lambda p: "consultant" in p.title.lower())
        at = f" The consultant profile ({consultant.short_title}) is at band {consultant.band}." if consultant else ""
        warn(f"{label} asks for consultant-level experience as essential at {name}, which is above "
             f"{where}.{at} Consider making it desirable, or check the band.")

    for rule in _RULES:
        if not rule.pattern.search(item.text):
            continue
        if any((p.factor(rule.factor).je_level_max or 0) >= rule.min_level for p in profiles):
            continue
        own = max(profiles, key=lambda p: p.factor(rule.factor).je_level_max or 0).factor(rule.factor)
        higher = _first_profile_with(lib, lambda p, rule=rule: (p.factor(rule.factor).je_level_max or 0) >= rule.min_level)
        later = ""
        if higher is not None:
            later = (f" The profiles expect it from band {higher.band} ({higher.short_title}: "
                     f"{_quote(higher.factor(rule.factor).text)}).")
        warn(f"{label} asks for {rule.label} as essential at {name}, which looks above {where}. "
             f"Its Factor {rule.factor} ({own.factor}, JE level {own.je_level}) is {_quote(own.text)}.{later} "
             f"Consider making it desirable, or check the band.")

    years = _years_asked(item.text)
    if years is not None:
        ceilings = [_years_ceiling(p) for p in profiles]
        if None not in ceilings and years > max(c for c in ceilings if c is not None):
            ceiling = max(c for c in ceilings if c is not None)
            chosen = next(p for p in profiles if _years_ceiling(p) == ceiling)
            phrase = chosen.training.training_phrase or chosen.factor(2).example or chosen.factor(2).text
            if chosen.training.post_qualification_experience:
                says = f"asks for {_quote(phrase)} plus experience"
            else:
                says = f"asks for {_quote(phrase)} and names no experience after qualifying"
            kind = "an entry-level profile" if chosen.training.entry_level else f"the {name} profile"
            warn(f"{label} asks for {years} years' post-qualification experience as essential at {name}. "
                 f"For {where}, Factor 2 {says}; this library treats more than "
                 f"{ceiling} year{'s' if ceiling != 1 else ''} as out of line for {kind}. "
                 f"Consider asking for less, or making it desirable.")
    return out
