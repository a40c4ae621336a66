"""The criteria library as loaded from the shipped JSON: statements, levels, profiles, search."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from shortlist.rules.vocabulary import EVIDENCE_METHODS

from ._bands import parse_band
from ._text import natural_key, squash, tokens

CCDF_FILE = "ccdf_arts_therapists.json"
NHS_FILE = "nhs_profiles_arts_therapists.json"

KINDS = ("knowledge_skill", "responsibility", "pillar_aspect", "job_statement", "je_factor")
_KIND_ALIASES = {
    "ks": "knowledge_skill", "knowledge_and_skills": "knowledge_skill", "knowledge_skills": "knowledge_skill",
    "responsibilities": "responsibility", "pillar": "pillar_aspect", "pillar_aspects": "pillar_aspect",
    "job_statements": "job_statement", "factor": "je_factor", "je_factors": "je_factor",
    "job_evaluation_factor": "je_factor",
}


@dataclass(frozen=True)
class Source:
    """The document a statement was taken from."""

    key: str
    title: str
    organisation: str
    version: str
    file: str

    def citation(self) -> str:
        return f"{self.title}, {self.organisation} ({self.version}); seed file {self.file}"


@dataclass(frozen=True)
class Statement:
    """One statement from a source document, ready to become a person-specification criterion."""

    id: str
    kind: str
    text: str
    category: str
    methods: tuple[str, ...]
    source: Source
    ref: str | None = None  # the document's own numbering: "KS.3", "Factor 2", "Job statement 1"
    level: str | None = None  # CCDF level of practice id, e.g. "proficient"
    level_name: str | None = None
    pillar: str | None = None
    band: str | None = None  # NHS band label, e.g. "6", "8a-8b"
    profile: str | None = None
    profile_title: str | None = None
    factor: str | None = None
    factor_number: int | None = None
    example: str | None = None  # NHS "example job information" for a factor
    je_level: str | None = None
    je_level_max: int | None = None
    je_score: str | None = None
    je_score_min: int | None = None
    je_score_max: int | None = None

    @property
    def shortlisting(self) -> bool:
        return bool(set(self.methods) & EVIDENCE_METHODS)

    def as_criterion(self) -> dict[str, Any]:
        """The fields a vacancy criterion needs; the manager can change any of them."""
        return {
            "category": self.category,
            "text": self.text,
            "essential": True,
            "methods": list(self.methods),
            "shortlisting": self.shortlisting,
        }


@dataclass(frozen=True)
class Pillar:
    id: str
    name: str
    descriptor: str


@dataclass(frozen=True)
class Level:
    """A CCDF level of practice (these are not NHS bands, as the framework says)."""

    id: str
    name: str
    stage: str
    description: str
    themes: tuple[str, ...]


@dataclass(frozen=True)
class TrainingExpectations:
    """What a profile's Factor 2 (knowledge, training and experience) asks for."""

    masters_training: bool
    training_phrase: str | None
    training_subject: str | None
    post_qualification_experience: bool
    further_specialist_training: bool
    management_knowledge: bool
    entry_level: bool


@dataclass(frozen=True)
class Profile:
    """An NHS national profile: one job at one band (or pair of bands)."""

    id: str
    title: str
    short_title: str  # the title without "(Art, Music, Drama, Dance Movement)"
    band: str
    bands: tuple[str, ...]
    je_min: int
    je_max: int
    je_total_min: int
    je_total_max: int
    training: TrainingExpectations
    job_statement: tuple[Statement, ...]
    factors: tuple[Statement, ...]
    source: Source

    def factor(self, number: int) -> Statement:
        return next(f for f in self.factors if f.factor_number == number)


@dataclass(frozen=True)
class BandRange:
    band: str
    min: int
    max: int


@dataclass(frozen=True)
class _Index:
    text: frozenset[str]
    text_words: tuple[str, ...]
    other_words: tuple[str, ...]
    phrase: str = field(default="")


def _source(block: Mapping[str, Any]) -> Source:
    return Source(key=block["key"], title=block["title"], organisation=block["organisation"],
                  version=block["version"], file=block["file"])


def _statement(raw: Mapping[str, Any], source: Source) -> Statement:
    stamp = raw["source"]
    if (stamp["title"], stamp["file"]) != (source.title, source.file):
        raise ValueError(f"statement {raw['id']} names a different source")
    names = Statement.__dataclass_fields__
    values = {k: v for k, v in raw.items() if k in names and k not in ("source", "methods")}
    return Statement(methods=tuple(raw["methods"]), source=source, **values)


class Library:
    """All statements from the source documents, with browsing and search."""

    def __init__(self, ccdf: Mapping[str, Any], nhs: Mapping[str, Any]) -> None:
        ccdf_source = _source(ccdf["source"])
        nhs_source = _source(nhs["source"])
        ranges = nhs["band_je_ranges"]
        self.ranges_source = _source(ranges["source"])
        self.band_ranges: tuple[BandRange, ...] = tuple(
            BandRange(r["band"], r["min"], r["max"]) for r in ranges["ranges"])
        self.pillars: tuple[Pillar, ...] = tuple(Pillar(**p) for p in ccdf["pillars"])
        self._levels: tuple[Level, ...] = tuple(
            Level(id=lv["id"], name=lv["name"], stage=lv["stage"], description=lv["description"],
                  themes=tuple(lv["themes"]))
            for lv in ccdf["levels"])
        statements = [_statement(raw, ccdf_source) for raw in ccdf["statements"]]
        profiles = []
        for raw in nhs["profiles"]:
            job = tuple(_statement(s, nhs_source) for s in raw["job_statement"])
            factors = tuple(_statement(s, nhs_source) for s in raw["factors"])
            statements.extend(job)
            statements.extend(factors)
            profiles.append(Profile(
                id=raw["id"], title=raw["title"], short_title=raw["short_title"], band=raw["band"], bands=tuple(raw["bands"]),
                je_min=raw["je_score_range"]["min"], je_max=raw["je_score_range"]["max"],
                je_total_min=raw["je_total_from_factors"]["min"],
                je_total_max=raw["je_total_from_factors"]["max"],
                training=TrainingExpectations(**raw["training_expectations"]),
                job_statement=job, factors=factors, source=nhs_source,
            ))
        self.profiles: tuple[Profile, ...] = tuple(profiles)
        self.statements: tuple[Statement, ...] = tuple(statements)
        self._sources = (ccdf_source, nhs_source, self.ranges_source)
        self._by_id = {s.id: s for s in self.statements}
        if len(self._by_id) != len(self.statements):
            raise ValueError("statement ids are not unique")
        self._order = {s.id: i for i, s in enumerate(self.statements)}
        self._index = {s.id: self._index_for(s) for s in self.statements}

    @staticmethod
    def _index_for(statement: Statement) -> _Index:
        words = tuple(tokens(statement.text))
        other = " ".join(filter(None, (statement.ref, statement.factor, statement.example)))
        return _Index(text=frozenset(words), text_words=words, other_words=tuple(tokens(other)),
                      phrase=" ".join(words))

    # -- browsing -----------------------------------------------------------

    def levels(self) -> tuple[Level, ...]:
        """The CCDF levels of practice, Assistant/Support Worker to Consultant."""
        return self._levels

    def bands(self) -> tuple[str, ...]:
        """The NHS bands the profiles cover, e.g. ("6", "7", "8a-8b", "8c-8d")."""
        seen: list[str] = []
        for profile in self.profiles:
            if profile.band not in seen:
                seen.append(profile.band)
        return tuple(seen)

    def profiles_for_band(self, band: str) -> tuple[Profile, ...]:
        """The profiles for a band written any common way ("Band 8C" -> both 8c-8d profiles)."""
        wanted = parse_band(band)
        if not wanted:
            return ()
        return tuple(p for p in self.profiles if set(p.bands) & set(wanted))

    def get(self, statement_id: str) -> Statement | None:
        return self._by_id.get(statement_id)

    def sources(self) -> tuple[Source, ...]:
        return self._sources

    def level(self, name: str) -> Level | None:
        """A level by id or name, any case: "proficient", "Proficient/Foundation Practitioner"."""
        wanted = " ".join(tokens(name or ""))
        if not wanted:
            return None
        for level in self._levels:
            names = {level.id, " ".join(tokens(level.name))}
            if wanted in names or wanted == " ".join(tokens(level.name)).split(" ")[0]:
                return level
        return None

    # -- search -------------------------------------------------------------

    def search(self, query: str = "", level: str | None = None, band: str | None = None,
               kind: str | None = None, limit: int = 50) -> list[Statement]:
        """Statements matching every word of ``query`` (case-insensitive; a word also
        matches the start of a longer word), filtered by level, band and kind, best
        first, then by id. An empty query lists the filtered statements in document order.
        A filter that names nothing known gives no results."""
        if limit is None or limit <= 0:
            return []
        pool: Iterable[Statement] = self.statements
        if level is not None:
            found = self.level(level)
            if found is None:
                return []
            pool = [s for s in pool if s.level == found.id]
        if band is not None:
            wanted = parse_band(band)
            if not wanted:
                return []
            allowed = {p.band for p in self.profiles if set(p.bands) & set(wanted)}
            pool = [s for s in pool if s.band in allowed]
        if kind is not None:
            key = "_".join(tokens(kind))
            key = _KIND_ALIASES.get(key, key)
            if key not in KINDS:
                return []
            pool = [s for s in pool if s.kind == key]
        words = tokens(squash(query or ""))
        if not words:
            return list(pool)[:limit]
        scored = []
        for statement in pool:
            score = self._score(self._index[statement.id], words)
            if score:
                scored.append((-score, natural_key(statement.id), statement))
        scored.sort(key=lambda item: (item[0], item[1]))
        return [item[2] for item in scored[:limit]]

    @staticmethod
    def _score(index: _Index, words: list[str]) -> int:
        total = 0
        for word in words:
            if word in index.text:
                total += 3
            elif any(w.startswith(word) for w in index.text_words):
                total += 2
            elif any(w.startswith(word) for w in index.other_words):
                total += 1
            else:
                return 0
        if len(words) > 1 and " ".join(words) in index.phrase:
            total += len(words)
        return total


def _read(name: str) -> dict[str, Any]:
    data = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return json.loads(data)


@lru_cache(maxsize=1)
def load_library() -> Library:
    """The library shipped with the package (loaded once per process)."""
    return Library(_read(CCDF_FILE), _read(NHS_FILE))
