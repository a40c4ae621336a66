"""Public entry points: a document (or pasted text) in, a :class:`Proposal` out."""

from __future__ import annotations

import re

from shortlist.rules.vocabulary import EVIDENCE_METHODS

from . import confidence as cf
from . import lexicon as lx
from .extract import CELL_BREAK, MAX_BYTES, check_size, extract_text
from .facts import read_dbs, read_disability
from .lines import Line, split_lines, squash
from .model import Proposal, ProposedCriterion, SpecImportError, order_methods
from .parser import MAX_LINE_CHARS, Parsed, RawCriterion, SpecParser, find_spec_start

_AF_VERBS = (
    r"(?:(?:describe|demonstrate|explain|show|evidence|outline|address)(?:s|d|es|ed|ing)?|set(?:s|ting)?\s+out"
    r"|tell(?:s|ing)?\s+us|giv(?:e|es|ing)\s+(?:us\s+)?(?:examples|evidence)"
    r"|provid(?:e|es|ing)\s+(?:examples|evidence))"
)
_AF_STATEMENT = re.compile(
    rf"\b{_AF_VERBS}\b[^.]{{0,80}}?\b(?:application|supporting\s+statement|personal\s+statement)\b"
    rf"|\b(?:supporting|personal)\s+statement\b[^.]{{0,40}}?\b{_AF_VERBS}\b[^.]{{0,60}}?"
    r"\b(?:criteria|requirements|person\s+specification|how\s+you\s+meet)\b",
    re.I,
)
#: a shortlisting form: every criterion on it is scored from the application
_SHORTLISTING_FORM = re.compile(
    r"\bshortlisting\s+criteria\b\W{0,5}(?:using|from|by|against)\s+(?:the\s+)?application(?:\s+form)?\b", re.I
)

#: "Means of assessment will be by CV/personal statement and interview.": the methods of every
#: criterion the document gives none for
_METHODS_SENTENCE = re.compile(
    r"\b(?:means|methods?|modes?)\s+of\s+(?:assessment|selection)\s+(?:will\s+(?:be|include)|is|are|includes?)"
    r"\s+(?:by\s+|through\s+|via\s+)?(?:an?\s+|the\s+)?(?P<methods>[^.;:]{2,80}?)\s*(?:[.;]|$)",
    re.I,
)

_INFER_CATEGORY = (
    (("experience", "experienced"), "Experience"),
    (("knowledge", "knowledgeable", "understanding", "awareness", "aware"), "Knowledge"),
    (("ability", "able", "skill", "skills", "skilled", "competence", "competent", "proficient",
      "proficiency"), "Skills"),
    (("qualification", "qualifications", "qualified", "degree", "educated", "education",
      "registered", "registration", "membership", "member", "eligible"), "Qualifications"),
)

_QUALIFICATION_CATEGORY = re.compile(r"qualification|education|registration|training", re.IGNORECASE)


def import_spec(data: bytes, filename: str) -> Proposal:
    """Read a person specification from an uploaded file (.txt/.text/.md, .docx, .pdf)."""
    text = extract_text(data, filename)
    return propose(text)


def import_text(text: str) -> Proposal:
    """Read a person specification from pasted text."""
    if not isinstance(text, str):
        raise SpecImportError("The text could not be read.")
    if len(text) > MAX_BYTES:
        check_size(len(text))
    check_size(len(text.encode("utf-8", "surrogatepass")))
    return propose(text)


#: Words that make a criterion a qualification wherever they stand near its start
#: ("Masters degree in pharmacy", "AAT qualification or equivalent").
_QUALIFICATION_WORDS = {
    "degree", "qualification", "qualifications", "qualified", "diploma", "certificate", "nvq", "gcse",
    "gcses", "msc", "bsc", "ba", "ma", "mba", "phd", "doctorate", "masters", "master's", "postgraduate",
    "post-graduate", "hnd", "hnc", "a-level", "a-levels", "qts", "registration", "registered",
}


def _infer_category(text: str) -> str:
    words = text.split()
    first = words[0].lower().strip(",.;:()") if words else ""
    for options, name in _INFER_CATEGORY:
        if first in options:
            return name
    if any(w.lower().strip(",.;:()") in _QUALIFICATION_WORDS for w in words[:6]):
        return "Qualifications"
    return "General"


def _dedupe_key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def _quote(text: str, limit: int = 90) -> str:
    text = squash(text)
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "\u2026"
    return f"\u201c{text}\u201d"


def _parse(lines: list[Line]) -> Parsed:
    start = find_spec_start(lines)
    parsed = SpecParser(lines, start).parse()
    if not parsed.criteria:
        retry = SpecParser(lines, start).parse(force_start=True)
        if retry.criteria:
            return retry
    return parsed


def propose(text: str) -> Proposal:
    lines = split_lines(text)
    parsed = _parse(lines)
    warnings: list[str] = list(parsed.warnings)

    unique: list[RawCriterion] = []
    seen: dict[str, RawCriterion] = {}
    repeated: list[str] = []
    for raw in parsed.criteria:
        key = _dedupe_key(raw.text)
        if not key:
            continue
        if key in seen:
            if raw.staged and seen[key].staged:
                # listed under two assessment stages ("from your application", "at interview"):
                # assessed at both
                seen[key].methods |= raw.methods
            repeated.append(raw.text)
            continue
        seen[key] = raw
        unique.append(raw)

    collapsed = squash(
        " ".join(line.text for line in lines if not line.blank and len(line.text) <= MAX_LINE_CHARS)
    )
    stated = _METHODS_SENTENCE.search(collapsed)
    stated_methods = (lx.parse_methods(stated.group("methods"), lx.DEFAULT_CODES, loose=True) or set()) if stated else set()
    af_match = _AF_STATEMENT.search(collapsed) or _SHORTLISTING_FORM.search(collapsed)
    shortlisting_form = bool(_SHORTLISTING_FORM.search(collapsed))
    af_interview = bool(af_match) and "interview" in _sentence(collapsed, af_match.start(), af_match.end()).lower()
    uses_s = any(c.s_mark for c in unique)
    any_explicit = any(c.methods for c in unique if not c.values)

    criteria: list[ProposedCriterion] = []
    defaulted = 0
    inferred_from_s = False
    inferred_from_af = False
    sources = {line.no: line.raw for line in lines if not line.blank}
    for raw in unique:
        doubts = cf.reading_doubts(raw.text)
        if raw.cut:
            doubts.insert(0, cf.split_doubt(raw.cut, raw.near))
        category = raw.category or _infer_category(raw.text)
        if not raw.category:
            doubts.append(cf.category_doubt(category))
        if raw.essential is not None:
            essential = raw.essential
        elif raw.section_essential is not None:
            essential = raw.section_essential
        else:
            essential = True
            doubts.append(cf.essential_doubt())
        on_form = shortlisting_form and not any_explicit
        read_methods = bool(raw.methods) or (raw.values and not on_form)
        methods: set[str]
        if raw.values and not raw.methods and not on_form:
            methods = {"I"}
            shortlisting = False
        elif raw.methods:
            methods = set(raw.methods)
            if raw.tested:
                methods.add("T")
            shortlisting = raw.s_mark if uses_s else bool(methods & EVIDENCE_METHODS)
        elif uses_s:
            inferred_from_s = True
            if raw.tested:
                methods = {"AF", "T"} if raw.s_mark else {"T"}
            elif _QUALIFICATION_CATEGORY.search(category):
                # qualifications and registrations are seen on certificates, not at interview
                methods = {"AF", "Q"} if raw.s_mark else {"Q"}
            else:
                methods = {"AF", "I"} if raw.s_mark else {"I"}
            shortlisting = raw.s_mark
        elif stated_methods and not any_explicit:
            # the document says how every criterion is assessed, once
            methods = set(stated_methods)
            read_methods = True
            if raw.tested:
                methods.add("T")
            shortlisting = bool(methods & EVIDENCE_METHODS)
        elif af_match and not any_explicit:
            inferred_from_af = True
            methods = {"AF"}
            if af_interview:
                methods.add("I")
            if "qualification" in category.lower() and not on_form:
                methods.add("Q")
            if raw.tested:
                methods.add("T")
            shortlisting = True
        else:
            defaulted += 1
            methods = {"AF", "I"}
            if raw.tested:
                methods.add("T")
            shortlisting = True
        if not read_methods:
            doubts.append(cf.methods_doubt(order_methods(methods)))
        criteria.append(
            ProposedCriterion(
                category=category,
                text=raw.text,
                essential=essential,
                methods=order_methods(methods),
                shortlisting=shortlisting,
                source_line=raw.line_no,
                doubts=tuple(doubts),
                source=_source(sources.get(raw.line_no, "")),
            )
        )

    if inferred_from_s:
        warnings.append(
            "No methods of assessment were given, so they were inferred from the \u2018S\u2019 "
            "(shortlisting) marks: criteria marked S \u2192 application form and interview (AF, I), "
            "tested skills marked S \u2192 application form and test (AF, T), qualifications and "
            "education \u2192 qualifications (Q, with AF when marked S), other unmarked criteria "
            "\u2192 interview (I). Please check them."
        )
    if inferred_from_af and af_match is not None:
        warnings.append(
            "No methods of assessment were given, so they were inferred from "
            f"{_quote(_sentence(collapsed, af_match.start(), af_match.end()))}: every criterion "
            "\u2192 application form (AF), qualifications also \u2192 qualifications (Q), all used "
            "at shortlisting. Please check them."
        )
    if defaulted:
        noun = "criterion has" if defaulted == 1 else "criteria have"
        warnings.append(
            f"{defaulted} {noun} no method of assessment; application form and interview "
            "(AF, I) were proposed. Please check them."
        )
    for category in parsed.values_categories:
        count = sum(1 for c in unique if c.values and c.category == category)
        if count:
            warnings.append(
                f"The {count} statements under \u201c{category}\u201d were imported as criteria "
                "assessed at interview (I) only, not used for shortlisting. Remove them if the "
                "values are not assessed."
            )
    if repeated:
        noun = "criterion appeared" if len(repeated) == 1 else "criteria appeared"
        warnings.append(
            f"{len(repeated)} {noun} more than once (for example {_quote(repeated[0], 60)}) "
            "and were imported once."
        )
    for raw in unique:
        if lx.CRIMINAL_RECORD.search(raw.text):
            warnings.append(
                f"{_quote(raw.text)} is a criminal-record (DBS) check: a pre-employment check, "
                "not a shortlisting criterion. Consider removing it; the DBS level is recorded "
                "separately."
            )
        if raw.both_ticked:
            warnings.append(
                f"{_quote(raw.text)} was ticked as both Essential and Desirable; it was imported "
                "as essential."
            )

    dbs_level, barred, dbs_warnings = read_dbs(lines, collapsed, [c.text for c in unique])
    warnings.extend(dbs_warnings)
    confident, waiver = read_disability(collapsed)

    low = cf.low_confidence(criteria)
    if low:
        warnings.insert(0, cf.low_confidence_warning(criteria))
    if not criteria:
        warnings.append(
            "No criteria were found. Check that the document is a person specification, or add "
            "the criteria by hand."
        )
    return Proposal(
        criteria=tuple(criteria),
        dbs_level=dbs_level,
        barred_lists=barred,
        disability_confident=confident,
        waiver_policy=waiver,
        warnings=tuple(warnings),
        low_confidence=low,
    )


def _source(raw: str, limit: int = 400) -> str:
    """The line a criterion was read from, as a manager would recognise it."""
    text = " | ".join(squash(cell) for cell in raw.replace(CELL_BREAK, " ").split("\t") if cell.strip())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _sentence(text: str, start: int, end: int) -> str:
    left = text.rfind(". ", 0, start)
    left = 0 if left < 0 else left + 2
    left = max(left, start - 120)
    right = text.find(".", end)
    right = len(text) if right < 0 else right + 1
    right = min(right, end + 120)
    return text[left:right].strip()
