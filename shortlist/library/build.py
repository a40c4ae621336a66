"""Build the criteria library's data files from the two seed documents.

    python -m shortlist.library.build SRC_DIR [--out DIR] [--rules PATH]

SRC_DIR holds the seed texts ``001_*.txt`` (Clinical Career Development
Framework for Art, Drama and Music Therapists) and ``004_*.txt`` (NHS national
profiles for arts therapists). The Agenda for Change JE score ranges per band
come from rule R37 of the project's ``uk-rules.md`` (found at
``SRC_DIR/../guides/uk-rules.md`` unless ``--rules`` names it), because the
profiles document gives a JE score range per profile, not per band.

The output (``--out``, default: this package's ``data`` folder) is two JSON
files written deterministically: running the build twice on the same inputs
gives byte-identical files. The script parses; it never fills gaps by hand.
Anything unexpected in a document stops the build with a message naming it.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ._text import slug, squash
from .model import CCDF_FILE, NHS_FILE

SCHEMA = 1
DATA_DIR = Path(__file__).resolve().parent / "data"

# Assessment methods suggested per person-specification category (codes as the
# app uses them: AF application form, Q qualification check, I interview).
METHODS_BY_CATEGORY = {
    "Qualifications": ["AF", "Q"],
    "Knowledge": ["AF", "I"],
    "Skills": ["AF", "I"],
    "Experience": ["AF", "I"],
    "Other": ["I"],
}

# The 16 NHS job-evaluation factors: which person-specification category a
# factor's descriptor suggests. Factors 13-16 describe the job's demands
# (effort, working conditions), not something to shortlist on.
FACTOR_CATEGORY = {
    "communication & relationship skills": "Skills",
    "knowledge, training & experience": "Knowledge",
    "analytical & judgemental skills": "Skills",
    "planning & organisational skills": "Skills",
    "physical skills": "Skills",
    "patient/client care": "Experience",
    "policy/service development": "Experience",
    "financial & physical resources": "Experience",
    "human resources": "Experience",
    "information resources": "Skills",
    "research & development": "Experience",
    "freedom to act": "Experience",
    "physical effort": "Other",
    "mental effort": "Other",
    "emotional effort": "Other",
    "working conditions": "Other",
}

_KNOWLEDGE_WORDS = {"knowledge", "understanding", "understands", "understand", "aware",
                    "awareness", "principles", "legal"}
_QUALIFICATION_WORDS = {"education", "qualification", "qualifications", "qualified",
                        "degree", "registration", "registered"}


class BuildError(Exception):
    """A seed document did not look as expected."""


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise BuildError(message)


# ---------------------------------------------------------------------------
# Categories


def _first_words(text: str, count: int) -> list[str]:
    return [w.strip(",.;:()").lower() for w in text.split()[:count]]


def ccdf_category(kind: str, text: str) -> str:
    words = _first_words(text, 4)
    first = words[0] if words else ""
    if kind == "knowledge_skill":
        if first == "has" and "education" in words:
            return "Qualifications"
        if first in _KNOWLEDGE_WORDS or "knowledge" in words or "understanding" in words:
            return "Knowledge"
        return "Skills"
    if first in _QUALIFICATION_WORDS:
        return "Qualifications"
    if first in _KNOWLEDGE_WORDS:
        return "Knowledge"
    lowered = text.lower()
    if first.startswith("communicat") or " skills" in lowered or lowered.startswith("skill"):
        return "Skills"
    return "Experience"


def methods_for(category: str) -> list[str]:
    return list(METHODS_BY_CATEGORY[category])


# ---------------------------------------------------------------------------
# Clinical Career Development Framework (seed 001)

_KS = re.compile(r"^KS\.\s*(\d+)\s*\.?\s*(.*)$")
_CONTENTS_LEVEL = re.compile(r"^\S+\t\.?\s*(.+?): Knowledge & Skills and Role Responsibilities$")
_STAGE = re.compile(r"\b(Pre|Post)-registration Level:")
_BULLET = re.compile(r"^(?:[-\u2022]\s*)+")
_SMALL_WORDS = {"for", "and", "of", "the", "to", "in", "a", "an", "&"}


def _title_case(line: str) -> str:
    words = line.lower().split()
    out = []
    for i, word in enumerate(words):
        out.append(word if i and word in _SMALL_WORDS else word[:1].upper() + word[1:])
    return " ".join(out)


@dataclass
class _Level:
    name: str
    slug: str
    stage: str = ""
    description: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)


@dataclass
class _Item:
    level: int
    kind: str
    pillar: str | None
    number: int | None
    text: str


def _ccdf_source(lines: list[str], filename: str) -> dict[str, Any]:
    text = "\n".join(lines)
    title = _title_case(next(line for line in lines if line.strip()).strip())
    began = re.search(r"In (\w+ \d{4}), (.+?) began working on", text)
    _require(began is not None, "CCDF: the Foreword no longer says when the work began")
    assert began is not None
    funder = re.search(r"supported with funding from (.+?)\.", text)
    project = re.search(r"This document arose from (Project .+?)\.", text)
    _require(funder is not None and project is not None, "CCDF: Foreword changed")
    assert funder is not None and project is not None
    return {
        "key": "ccdf",
        "title": title,
        "organisation": squash(began.group(2)),
        "funder": squash(funder.group(1)),
        "project": squash(project.group(1)),
        "version": f"No version or publication date stated (Foreword: work began {began.group(1)})",
        "file": filename,
    }


def _ccdf_pillars(lines: list[str]) -> list[dict[str, str]]:
    start = next(i for i, line in enumerate(lines) if "the four Pillars of Practice are:" in line)
    names: list[str] = []
    for line in lines[start + 1:]:
        stripped = line.strip()
        if not stripped:
            if names:
                break
            continue
        _require(bool(_BULLET.match(stripped)), f"CCDF: unexpected line among the pillars: {stripped!r}")
        names.append(_BULLET.sub("", stripped).rstrip(";.").strip())
    _require(len(names) == 4, f"CCDF: expected four pillars, found {names}")
    start = next(i for i, line in enumerate(lines) if line.strip() == "The four Pillars of Practice descriptors")
    descriptors: dict[str, str] = {}
    for line in lines[start + 1:]:
        stripped = line.strip()
        if not stripped:
            if descriptors:
                break
            continue
        body = _BULLET.sub("", stripped).replace("**", "")
        for name in names:
            if body.startswith(name):
                descriptors[name] = squash(body[len(name):])
    _require(set(descriptors) == set(names), "CCDF: a pillar has no descriptor")
    ids = [slug(name).split("-")[0] for name in names]
    _require(len(set(ids)) == 4, f"CCDF: pillar ids clash: {ids}")
    return [{"id": pid, "name": name, "descriptor": descriptors[name]} for pid, name in zip(ids, names)]


def _pillar_for_heading(line: str, pillars: list[dict[str, str]]) -> str | None:
    """"Facilitating Learning" -> "Facilitation of Learning (Education)"."""
    if len(line) > 45 or len(line.split()) > 4 or line.endswith("."):
        return None
    head = slug(line).split("-")[0][:8]
    for pillar in pillars:
        if slug(pillar["name"]).split("-")[0][:8] == head:
            return pillar["name"]
    return None


def _level_for_heading(line: str, levels: list[_Level]) -> int | None:
    if len(line) > 150 or _BULLET.match(line):
        return None
    for index, level in enumerate(levels):
        if line == level.name or line.endswith((": " + level.name, " " + level.name)):
            return index
    return None


def parse_ccdf(text: str, filename: str) -> dict[str, Any]:
    lines = text.splitlines()
    source = _ccdf_source(lines, filename)
    pillars = _ccdf_pillars(lines)

    levels = [_Level(name=m.group(1), slug=slug(m.group(1)).split("-")[0])
              for m in map(_CONTENTS_LEVEL.match, lines) if m]
    _require(len(levels) == 5, f"CCDF: expected five levels in the contents, found {len(levels)}")
    _require(len({lv.slug for lv in levels}) == 5, "CCDF: level slugs clash")
    five = re.search(r"There are (\w+) main Career Framework Levels", text)
    _require(five is not None and five.group(1) == "five", "CCDF: the number of levels changed")

    start = next(i for i, line in enumerate(lines)
                 if line.strip() == "Knowledge & Skills and Role Responsibilities")
    end = next(i for i, line in enumerate(lines)
               if line.strip().startswith("Leadership development opportunities"))

    items: list[_Item] = []
    level: int | None = None
    stage = ""
    section = "intro"
    pillar: str | None = None
    last: _Item | None = None
    for raw in lines[start:end]:
        stripped = raw.strip()
        if not stripped:
            continue
        if raw[0].isspace() and not _BULLET.match(stripped):
            # A bullet's text carried on to the next line.
            _require(last is not None, f"CCDF: continuation with nothing to continue: {stripped!r}")
            assert last is not None
            if stripped[0].islower() or not last.text.endswith((".", ";", ":", "!", "?")):
                last.text = squash(last.text + " " + stripped)
                continue
            # A new sentence whose bullet mark was lost: a new item of the same kind.
            last = _Item(last.level, last.kind, last.pillar, None, stripped)
            items.append(last)
            continue
        found = _level_for_heading(stripped, levels)
        if found is not None:
            level = found
            match = _STAGE.search(stripped)
            if match:
                stage = match.group(1) + "-registration"
            if not levels[level].stage:
                levels[level].stage = stage
            last = None
            if stripped.startswith("Knowledge & Skills and Role Responsibilities"):
                section, pillar = "intro", None
            elif stripped.startswith("Responsibilities:"):
                section, pillar = "responsibility", None
            continue
        if stripped.startswith("Knowledge & Skills and Role Responsibilities"):
            section, pillar, last = "intro", None, None
            continue
        if stripped == "Knowledge & Skills":
            section, pillar, last = "ks", None, None
            continue
        if stripped == "Responsibilities" or stripped.startswith("Responsibilities:"):
            section, pillar, last = "responsibility", None, None
            continue
        heading_pillar = _pillar_for_heading(stripped, pillars)
        if heading_pillar is not None:
            section, pillar, last = "pillar", heading_pillar, None
            continue
        _require(level is not None, f"CCDF: text before any level: {stripped!r}")
        assert level is not None
        if not _BULLET.match(stripped):
            # Prose: the level's description, or a remark between lists.
            if section == "intro":
                levels[level].description.append(squash(stripped))
            last = None
            continue
        body = squash(_BULLET.sub("", stripped))
        ks = _KS.match(body)
        if ks:
            last = _Item(level, "knowledge_skill", None, int(ks.group(1)), ks.group(2))
        elif section == "intro":
            levels[level].themes.append(body)
            last = None
            continue
        elif section == "ks":
            raise BuildError(f"CCDF: an unnumbered line among the Knowledge & Skills: {body!r}")
        elif section == "responsibility":
            last = _Item(level, "responsibility", None, None, body)
        else:
            last = _Item(level, "pillar_aspect", pillar, None, body)
        items.append(last)

    statements: list[dict[str, Any]] = []
    seen: set[tuple[int, str, str | None, str]] = set()
    counters: dict[tuple[int, str, str | None], int] = {}
    pillar_ids = {p["name"]: p["id"] for p in pillars}
    stamp = {k: source[k] for k in ("title", "organisation", "version", "file")}
    for item in items:
        text_ = squash(item.text)
        key = (item.level, item.kind, item.pillar, text_.casefold())
        if key in seen:
            continue  # the same line repeated across a page break
        seen.add(key)
        lv = levels[item.level]
        if item.kind == "knowledge_skill":
            assert item.number is not None
            expected = counters.get((item.level, item.kind, None), 0) + 1
            _require(item.number == expected,
                     f"CCDF: {lv.name} KS.{item.number} found where KS.{expected} was expected")
            counters[(item.level, item.kind, None)] = item.number
            sid, ref = f"ccdf-{lv.slug}-ks-{item.number}", f"KS.{item.number}"
        else:
            count_key = (item.level, item.kind, item.pillar)
            counters[count_key] = counters.get(count_key, 0) + 1
            n = counters[count_key]
            if item.kind == "responsibility":
                sid, ref = f"ccdf-{lv.slug}-resp-{n}", None
            else:
                assert item.pillar is not None
                sid, ref = f"ccdf-{lv.slug}-{pillar_ids[item.pillar]}-{n}", None
        category = ccdf_category(item.kind, text_)
        statements.append({
            "id": sid,
            "kind": item.kind,
            "ref": ref,
            "text": text_,
            "level": lv.slug,
            "level_name": lv.name,
            "pillar": item.pillar,
            "category": category,
            "methods": methods_for(category),
            "source": stamp,
        })

    for lv in levels:
        _require(bool(lv.stage), f"CCDF: no stage (pre/post-registration) for {lv.name}")
        _require(bool(lv.description), f"CCDF: no description for {lv.name}")
    return {
        "schema": SCHEMA,
        "source": source,
        "pillars": pillars,
        "levels": [
            {"id": lv.slug, "name": lv.name, "stage": lv.stage,
             "description": " ".join(lv.description), "themes": lv.themes}
            for lv in levels
        ],
        "statements": statements,
    }


# ---------------------------------------------------------------------------
# NHS national profiles (seed 004)

_FACTOR_ROW = re.compile(r"^(\d{1,2})\.\t([^\t]+)\t([^\t]*)\t([^\t]*)\t([^\t]*)$")
_CONTINUATION_ROW = re.compile(r"^\t\t([^\t]+)\t\t$")
_DASHES = re.compile(r"\s*[\u2012\u2013\u2014\u2212-]\s*")
_DESCRIPTOR_SPLIT = re.compile(r"(?<=[a-z.)])\s+(?=[A-Z][a-z])")
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}


def band_label(text: str) -> tuple[str, list[str]]:
    """"8A \u2013 8B", "8a-b", "Band 8c-d" -> ("8a-8b", ["8a", "8b"]); "6" -> ("6", ["6"])."""
    value = _DASHES.sub("-", text.strip().lower())
    value = re.sub(r"^band\s*", "", value)
    match = re.fullmatch(r"(\d)([a-d])?(?:-(?:(\d))?([a-d]))?", value)
    _require(match is not None, f"NHS profiles: cannot read the band {text!r}")
    assert match is not None
    number, first, number2, second = match.groups()
    if not second:
        return number + (first or ""), [number + (first or "")]
    _require(first is not None and (number2 in (None, number)), f"NHS profiles: odd band {text!r}")
    assert first is not None
    letters = "abcd"[("abcd".index(first)):("abcd".index(second) + 1)]
    bands = [number + letter for letter in letters]
    return f"{bands[0]}-{bands[-1]}", bands


def _scores(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"\d+", text)]


def _levels_max(level: str) -> int:
    numbers = [int(n) for n in re.findall(r"(?<![(\w])(\d+)", level)]
    _require(bool(numbers), f"NHS profiles: cannot read the JE level {level!r}")
    return max(numbers)


def _split_descriptor(cell: str) -> tuple[str, str]:
    """A factor cell holds the level descriptor, then the example job information."""
    paragraphs = re.findall(r"<p>(.*?)</p>", cell)
    if paragraphs:
        _require(len(paragraphs) == 2, f"NHS profiles: expected two paragraphs in {cell[:60]!r}")
        return squash(paragraphs[0]), squash(paragraphs[1])
    _require("<" not in cell, f"NHS profiles: unexpected markup in {cell[:60]!r}")
    parts = _DESCRIPTOR_SPLIT.split(cell.strip(), maxsplit=1)
    if len(parts) == 1:
        return squash(parts[0]), ""
    return squash(parts[0]), squash(parts[1])


def _job_statement(cell: str) -> list[str]:
    body = re.sub(r"<[^>]+>", " ", cell)
    items: list[str] = []
    number = 1
    position = 0
    marks = []
    while True:
        match = re.compile(rf"(?:^|\s){number}\.\s").search(body, position)
        if not match:
            break
        marks.append(match)
        position = match.end()
        number += 1
    _require(bool(marks), "NHS profiles: a job statement has no numbered items")
    for i, match in enumerate(marks):
        stop = marks[i + 1].start() if i + 1 < len(marks) else len(body)
        items.append(squash(body[match.end():stop]))
    return items


def _training_expectations(factor2: dict[str, Any], title: str) -> dict[str, Any]:
    """What Factor 2 (knowledge, training and experience) asks of the post holder."""
    example = factor2["example"]
    training = re.search(r"training in (.+?) to master's level(?: equivalent)?", example)
    return {
        "masters_training": training is not None,
        "training_phrase": training.group(0) if training else None,
        "training_subject": training.group(1) if training else None,
        "post_qualification_experience": bool(re.search(r"master's level(?: equivalent)? plus\b.*\bexperience", example)),
        "further_specialist_training": "further specialist training" in example,
        "management_knowledge": bool(re.search(r"\bmanagement\b", example)),
        "entry_level": "entry level" in title.lower(),
    }


def _nhs_source(lines: list[str], filename: str) -> dict[str, Any]:
    title = next(line for line in lines if line.strip()).strip()
    start = next(i for i, line in enumerate(lines) if line.strip() == "Version history and amendments")
    history: list[dict[str, str]] = []
    for line in lines[start + 1:]:
        if not line.strip():
            if history:
                break
            continue
        cells = [squash(c) for c in line.split("\t")]
        if cells[:2] == ["Action", "Date"]:
            continue
        _require(len(cells) == 3, f"NHS profiles: odd version history row {line!r}")
        history.append({"action": cells[0], "date": cells[1], "notes": cells[2]})
    _require(bool(history), "NHS profiles: no version history")

    def when(row: dict[str, str]) -> tuple[int, int]:
        month, year = row["date"].split()
        return int(year), _MONTHS[month[:3].lower()]

    latest = max(history, key=when)
    return {
        "key": "nhs-profiles",
        "title": title,
        "organisation": "NHS Staff Council national job profiles (published by NHS Employers)",
        "organisation_note": "The seed text does not print its publisher's name.",
        "version": f"{latest['date']} ({latest['action'].lower()})",
        "version_history": history,
        "file": filename,
    }


def _afc_ranges(rules_text: str) -> dict[str, Any]:
    line = next((line for line in rules_text.splitlines() if line.startswith("**R37.**")), None)
    _require(line is not None, "uk-rules.md: rule R37 not found")
    assert line is not None
    found = re.search(r"JE weight ranges: (.+?) \(([^)]+)\)", line)
    _require(found is not None, "uk-rules.md: R37 no longer lists the JE weight ranges")
    assert found is not None
    ranges = []
    for band, low, high in re.findall(r"(\d[a-d]?): (\d+)-(\d+)", found.group(1)):
        ranges.append({"band": band, "min": int(low), "max": int(high)})
    _require(len(ranges) == 12, f"uk-rules.md: expected 12 JE ranges, found {len(ranges)}")
    return {
        "source": {
            "key": "uk-rules-r37",
            "title": "UK rules for a public-sector shortlisting app, rule R37 (NHS Agenda for Change and job evaluation)",
            "organisation": f"shortlist project research notes, citing the {found.group(2)}",
            "version": "not versioned (project research notes; the handbook section is as cited)",
            "file": "guides/uk-rules.md",
        },
        "note": "The profiles document gives a JE score range per profile, not per band; "
                "the band ranges come from R37.",
        "ranges": ranges,
    }


def parse_nhs(text: str, filename: str, rules_text: str) -> dict[str, Any]:
    lines = text.splitlines()
    source = _nhs_source(lines, filename)
    stamp = {k: source[k] for k in ("title", "organisation", "version", "file")}

    contents = []
    start = next(i for i, line in enumerate(lines) if line.startswith("Profile Title\tBand"))
    for line in lines[start + 1:]:
        if not line.strip():
            break
        name, band, _page = line.split("\t")
        contents.append((name.rstrip("*").strip(), band_label(band)[0]))

    profiles: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    for line in lines:
        if line.startswith("Profile Suite and Label\t"):
            title = squash(line.split("\t", 1)[1])
            current = {"title": title, "job_statement_cell": None, "factors": [], "je": None}
            profiles.append(current)
            continue
        if current is None:
            continue
        if line.startswith("Job Statement\t"):
            current["job_statement_cell"] = line.split("\t", 1)[1]
            continue
        row = _FACTOR_ROW.match(line)
        if row:
            number, name, cell, level, score = row.groups()
            descriptor, example = _split_descriptor(cell)
            current["factors"].append({
                "number": int(number), "name": squash(name), "descriptor": descriptor,
                "example": example, "je_level": squash(_DASHES.sub("-", level)),
                "je_score": squash(_DASHES.sub("-", score)),
            })
            continue
        more = _CONTINUATION_ROW.match(line)
        if more:
            _require(bool(current["factors"]), "NHS profiles: continuation row before any factor")
            factor = current["factors"][-1]
            factor["example"] = squash(factor["example"] + " " + more.group(1))
            continue
        if line.startswith("JE Score"):
            cells = [c for c in line.split("\t") if c.strip()]
            low, high = _scores(cells[0])
            current["je"] = (low, high, band_label(cells[1]))
            continue

    _require(len(profiles) == len(contents),
             f"NHS profiles: contents list {len(contents)} profiles, found {len(profiles)}")
    out_profiles = []
    for (contents_title, contents_band), profile in zip(contents, profiles):
        title = profile["title"]
        _require(title == contents_title, f"NHS profiles: {title!r} is not {contents_title!r} from the contents")
        _require(profile["je"] is not None, f"NHS profiles: no JE score for {title}")
        low, high, (band, bands) = profile["je"]
        _require(band == contents_band, f"NHS profiles: {title} band {band} vs contents {contents_band}")
        factors = profile["factors"]
        _require([f["number"] for f in factors] == list(range(1, 17)),
                 f"NHS profiles: {title} does not have factors 1-16 in order")
        for factor in factors:
            _require(factor["name"].lower() in FACTOR_CATEGORY, f"NHS profiles: unknown factor {factor['name']!r}")
        pid = slug(re.sub(r"\(.*?\)", "", title))
        job_items = _job_statement(profile["job_statement_cell"] or "")
        job_statement = []
        for n, item in enumerate(job_items, 1):
            job_statement.append({
                "id": f"nhs-{pid}-js-{n}", "kind": "job_statement", "ref": f"Job statement {n}",
                "text": item, "band": band, "profile": pid, "profile_title": title,
                "category": "Experience", "methods": methods_for("Experience"), "source": stamp,
            })
        factor_statements = []
        total_min = total_max = 0
        for factor in factors:
            scores = _scores(factor["je_score"])
            total_min += min(scores)
            total_max += max(scores)
            category = FACTOR_CATEGORY[factor["name"].lower()]
            factor_statements.append({
                "id": f"nhs-{pid}-f{factor['number']}", "kind": "je_factor",
                "ref": f"Factor {factor['number']}", "text": factor["descriptor"],
                "band": band, "profile": pid, "profile_title": title,
                "factor": factor["name"], "factor_number": factor["number"],
                "example": factor["example"], "je_level": factor["je_level"],
                "je_level_max": _levels_max(factor["je_level"]),
                "je_score": factor["je_score"], "je_score_min": min(scores), "je_score_max": max(scores),
                "category": category, "methods": methods_for(category), "source": stamp,
            })
        out_profiles.append({
            "id": pid,
            "title": title,
            "short_title": squash(re.sub(r"\(.*?\)", "", title)),
            "band": band,
            "bands": bands,
            "je_score_range": {"min": low, "max": high, "as_stated": f"JE Score {low}-{high}"},
            "je_total_from_factors": {"min": total_min, "max": total_max},
            "training_expectations": _training_expectations(factors[1], title),
            "job_statement": job_statement,
            "factors": factor_statements,
        })
    return {
        "schema": SCHEMA,
        "source": source,
        "band_je_ranges": _afc_ranges(rules_text),
        "profiles": out_profiles,
    }


# ---------------------------------------------------------------------------
# Command line


def _one(src: Path, pattern: str) -> Path:
    found = sorted(src.glob(pattern))
    _require(len(found) == 1, f"expected one {pattern} in {src}, found {len(found)}")
    return found[0]


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def build(src: Path, out: Path, rules: Path | None = None) -> list[Path]:
    """Parse the seeds in ``src`` and write the two JSON files into ``out``."""
    ccdf_path = _one(src, "001_*.txt")
    nhs_path = _one(src, "004_*.txt")
    if rules is None:
        candidates = [src.parent / "guides" / "uk-rules.md", src / "uk-rules.md"]
        rules = next((p for p in candidates if p.is_file()), None)
        _require(rules is not None, f"uk-rules.md not found next to {src}; pass --rules")
    assert rules is not None
    ccdf = parse_ccdf(ccdf_path.read_text(encoding="utf-8"), ccdf_path.name)
    nhs = parse_nhs(nhs_path.read_text(encoding="utf-8"), nhs_path.name, rules.read_text(encoding="utf-8"))
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in ((CCDF_FILE, ccdf), (NHS_FILE, nhs)):
        path = out / name
        path.write_text(dumps(data), encoding="utf-8", newline="\n")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shortlist.library.build", description=__doc__.split("\n")[0])
    parser.add_argument("src", type=Path, help="folder holding the seed texts 001_*.txt and 004_*.txt")
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="where to write the JSON (default: package data)")
    parser.add_argument("--rules", type=Path, default=None, help="uk-rules.md (for the AfC JE ranges, rule R37)")
    args = parser.parse_args(argv)
    try:
        written = build(args.src, args.out, args.rules)
    except BuildError as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
