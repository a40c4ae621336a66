"""Campaign files: parse and validate a YAML campaign into typed specs.

Nothing here touches the database: `shortlist.services.campaigns` writes a
validated `Campaign` in one transaction. Every problem is reported with its
field path and, where YAML knows it, its line, and all problems are reported
at once so a file can be fixed in one pass. See docs/campaign-format.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from shortlist.dates import FIRST_YEAR, LAST_YEAR, year_in_range
from typing import Any

import yaml

from shortlist.rules.vocabulary import (  # noqa: F401  (the campaign format's enums, spelled once)
    BARRED_LISTS,
    CLOSED_STATUSES,
    DBS_LEVELS,
    DEFAULT_DESCRIPTORS,
    EQUALITY_KEYS,
    GAP_MARKS,
    METHODS,
    PANEL_ROLES,
    SCORING_ROLES,
    STAGES,
    VACANCY_STATUSES,
)

Path = tuple[str | int, ...]

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
YEAR_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,19}$")
REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_./-]{0,39}$")

STATUSES = VACANCY_STATUSES
MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f" (line {self.line})" if self.line else ""
        return f"{self.path}: {self.message}{where}" if self.path else f"{self.message}{where}"


class CampaignError(Exception):
    """The file is not a valid campaign; `problems` says every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class ScaleSpec:
    min: int = 0
    max: int = 3
    met: int = 2
    divergence_gap: int = 2
    descriptors: dict[int, str] = field(default_factory=lambda: dict(DEFAULT_DESCRIPTORS))


@dataclass(frozen=True)
class VacancySpec:
    reference: str
    title: str
    organisation: str
    closing_date: date
    department: str = ""
    grade: str = ""
    posts: int = 1
    status: str = "open"
    recruiting_manager: str | None = None
    dbs_level: str = "none"
    barred_lists: tuple[str, ...] = ()
    regulated_activity: bool = False
    safeguarding_role: bool = False
    safeguarding_exemption: str | None = None
    customer_facing: bool = False
    offer_interview: bool = False
    waiver_policy: bool = False
    declaration_triggers_scheme: bool = False
    # the Armed Forces Covenant guaranteed interview (R7)
    armed_forces_scheme: bool = False
    scale: ScaleSpec = field(default_factory=ScaleSpec)
    min_scorers: int = 2
    employment_gap_months: int = 3
    interview_cap_places: int | None = None
    interview_cap_reason: str | None = None
    # when applications closed and why (a vacancy at shortlisting or later); None: not said
    applications_closed_on: date | None = None
    applications_closed_reason: str | None = None
    # a sift pool (issue 19): (e-mail, capacity or None) of each pool member; None: the whole panel scores
    sift_pool: tuple[tuple[str, int | None], ...] | None = None


@dataclass(frozen=True)
class CriterionSpec:
    key: str
    category: str
    text: str
    essential: bool
    methods: tuple[str, ...]
    shortlisting: bool
    non_waivable: bool = False
    pre_employment: bool = False


@dataclass(frozen=True)
class PanelSpec:
    email: str
    name: str
    role: str
    safer_recruitment_trained_on: date | None = None
    # set for someone who has left the panel: their submitted scores and declarations still count
    removed_on: date | None = None
    removed_reason: str = ""

    @property
    def current(self) -> bool:
        return self.removed_on is None


@dataclass(frozen=True)
class SpellSpec:
    start: str
    end: str | None
    employer: str
    role: str


@dataclass(frozen=True)
class ForcesSpec:
    """The applicant's Armed Forces service (R7): they left on ``left_on`` (the Forces their
    last long-term employer or not), or are still serving and due to leave on ``discharge_due``."""

    left_on: date | None = None
    discharge_due: date | None = None
    last_long_term_employer: bool = False

    def as_dict(self) -> dict[str, Any]:
        if self.left_on is not None:
            return {"left_on": self.left_on, "last_long_term_employer": self.last_long_term_employer}
        return {"discharge_due": self.discharge_due}


FORCES_BOTH = "give the date they left or the date they are due to leave, not both"
FORCES_NONE = "give left_on (the date they left) or discharge_due (the date a serving member is due to leave)"
FORCES_LAST_EMPLOYER = "say whether the Armed Forces were their last long-term employer (only for someone who has left)"


@dataclass(frozen=True)
class AgreedSpec:
    score: int
    rationale: str


@dataclass(frozen=True)
class ApplicationSpec:
    reference: str
    name: str
    email: str = ""
    phone: str = ""
    disability_declared: bool = False
    offer_interview_opt_in: bool = False
    unmet_due_to_disability: tuple[str, ...] = ()
    adjustments: str = ""
    employment_history: tuple[SpellSpec, ...] = ()
    gap_explanations: dict[str, str] = field(default_factory=dict)
    qualifications: tuple[str, ...] = ()
    evidence: dict[str, str] = field(default_factory=dict)
    conflicts: tuple[str, ...] = ()
    # stage -> member e-mail -> criterion key -> score
    scores: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
    notes: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    agreed: dict[str, dict[str, AgreedSpec]] = field(default_factory=dict)
    # member e-mail -> gap start "YYYY-MM" -> (explained | explore, note): the shortlisters' marks (R20)
    gap_marks: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)
    equality_monitoring: dict[str, str] | None = None
    criminal_record_declaration: tuple[bool, str] | None = None
    armed_forces: ForcesSpec | None = None


@dataclass(frozen=True)
class Campaign:
    vacancy: VacancySpec
    criteria: tuple[CriterionSpec, ...]
    panel: tuple[PanelSpec, ...] = ()
    applications: tuple[ApplicationSpec, ...] = ()
    questions: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def criterion(self, key: str) -> CriterionSpec | None:
        return next((c for c in self.criteria if c.key == key), None)


# --------------------------------------------------------------------------- YAML


def format_path(path: Path) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


class _AnchorRefused(yaml.YAMLError):
    def __init__(self, line: int, kind: str, name: str):
        self.line = line
        sign = "&" if kind == "anchor" else "*"
        super().__init__(f"YAML anchors (&name) and aliases (*name) are not accepted: write each value out "
                         f"in full (this line has the {kind} {sign}{name})")


class _PlainLoader(yaml.SafeLoader):
    """The pure-Python safe loader, refusing every anchor (&name) and alias (*name) as it
    meets it: an alias repeats a value without its text, and nine levels of nine make a
    file of a few hundred bytes expand to 387 million strings (security review, finding 3)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _AnchorRefused(event.start_mark.line + 1, "alias", event.anchor)
        if getattr(event, "anchor", None) is not None:
            raise _AnchorRefused(event.start_mark.line + 1, "anchor", event.anchor)
        return super().compose_node(parent, index)


# "&name" or "*name" where YAML could read an anchor or alias (at the start of a line or a
# value, after "- ", "[", "{" or ","): a file without one has none, and is read by libyaml
_MAYBE_ANCHOR = re.compile(r"(?:^|[\s\[{,])[&*][^\s\[\]{},]", re.MULTILINE)


class _NoAliasDumper(yaml.SafeDumper):
    """Writes a value as often as it is used: never an anchor or alias (which parse refuses)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def dump(data: Any) -> str:
    """A campaign file's text, as `shortlist export` writes it and parse reads it back."""
    return yaml.dump(data, Dumper=_NoAliasDumper, sort_keys=False, allow_unicode=True, width=100)


def _parse_yaml(text: str) -> tuple[Any, _Lines, list[Problem]]:
    """Load YAML safely, with the line of every node by path (looked up when a problem
    needs it), and duplicate keys.

    libyaml's safe loader (when PyYAML has it) reads a 2,000-application file ten times
    faster than the pure-Python one; a file it refuses is read again by the pure-Python
    loader, whose error messages are the ones users see. A file that may hold an anchor or
    an alias goes to the pure-Python loader, which refuses them with their line.
    """
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None and not _MAYBE_ANCHOR.search(text):
        try:
            return _compose(fast, text)
        except yaml.YAMLError:
            pass
    return _compose(_PlainLoader, text)


def _compose(loader_class: Any, text: str) -> tuple[Any, _Lines, list[Problem]]:
    try:
        loader = loader_class(text)
    except yaml.YAMLError as exc:  # the reader refuses the text itself: a NUL or another control character
        if loader_class is not _PlainLoader:
            raise
        return None, _Lines(None), [Problem("", f"not valid YAML: {exc}")]
    key_loader = yaml.SafeLoader("")
    try:
        node = loader.get_single_node()
        if node is None:
            return None, _Lines(None), []
        builder = _Builder(loader, key_loader)
        data = builder.build(node)
    except _AnchorRefused as exc:
        return None, _Lines(None), [Problem("", str(exc), exc.line)]
    except yaml.YAMLError as exc:
        if loader_class is not _PlainLoader:
            raise
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        return None, _Lines(None), [Problem("", f"not valid YAML: {problem}", line)]
    finally:
        loader.dispose()
        key_loader.dispose()
    return data, _Lines(node), builder.problems


_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
# mapping keys the safe constructor reads as they are (no merge "<<" or value "=" keys)
_PLAIN_KEY_TAGS = frozenset({_STR, "tag:yaml.org,2002:int", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null",
                             "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp"})


def _path_key(key_loader: Any, k_node: yaml.Node) -> str | int:
    """A mapping key as a field path names it (and as duplicates are told apart)."""
    if k_node.tag == _STR and isinstance(k_node, yaml.ScalarNode):
        return k_node.value  # type: ignore[no-any-return]
    try:
        key = key_loader.construct_object(k_node, deep=True)
    except yaml.YAMLError:
        key = k_node.value
    if not isinstance(key, str | int | date | bool) or isinstance(key, list):
        key = str(key)
    return key if isinstance(key, str | int) else str(key)


class _Builder:
    """The document's data from its nodes, in one pass that also finds duplicate keys
    and refuses any node met twice (an alias the loader let through).

    What the safe constructor would make, made directly for the nodes a campaign file is
    made of (plain mappings, sequences and strings: at 20,000 applications, about two
    million nodes); any other node (a number, a date, a tagged or merged collection) is
    the safe constructor's own (``construct_object``)."""

    def __init__(self, loader: Any, key_loader: Any) -> None:
        self.loader = loader
        self.key_loader = key_loader
        self.problems: list[Problem] = []
        self.walked: set[int] = set()
        self.path: list[str | int] = []

    def build(self, n: yaml.Node) -> Any:
        if isinstance(n, yaml.ScalarNode):
            return n.value if n.tag == _STR else self.loader.construct_object(n, deep=True)
        if id(n) in self.walked:
            raise _AnchorRefused(n.start_mark.line + 1, "anchor", "?")
        self.walked.add(id(n))
        path = self.path
        if isinstance(n, yaml.SequenceNode) and n.tag == _SEQ:
            out: list[Any] = []
            for i, item in enumerate(n.value):
                path.append(i)
                out.append(self.build(item))
                path.pop()
            return out
        if isinstance(n, yaml.MappingNode) and n.tag == _MAP and all(
                isinstance(k, yaml.ScalarNode) and k.tag in _PLAIN_KEY_TAGS for k, _v in n.value):
            mapping: dict[Any, Any] = {}
            seen: set[Any] = set()
            for k_node, v_node in n.value:
                key = _path_key(self.key_loader, k_node)
                if key in seen:
                    self.problems.append(Problem(format_path((*path, str(key))), "duplicate key",
                                                 k_node.start_mark.line + 1))
                seen.add(key)
                path.append(key)
                value = self.build(v_node)
                path.pop()
                mapping[k_node.value if k_node.tag == _STR else self.loader.construct_object(k_node, deep=True)] = value
            return mapping
        self._check(n)  # anything else: the safe constructor's, the walk as before
        return self.loader.construct_object(n, deep=True)

    def _check(self, n: yaml.Node) -> None:
        """Duplicate keys and repeated nodes below a node the safe constructor makes."""
        path = self.path
        if isinstance(n, yaml.CollectionNode):
            for child in (v for _k, v in n.value) if isinstance(n, yaml.MappingNode) else n.value:
                if isinstance(child, yaml.CollectionNode):
                    if id(child) in self.walked:
                        raise _AnchorRefused(child.start_mark.line + 1, "anchor", "?")
                    self.walked.add(id(child))
        if isinstance(n, yaml.MappingNode):
            seen: set[Any] = set()
            for k_node, v_node in n.value:
                key = _path_key(self.key_loader, k_node)
                if key in seen:
                    self.problems.append(Problem(format_path((*path, str(key))), "duplicate key",
                                                 k_node.start_mark.line + 1))
                seen.add(key)
                path.append(key)
                self._check(v_node)
                path.pop()
        elif isinstance(n, yaml.SequenceNode):
            for i, item in enumerate(n.value):
                path.append(i)
                self._check(item)
                path.pop()


class _Lines:
    """The line of each field path, found in the YAML nodes when a problem needs one (a
    valid file needs none: a table of two million paths built for nothing, before)."""

    def __init__(self, root: yaml.Node | None) -> None:
        self.root = root
        self._key_loader: Any = None

    def get(self, path: Path) -> int | None:
        n = self.root
        if n is None:
            return None
        for part in path:
            if isinstance(n, yaml.MappingNode):
                if self._key_loader is None:
                    self._key_loader = yaml.SafeLoader("")
                found = None
                for k_node, v_node in n.value:  # the last of duplicate keys, as the data holds
                    if _path_key(self._key_loader, k_node) == part:
                        found = v_node
                n = found
            elif isinstance(n, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(n.value):
                n = n.value[part]
            else:
                return None
            if n is None:
                return None
        return n.start_mark.line + 1  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- validation


class _Reader:
    """Typed access to the raw data that records problems instead of raising."""

    def __init__(self, lines: _Lines):
        self.lines = lines
        self.problems: list[Problem] = []

    def problem(self, path: Path, message: str) -> None:
        line = None
        probe = path
        while probe and line is None:
            line = self.lines.get(probe)
            probe = probe[:-1]
        self.problems.append(Problem(format_path(path), message, line))

    def mapping(self, value: Any, path: Path, allowed: set[str] | None = None) -> dict[Any, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem(path, "must be a mapping of keys to values")
            return {}
        if allowed is not None:
            for key in value:
                if key not in allowed:
                    self.problem((*path, key), f"unknown key (expected one of: {', '.join(sorted(allowed))})")
        return value

    def seq(self, value: Any, path: Path) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(path, "must be a list")
            return []
        return value

    def string(self, data: dict[Any, Any], key: str, path: Path, *, required: bool = False,
               default: str = "", max_len: int = 10_000) -> str:
        value = data.get(key)
        if value is None:
            if required:
                self.problem((*path, key), "is required")
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problem((*path, key), "must be text")
            return default
        text = str(value).strip()
        if required and not text:
            self.problem((*path, key), "must not be empty")
        if len(text) > max_len:
            self.problem((*path, key), f"is longer than {max_len} characters")
            return text[:max_len]
        return text

    def boolean(self, data: dict[Any, Any], key: str, path: Path, default: bool = False) -> bool:
        value = data.get(key, default)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problem((*path, key), "must be true or false")
            return default
        return value

    def integer(self, data: dict[Any, Any], key: str, path: Path, default: int | None = None, *,
                required: bool = False, minimum: int | None = None) -> int | None:
        value = data.get(key)
        if value is None:
            if required:
                self.problem((*path, key), "is required")
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem((*path, key), "must be a whole number")
            return default
        if minimum is not None and value < minimum:
            self.problem((*path, key), f"must be at least {minimum}")
            return default
        return value

    def day(self, data: dict[Any, Any], key: str, path: Path, *, required: bool = False) -> date | None:
        value = data.get(key)
        if value is None:
            if required:
                self.problem((*path, key), "is required")
            return None
        parsed = value if isinstance(value, date) else None
        if isinstance(value, str):
            try:
                parsed = date.fromisoformat(value)
            except ValueError:
                pass
        if parsed is None:
            self.problem((*path, key), "must be a date written YYYY-MM-DD")
            return None
        if not year_in_range(parsed.year):
            self.problem((*path, key), f"must be a date between {FIRST_YEAR} and {LAST_YEAR}")
            return None
        return parsed

    def email(self, value: Any, path: Path) -> str:
        if not isinstance(value, str) or not EMAIL.match(value.strip()):
            self.problem(path, f"{value!r} is not an e-mail address")
            return ""
        return value.strip().lower()


VACANCY_KEYS = {
    "reference", "title", "organisation", "department", "grade", "posts", "closing_date", "status",
    "recruiting_manager", "dbs", "safeguarding_role", "safeguarding_exemption", "customer_facing", "disability_confident",
    "armed_forces_scheme", "scale", "min_scorers", "employment_gap_months", "interview_cap", "applications_closed",
    "sift_pool",
}
CRITERION_KEYS = {"key", "category", "text", "essential", "methods", "shortlisting", "non_waivable",
                  "pre_employment"}
PANEL_KEYS = {"email", "name", "role", "safer_recruitment_trained_on", "removed"}
APPLICATION_KEYS = {
    "reference", "name", "email", "phone", "disability_declared", "offer_interview_opt_in",
    "unmet_due_to_disability", "adjustments", "employment_history", "gap_explanations",
    "qualifications", "evidence", "conflicts", "scores", "notes", "agreed", "gap_marks", "equality_monitoring",
    "criminal_record_declaration", "armed_forces",
}


def _vacancy(r: _Reader, raw: Any) -> VacancySpec | None:
    path: Path = ("vacancy",)
    if raw is None:
        r.problem(path, "is required")
        return None
    data = r.mapping(raw, path, VACANCY_KEYS)
    reference = r.string(data, "reference", path, required=True, max_len=40)
    if reference and not REFERENCE.match(reference):
        r.problem((*path, "reference"), "use letters, digits and - _ . / only")
    status = r.string(data, "status", path, default="open")
    if status not in STATUSES:
        r.problem((*path, "status"), f"must be one of {', '.join(STATUSES)}")
    manager = data.get("recruiting_manager")
    manager_email = r.email(manager, (*path, "recruiting_manager")) if manager is not None else None

    dbs = r.mapping(data.get("dbs"), (*path, "dbs"), {"level", "barred_lists", "regulated_activity"})
    level = r.string(dbs, "level", (*path, "dbs"), default="none")
    if level not in DBS_LEVELS:
        r.problem((*path, "dbs", "level"), f"must be one of {', '.join(DBS_LEVELS)}")
    barred: list[str] = []
    for i, item in enumerate(r.seq(dbs.get("barred_lists"), (*path, "dbs", "barred_lists"))):
        if item not in BARRED_LISTS:
            r.problem((*path, "dbs", "barred_lists", i), f"must be one of {', '.join(BARRED_LISTS)}")
        elif item in barred:
            r.problem((*path, "dbs", "barred_lists", i), f"{item!r} is listed twice")
        else:
            barred.append(item)

    dc_path = (*path, "disability_confident")
    dc = r.mapping(data.get("disability_confident"), dc_path,
                   {"offer_interview", "waiver_policy", "declaration_triggers_scheme"})

    scale = _scale(r, data.get("scale"), (*path, "scale"))
    cap = r.mapping(data.get("interview_cap"), (*path, "interview_cap"), {"places", "reason"})
    cap_places = r.integer(cap, "places", (*path, "interview_cap"), minimum=1, required=bool(cap))
    cap_reason = r.string(cap, "reason", (*path, "interview_cap"), required=bool(cap)) if cap else None

    closed = r.mapping(data.get("applications_closed"), (*path, "applications_closed"), {"date", "reason"})
    if closed and status not in CLOSED_STATUSES:
        r.problem((*path, "applications_closed"),
                  f"applications close when shortlisting starts, but the status is {status!r}: "
                  "use shortlisting (or later), or leave applications_closed out")
    closed_on = r.day(closed, "date", (*path, "applications_closed")) if closed else None
    closed_reason = r.string(closed, "reason", (*path, "applications_closed"), max_len=2000) if closed else None

    closing = r.day(data, "closing_date", path, required=True)
    if closing is None:
        return None
    return VacancySpec(
        reference=reference,
        title=r.string(data, "title", path, required=True, max_len=200),
        organisation=r.string(data, "organisation", path, required=True, max_len=200),
        department=r.string(data, "department", path, max_len=300),
        grade=r.string(data, "grade", path, max_len=40),
        posts=r.integer(data, "posts", path, 1, minimum=1) or 1,
        closing_date=closing,
        status=status,
        recruiting_manager=manager_email or None,
        dbs_level=level,
        barred_lists=tuple(barred),
        regulated_activity=r.boolean(dbs, "regulated_activity", (*path, "dbs")),
        safeguarding_role=r.boolean(data, "safeguarding_role", path),
        safeguarding_exemption=r.string(data, "safeguarding_exemption", path, max_len=2000) or None,
        customer_facing=r.boolean(data, "customer_facing", path),
        offer_interview=r.boolean(dc, "offer_interview", dc_path),
        waiver_policy=r.boolean(dc, "waiver_policy", dc_path),
        declaration_triggers_scheme=r.boolean(dc, "declaration_triggers_scheme", dc_path),
        armed_forces_scheme=r.boolean(data, "armed_forces_scheme", path),
        scale=scale,
        min_scorers=r.integer(data, "min_scorers", path, 2, minimum=1) or 2,
        employment_gap_months=r.integer(data, "employment_gap_months", path, 3, minimum=1) or 3,
        interview_cap_places=cap_places,
        interview_cap_reason=cap_reason,
        applications_closed_on=closed_on,
        applications_closed_reason=closed_reason or None,
        sift_pool=_sift_pool(r, data.get("sift_pool"), (*path, "sift_pool")),
    )


def _sift_pool(r: _Reader, raw: Any, path: Path) -> tuple[tuple[str, int | None], ...] | None:
    """``sift_pool: {members: [{email: ..., capacity: 300}, ...]}`` (capacity optional)."""
    if raw is None:
        return None
    data = r.mapping(raw, path, {"members"})
    out: list[tuple[str, int | None]] = []
    for i, item in enumerate(r.seq(data.get("members"), (*path, "members"))):
        mp: Path = (*path, "members", i)
        member = r.mapping(item, mp, {"email", "capacity"})
        email = r.email(member.get("email"), (*mp, "email"))
        out.append((email, r.integer(member, "capacity", mp, None, minimum=0)))
    if not out:
        r.problem((*path, "members"), "name at least one member of the panel")
    return tuple(out)


def _scale(r: _Reader, raw: Any, path: Path) -> ScaleSpec:
    if raw is None:
        return ScaleSpec()
    data = r.mapping(raw, path, {"min", "max", "met", "divergence_gap", "descriptors"})
    lo = r.integer(data, "min", path, 0)
    hi = r.integer(data, "max", path, 3)
    assert lo is not None and hi is not None
    met = r.integer(data, "met", path, min(max(lo, 2), hi))
    gap = r.integer(data, "divergence_gap", path, 2, minimum=1)
    assert met is not None and gap is not None
    if lo >= hi:
        r.problem((*path, "max"), f"must be greater than min ({lo})")
    elif not lo <= met <= hi:
        r.problem((*path, "met"), f"must lie on the scale ({lo} to {hi})")
    descriptors: dict[int, str] = {}
    raw_desc = r.mapping(data.get("descriptors"), (*path, "descriptors"))
    for key, text in raw_desc.items():
        if isinstance(key, bool) or not isinstance(key, int):
            r.problem((*path, "descriptors", key), "scores must be whole numbers")
            continue
        if not lo <= key <= hi:
            r.problem((*path, "descriptors", key), f"{key} is not on the scale ({lo} to {hi})")
            continue
        if not isinstance(text, str) or not text.strip():
            r.problem((*path, "descriptors", key), "must be text")
            continue
        descriptors[key] = text.strip()
    if not raw_desc and lo == 0 and hi == 3:
        descriptors = dict(DEFAULT_DESCRIPTORS)
    return ScaleSpec(lo, hi, met, gap, descriptors)


def _criteria(r: _Reader, raw: Any) -> tuple[CriterionSpec, ...]:
    out: list[CriterionSpec] = []
    keys: set[str] = set()
    items = r.seq(raw, ("criteria",))
    if raw is None:
        r.problem(("criteria",), "is required")
    for i, item in enumerate(items):
        path: Path = ("criteria", i)
        data = r.mapping(item, path, CRITERION_KEYS)
        key = r.string(data, "key", path, required=True, max_len=20)
        if key and not KEY.match(key):
            r.problem((*path, "key"), "use up to 20 letters, digits and - _ . only")
        if key in keys:
            r.problem((*path, "key"), f"{key!r} is used by another criterion")
        keys.add(key)
        methods: list[str] = []
        raw_methods = data.get("methods")
        if raw_methods is None:
            r.problem((*path, "methods"), "is required (AF, Q, I, P, E, T or R)")
        for j, method in enumerate(r.seq(raw_methods, (*path, "methods"))):
            code = str(method).strip().upper()
            if code not in METHODS:
                r.problem((*path, "methods", j), f"{method!r} is not a method ({', '.join(METHODS)})")
            elif code not in methods:
                methods.append(code)
        methods.sort(key=METHODS.index)
        default_shortlisting = "AF" in methods or "Q" in methods
        out.append(
            CriterionSpec(
                key=key,
                category=r.string(data, "category", path, required=True, max_len=200),
                text=r.string(data, "text", path, required=True),
                essential=r.boolean(data, "essential", path, True),
                methods=tuple(methods),
                shortlisting=r.boolean(data, "shortlisting", path, default_shortlisting),
                non_waivable=r.boolean(data, "non_waivable", path),
                pre_employment=r.boolean(data, "pre_employment", path),
            )
        )
    return tuple(out)


def _panel(r: _Reader, raw: Any) -> tuple[PanelSpec, ...]:
    out: list[PanelSpec] = []
    seen: set[str] = set()
    for i, item in enumerate(r.seq(raw, ("panel",))):
        path: Path = ("panel", i)
        data = r.mapping(item, path, PANEL_KEYS)
        email = r.email(data.get("email"), (*path, "email"))
        if email in seen:
            r.problem((*path, "email"), f"{email} is on the panel twice")
        seen.add(email)
        role = r.string(data, "role", path, default="member")
        if role not in PANEL_ROLES:
            r.problem((*path, "role"), f"must be one of {', '.join(PANEL_ROLES)}")
        removed_on, removed_reason = None, ""
        if data.get("removed") is not None:
            rp: Path = (*path, "removed")
            removed = r.mapping(data.get("removed"), rp, {"on", "reason"})
            removed_on = r.day(removed, "on", rp, required=True)
            removed_reason = r.string(removed, "reason", rp, max_len=2000)
        out.append(PanelSpec(email, r.string(data, "name", path, required=True, max_len=200), role,
                             r.day(data, "safer_recruitment_trained_on", path), removed_on, removed_reason))
    return tuple(out)


def _year_month(r: _Reader, value: Any, path: Path, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if isinstance(value, date):
        value = f"{value.year:04d}-{value.month:02d}"
    if not isinstance(value, str) or not YEAR_MONTH.match(value):
        r.problem(path, "must be a month written YYYY-MM")
        return None
    if not year_in_range(int(value[:4])):
        r.problem(path, f"must be a month between {FIRST_YEAR} and {LAST_YEAR}")
        return None
    return value


def _panel_member(r: _Reader, member: Any, path: Path, panel: dict[str, PanelSpec], why: str = "") -> str:
    """The e-mail of a panel member named at ``path`` ("" with a problem recorded when it is
    not an e-mail, or not on the panel)."""
    address = r.email(member, path)
    if address and address not in panel:
        r.problem(path, f"{address} is not on the panel{why}")
        return ""
    return address


def _application(r: _Reader, item: Any, i: int, criteria: dict[str, CriterionSpec],
                 panel: dict[str, PanelSpec], scale: ScaleSpec) -> ApplicationSpec:
    path: Path = ("applications", i)
    data = r.mapping(item, path, APPLICATION_KEYS)
    reference = r.string(data, "reference", path, required=True, max_len=40)
    if reference and not REFERENCE.match(reference):
        r.problem((*path, "reference"), "use letters, digits and - _ . / only")

    def criterion_key(key: Any, p: Path) -> bool:
        if not isinstance(key, str) or key not in criteria:
            r.problem(p, f"unknown criterion {key!r}")
            return False
        return True

    unmet: list[str] = []
    for j, key in enumerate(r.seq(data.get("unmet_due_to_disability"), (*path, "unmet_due_to_disability"))):
        if criterion_key(key, (*path, "unmet_due_to_disability", j)):
            unmet.append(key)
    disability_declared = r.boolean(data, "disability_declared", path)
    if unmet and not disability_declared:
        r.problem((*path, "unmet_due_to_disability"), "needs disability_declared: true")

    spells: list[SpellSpec] = []
    for j, spell in enumerate(r.seq(data.get("employment_history"), (*path, "employment_history"))):
        sp: Path = (*path, "employment_history", j)
        sd = r.mapping(spell, sp, {"from", "to", "employer", "role"})
        start = _year_month(r, sd.get("from"), (*sp, "from"))
        end = _year_month(r, sd.get("to"), (*sp, "to"), optional=True)
        if start and end and end < start:
            r.problem((*sp, "to"), f"ends ({end}) before it starts ({start})")
        spells.append(SpellSpec(start or "", end, r.string(sd, "employer", sp, required=True, max_len=200),
                                r.string(sd, "role", sp, max_len=200)))

    explanations: dict[str, str] = {}
    for month, text in r.mapping(data.get("gap_explanations"), (*path, "gap_explanations")).items():
        ym = _year_month(r, month, (*path, "gap_explanations", month))
        if ym:
            explanations[ym] = str(text).strip()

    evidence: dict[str, str] = {}
    for key, text in r.mapping(data.get("evidence"), (*path, "evidence")).items():
        if criterion_key(key, (*path, "evidence", key)):
            if not isinstance(text, str):
                r.problem((*path, "evidence", key), "must be text")
            else:
                evidence[key] = text.strip()

    conflicts: list[str] = []
    for j, email in enumerate(r.seq(data.get("conflicts"), (*path, "conflicts"))):
        address = r.email(email, (*path, "conflicts", j))
        if address and address not in panel:
            r.problem((*path, "conflicts", j), f"{address} is not on the panel")
        elif address:
            conflicts.append(address)

    scores: dict[str, dict[str, dict[str, int]]] = {}
    for stage, by_member in r.mapping(data.get("scores"), (*path, "scores")).items():
        sp = (*path, "scores", stage)
        if stage not in STAGES:
            r.problem(sp, f"unknown stage (expected {' or '.join(STAGES)})")
            continue
        for member, sheet in r.mapping(by_member, sp).items():
            mp = (*sp, member)
            address = _panel_member(r, member, mp, panel, ", so cannot score")
            if not address:
                continue
            # A conflicted member's scores are kept (declared after scoring, R30 scenario 21):
            # the rules engine never counts them and says so (conflict_excluded).
            values: dict[str, int] = {}
            for key, value in r.mapping(sheet, mp).items():
                kp = (*mp, key)
                if not criterion_key(key, kp):
                    continue
                if isinstance(value, bool) or not isinstance(value, int):
                    r.problem(kp, "a score must be a whole number")
                elif not scale.min <= value <= scale.max:
                    r.problem(kp, f"score {value} is outside the scale ({scale.min} to {scale.max})")
                else:
                    values[key] = value
            scores.setdefault(stage, {})[address] = values

    notes: dict[str, dict[str, dict[str, str]]] = {}
    for stage, by_member in r.mapping(data.get("notes"), (*path, "notes")).items():
        sp = (*path, "notes", stage)
        if stage not in STAGES:
            r.problem(sp, f"unknown stage (expected {' or '.join(STAGES)})")
            continue
        for member, sheet in r.mapping(by_member, sp).items():
            address = r.email(member, (*sp, member))
            if address and address not in panel:
                r.problem((*sp, member), f"{address} is not on the panel")
                continue
            for key, note in r.mapping(sheet, (*sp, member)).items():
                if criterion_key(key, (*sp, member, key)):
                    notes.setdefault(stage, {}).setdefault(address, {})[key] = str(note).strip()

    agreed: dict[str, dict[str, AgreedSpec]] = {}
    for stage, by_key in r.mapping(data.get("agreed"), (*path, "agreed")).items():
        sp = (*path, "agreed", stage)
        if stage not in STAGES:
            r.problem(sp, f"unknown stage (expected {' or '.join(STAGES)})")
            continue
        for key, entry in r.mapping(by_key, sp).items():
            kp = (*sp, key)
            if not criterion_key(key, kp):
                continue
            ed = r.mapping(entry, kp, {"score", "rationale"})
            value = r.integer(ed, "score", kp, required=True)
            if value is not None and not scale.min <= value <= scale.max:
                r.problem((*kp, "score"), f"score {value} is outside the scale ({scale.min} to {scale.max})")
                continue
            rationale = r.string(ed, "rationale", kp)
            if value is not None:
                agreed.setdefault(stage, {})[key] = AgreedSpec(value, rationale)

    gap_marks: dict[str, dict[str, tuple[str, str]]] = {}
    gp: Path = (*path, "gap_marks")
    for member, by_gap in r.mapping(data.get("gap_marks"), gp).items():
        mp = (*gp, member)
        address = _panel_member(r, member, mp, panel)
        if not address:
            continue
        for month, entry in r.mapping(by_gap, mp).items():
            kp = (*mp, month)
            start = _year_month(r, month, kp)
            if isinstance(entry, str):
                mark, note = entry, ""
            else:
                ed = r.mapping(entry, kp, {"mark", "note"})
                mark, note = r.string(ed, "mark", kp, required=True), r.string(ed, "note", kp)
            if mark not in GAP_MARKS and (mark or isinstance(entry, str)):
                r.problem(kp if isinstance(entry, str) else (*kp, "mark"),
                          f"a gap mark must be {' or '.join(GAP_MARKS)}, not {mark!r}")
            elif start and mark:
                gap_marks.setdefault(address, {})[start] = (mark, note)

    equality: dict[str, str] | None = None
    if data.get("equality_monitoring") is not None:
        equality = {}
        em_path = (*path, "equality_monitoring")
        for key, value in r.mapping(data.get("equality_monitoring"), em_path, set(EQUALITY_KEYS)).items():
            equality[key] = r.string({key: value}, key, em_path)

    declaration: tuple[bool, str] | None = None
    if data.get("criminal_record_declaration") is not None:
        cp = (*path, "criminal_record_declaration")
        cd = r.mapping(data.get("criminal_record_declaration"), cp, {"unspent_convictions", "details"})
        declaration = (r.boolean(cd, "unspent_convictions", cp), r.string(cd, "details", cp))

    forces: ForcesSpec | None = None
    if data.get("armed_forces") is not None:
        fp = (*path, "armed_forces")
        fd = r.mapping(data.get("armed_forces"), fp, {"left_on", "discharge_due", "last_long_term_employer"})
        left_on, due = r.day(fd, "left_on", fp), r.day(fd, "discharge_due", fp)
        if "left_on" in fd and "discharge_due" in fd:
            r.problem(fp, FORCES_BOTH)
        elif "left_on" not in fd and "discharge_due" not in fd:
            r.problem(fp, FORCES_NONE)
        elif "discharge_due" in fd and "last_long_term_employer" in fd:
            r.problem((*fp, "last_long_term_employer"), FORCES_LAST_EMPLOYER)
        elif "left_on" in fd and "last_long_term_employer" not in fd:
            r.problem((*fp, "last_long_term_employer"), "is required with left_on: " + FORCES_LAST_EMPLOYER)
        forces = ForcesSpec(left_on, due, r.boolean(fd, "last_long_term_employer", fp) if left_on else False)

    qualifications = []
    for j, q in enumerate(r.seq(data.get("qualifications"), (*path, "qualifications"))):
        if not isinstance(q, str):
            r.problem((*path, "qualifications", j), "must be text")
        else:
            qualifications.append(q.strip())

    return ApplicationSpec(
        reference=reference,
        name=r.string(data, "name", path, required=True, max_len=200),
        email=r.string(data, "email", path, max_len=254),
        phone=r.string(data, "phone", path, max_len=40),
        disability_declared=disability_declared,
        offer_interview_opt_in=r.boolean(data, "offer_interview_opt_in", path),
        unmet_due_to_disability=tuple(unmet),
        adjustments=r.string(data, "adjustments", path),
        employment_history=tuple(spells),
        gap_explanations=explanations,
        qualifications=tuple(qualifications),
        evidence=evidence,
        conflicts=tuple(conflicts),
        scores=scores,
        notes=notes,
        agreed=agreed,
        gap_marks=gap_marks,
        equality_monitoring=equality,
        criminal_record_declaration=declaration,
        armed_forces=forces,
    )


def parse(text: str) -> Campaign:
    """Parse and validate a campaign file's text; raise CampaignError listing every problem."""
    if len(text.encode("utf-8", "replace")) > MAX_FILE_BYTES:
        raise CampaignError([Problem("", f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")])
    raw, lines, problems = _parse_yaml(text)
    if problems and raw is None:
        raise CampaignError(problems)
    if raw is None:
        raise CampaignError([Problem("", "the file is empty: a campaign needs vacancy and criteria")])
    return validate(raw, lines, problems)


def validate(raw: Any, lines: dict[Path, int] | None = None, problems: list[Problem] | None = None) -> Campaign:
    """Validate a campaign already read into Python data (a YAML file's, or a JSON body sent to
    the API) with the same rules and messages; raise CampaignError listing every problem."""
    r = _Reader(lines or {})
    r.problems.extend(problems or ())
    if raw is None:
        raise CampaignError([Problem("", "the campaign is empty: it needs vacancy and criteria")])
    top = r.mapping(raw, (), {"vacancy", "criteria", "panel", "applications", "questions"})
    if not isinstance(raw, dict):
        raise CampaignError(r.problems)
    vacancy = _vacancy(r, top.get("vacancy"))
    criteria = _criteria(r, top.get("criteria"))
    panel = _panel(r, top.get("panel"))
    by_key = {c.key: c for c in criteria}
    by_email = {p.email: p for p in panel}
    scale = vacancy.scale if vacancy else ScaleSpec()

    if vacancy and vacancy.recruiting_manager is None and panel:
        pass  # a campaign may name no manager; HR manages it
    if vacancy and vacancy.sift_pool:
        scorers = {p.email: p for p in panel if p.current and p.role in SCORING_ROLES}
        seen_pool: set[str] = set()
        for i, (email, _capacity) in enumerate(vacancy.sift_pool):
            mp: Path = ("vacancy", "sift_pool", "members", i, "email")
            if email and email not in scorers:
                r.problem(mp, f"{email} is not a chair or member on the panel")
            elif email in seen_pool:
                r.problem(mp, f"{email} is in the sift pool twice")
            seen_pool.add(email)
        if len(seen_pool) < vacancy.min_scorers:
            r.problem(("vacancy", "sift_pool", "members"),
                      f"each application needs {vacancy.min_scorers} independent scorers: name at least that many")
    applications: list[ApplicationSpec] = []
    references: set[str] = set()
    for i, item in enumerate(r.seq(top.get("applications"), ("applications",))):
        app = _application(r, item, i, by_key, by_email, scale)
        if vacancy and vacancy.status not in CLOSED_STATUSES:
            for name in ("scores", "agreed", "conflicts"):
                if getattr(app, name):
                    r.problem(("applications", i, name),
                              f"the vacancy's status is {vacancy.status!r}, so its applications are open and the "
                              "panel has not started: the panel's work needs status shortlisting (or later)")
        if app.reference in references:
            r.problem(("applications", i, "reference"), f"{app.reference!r} is used by another application")
        references.add(app.reference)
        applications.append(app)

    questions: dict[str, tuple[str, ...]] = {}
    for key, items in r.mapping(top.get("questions"), ("questions",)).items():
        if key not in by_key:
            r.problem(("questions", key), f"unknown criterion {key!r}")
            continue
        texts = []
        for j, q in enumerate(r.seq(items, ("questions", key))):
            if not isinstance(q, str) or not q.strip():
                r.problem(("questions", key, j), "must be text")
            else:
                texts.append(q.strip())
        questions[key] = tuple(texts)

    if r.problems or vacancy is None:
        raise CampaignError(r.problems or [Problem("vacancy", "is required")])
    return Campaign(vacancy, criteria, panel, tuple(applications), questions)


#: what an application sent on its own (the API's batches) may not carry: the panel's work is done in Shortlist
PANEL_WORK_KEYS = ("scores", "notes", "agreed", "conflicts", "gap_marks")


def validate_applications(items: Any, criteria: tuple[CriterionSpec, ...], scale: ScaleSpec,
                          path: Path = ("applications",)) -> tuple[list[ApplicationSpec], list[Problem]]:
    """Applications on their own (for a vacancy that exists), read by the campaign file's rules
    with the same messages; the panel's work (scores, conflicts, ...) is refused. Returns the
    specs and every problem (field paths under ``path``)."""
    r = _Reader({})
    by_key = {c.key: c for c in criteria}
    specs: list[ApplicationSpec] = []
    for i, item in enumerate(r.seq(items, path)):
        spec = _application(r, item, i, by_key, {}, scale)
        if isinstance(item, dict):
            for name in PANEL_WORK_KEYS:
                if item.get(name):
                    r.problem((*path, i, name), f"{name} are not taken with applications: the panel declares "
                                                "conflicts and scores in Shortlist")
        specs.append(spec)
    if path != ("applications",):  # the reader names items applications[i]: put them under the caller's path
        prefix = format_path(("applications",))
        r.problems = [Problem(format_path(path) + p.path[len(prefix):] if p.path.startswith(prefix) else p.path,
                              p.message, p.line) for p in r.problems]
    return specs, r.problems
