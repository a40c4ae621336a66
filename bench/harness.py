"""What the benchmark and the query-count tests share: a loaded campaign with the panel
ready to work, the hot pages and commands as they are used, a statement counter, and
the bare SQL each page's rows need.

Pages go through the Flask test client as a signed-in user, end to end (routing,
access checks, queries, the rules engine, rendering). Commands go through Flask's CLI
runner or the command's own function.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from bench import bare
from bench.generate import CHAIR, HR, campaign_data, member_email, to_yaml
from shortlist.extensions import db
from shortlist.models import Application

# --------------------------------------------------------------------------- counting


@dataclass
class Counter:
    """Statements sent to the database (each cursor execute, an executemany counted once)
    and transactions committed, while it is active; with ``keep``, the statements and
    COMMITs in order."""

    statements: int = 0
    commits: int = 0
    log: list[str] = field(default_factory=list)

    def after_last_commit(self) -> list[str]:
        """Statements sent after the last COMMIT (an empty list when none)."""
        if "COMMIT" not in self.log:
            return list(self.log)
        return self.log[len(self.log) - self.log[::-1].index("COMMIT"):]


@contextmanager
def counting(engine: Any = None, *, keep: bool = False) -> Iterator[Counter]:
    """Count with a ``before_cursor_execute`` listener on the engine (``db.engine`` by default)."""
    engine = engine if engine is not None else db.engine
    found = Counter()

    def on_execute(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        found.statements += 1
        if keep:
            found.log.append(" ".join(statement.split()))

    def on_commit(_conn: Any) -> None:
        found.commits += 1
        if keep:
            found.log.append("COMMIT")

    event.listen(engine, "before_cursor_execute", on_execute)
    event.listen(engine, "commit", on_commit)
    try:
        yield found
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)
        event.remove(engine, "commit", on_commit)


@contextmanager
def phases() -> Iterator[dict[str, float]]:
    """Seconds spent, while active, reading the candidates' rows (``gather``: the SQL and
    the records built from it), in the rules engine, and rendering templates."""
    import time

    from flask import before_render_template, template_rendered

    from shortlist import rules
    from shortlist.services import recommendations

    spent = {"gather": 0.0, "rules": 0.0, "render": 0.0}
    patched = [(recommendations, "gather", "gather"), (rules, "recommend_all", "rules"),
               (rules, "recommend", "rules")]
    originals = [getattr(module, name) for module, name, _ in patched]

    def timed(fn: Callable[..., Any], phase: str) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[phase] += time.perf_counter() - started
        return wrapper

    started: list[float] = []

    def before(_sender: Any, **_extra: Any) -> None:
        started.append(time.perf_counter())

    def after(_sender: Any, **_extra: Any) -> None:
        spent["render"] += time.perf_counter() - started.pop()

    for (module, name, phase), fn in zip(patched, originals, strict=True):
        setattr(module, name, timed(fn, phase))
    before_render_template.connect(before)
    template_rendered.connect(after)
    try:
        yield spent
    finally:
        for (module, name, _), fn in zip(patched, originals, strict=True):
            setattr(module, name, fn)
        before_render_template.disconnect(before)
        template_rendered.disconnect(after)


@contextmanager
def capturing_selects(engine: Any = None) -> Iterator[list[tuple[str, Any]]]:
    """The SELECT statements sent while active, with their parameters."""
    engine = engine if engine is not None else db.engine
    found: list[tuple[str, Any]] = []

    def on_execute(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any,
                   executemany: bool) -> None:
        if not executemany and statement.lstrip().upper().startswith(("SELECT", "WITH")):
            found.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        yield found
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)


def full_scans(statement: str, parameters: Any, engine: Any = None) -> list[str]:
    """The tables this SELECT reads whole rather than by an index (empty: every table is
    reached through an index). SQLite says SCAN for a table read whole (SEARCH for a
    lookup); PostgreSQL, told not to scan whole tables, still plans a Seq Scan where no
    index could serve."""
    engine = engine if engine is not None else db.engine
    tables = set(db.metadata.tables)
    out: list[str] = []
    with engine.connect() as conn:
        cursor = conn.connection.cursor()
        try:
            if engine.dialect.name == "sqlite":
                cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
                for row in cursor.fetchall():
                    detail = row[-1]
                    if detail.startswith("SCAN "):
                        name = detail.split()[1]
                        base = name.rsplit("_", 1)[0] if name.rsplit("_", 1)[-1].isdigit() else name
                        if base in tables:
                            out.append(detail)
            elif engine.dialect.name == "postgresql":
                cursor.execute("SET enable_seqscan = off")
                cursor.execute("EXPLAIN " + statement, parameters)
                out.extend(row[0].strip() for row in cursor.fetchall() if "Seq Scan" in row[0])
        finally:
            cursor.close()
            conn.rollback()
    return out


# --------------------------------------------------------------------------- the campaign


@dataclass
class Scenario:
    """A loaded campaign: who is who, and which applications are still open to score."""

    reference: str
    n: int
    criteria: int
    panel: int
    criteria_keys: list[str]
    member: str  # the last panel member, who still has applications to score
    open_references: list[str]
    gap_references: set[str]  # applications with an employment gap to mark
    load_seconds: float = 0.0
    parse_seconds: float = 0.0
    load_statements: int = 0
    user_ids: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str | None] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    bare_submits: int = 0

    chair: str = CHAIR
    hr: str = HR

    def next_open(self, *, with_gap: bool = False) -> str:
        """An application the member has not scored yet (each one is submitted only once)."""
        for ref in self.open_references:
            if ref not in self.used and (not with_gap or ref in self.gap_references):
                self.used.add(ref)
                return ref
        raise RuntimeError("no application left for the member to score: generate more open sheets")

    def login(self, email: str) -> tuple[int, str | None]:
        """What ``sign_in`` needs for this user."""
        return self.user_ids[email], self.tokens.get(email)

    @property
    def first_reference(self) -> str:
        return "A00001"


def prepare(n: int, criteria: int = 25, panel: int = 3, *, open_sheets: int = 12,
            reference: str | None = None) -> Scenario:
    """Load a generated campaign through ``shortlist load``'s own function, add an HR
    administrator, have the chair and the last member declare their conflicts (so both
    may read and score), and record the chair's decisions (see ``record_decisions``).
    Needs an app context; the schema must exist."""
    import time

    from shortlist import campaign_format as cf
    from shortlist.cli import load_file
    from shortlist.models import Role, User, Vacancy
    from shortlist.services import audit, panel as panel_service, users

    data = campaign_data(n, criteria, panel, reference=reference, open_sheets=open_sheets)
    text = to_yaml(data)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "campaign.yaml"
        path.write_text(text, encoding="utf-8")
        started = time.perf_counter()
        cf.parse(text)
        parse_seconds = time.perf_counter() - started
        with counting() as counted:
            started = time.perf_counter()
            ref = load_file(path)
            load_seconds = time.perf_counter() - started
    db.session.remove()
    vacancy = db.session.scalar(db.select(Vacancy).where(Vacancy.reference == ref))
    # HR of the campaign's organisation (issue 17: HR see their organisations' vacancies)
    users.upsert_user(HR, "Bench HR", Role.HR_ADMIN, None, audit.CLI, [vacancy.org])
    member = member_email(panel - 1)
    vacancy = db.session.scalar(db.select(Vacancy).where(Vacancy.reference == ref))
    for email in (CHAIR, member):
        user = db.session.scalar(db.select(User).where(User.email == email))
        # a conflict the campaign file declared is answered "yes" again, with its details
        answers = {a.token: ("yes", "Declared in the campaign file") if a.declared else ("no", "")
                   for a in panel_service.applicants_for_declaration(vacancy, user)}
        panel_service.declare_conflicts(vacancy, user, answers)
    record_decisions(vacancy.id, db.session.scalar(db.select(User.id).where(User.email == CHAIR)))
    people = {email: db.session.scalar(db.select(User).where(User.email == email)) for email in (CHAIR, HR, member)}
    user_ids = {email: user.id for email, user in people.items()}
    tokens = {email: _start_session(user) for email, user in people.items()}
    db.session.remove()
    last = data["panel"][-1]["email"]
    open_refs = [a["reference"] for a in data["applications"]
                 if last not in a["conflicts"] and last not in a["scores"].get("shortlisting", {})]
    gaps = {a["reference"] for a in data["applications"] if len(a["employment_history"]) == 2
            and a["employment_history"][0]["to"] == "2021-12"}
    return Scenario(reference=ref, n=n, criteria=criteria, panel=panel,
                    criteria_keys=[c["key"] for c in data["criteria"]], member=member,
                    open_references=open_refs, gap_references=gaps, load_seconds=load_seconds,
                    parse_seconds=parse_seconds, load_statements=counted.statements, user_ids=user_ids,
                    tokens=tokens)


def record_decisions(vacancy_id: int, chair_id: int) -> int:
    """The chair's shortlisting decision for every candidate the engine can decide now:
    the recommended decision with the suggested reason, as the decisions page pre-fills
    it (the undecided stay undecided). Campaign files hold no decisions, so they are
    written here, in one INSERT, as if the chair had confirmed each on the page."""
    from shortlist.models import Decision, Vacancy
    from shortlist.services import panel as panel_service
    from shortlist.services.recommendations import recommend_vacancy

    vacancy = db.session.get(Vacancy, vacancy_id)
    ids = dict(db.session.execute(db.select(Application.reference, Application.id)
                                  .where(Application.vacancy_id == vacancy_id)).all())
    rows = []
    for rec in recommend_vacancy(vacancy, "shortlisting"):
        outcome = panel_service.recommended_decision(rec)
        if outcome is not None:
            rows.append({"application_id": ids[rec.reference], "stage": "shortlisting", "outcome": outcome,
                         "recommendation": rec.outcome.value, "reason": panel_service.suggested_reason(rec),
                         "reasons": [{"code": r.code, "criterion": r.criterion, "message": r.message}
                                     for r in rec.reasons],
                         "override_reason": None, "decided_by_id": chair_id})
    if rows:
        db.session.execute(db.insert(Decision), rows)
    db.session.commit()
    return len(rows)


# --------------------------------------------------------------------------- pages and commands


def _start_session(user: Any) -> str | None:
    """A live sign-in session for the user, where the app keeps them in the database
    (``shortlist.services.sessions``): its token for the cookie. Written once, at set-up."""
    try:
        from shortlist.services import sessions
    except ImportError:
        return None
    token = sessions.start(user)
    db.session.commit()
    return token


def sign_in(client: FlaskClient, user_id: int, token: str | None = None) -> None:
    """Sign the client in as this user (the session cookie's keys, no password step)."""
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
        session["_fresh"] = True
        if token is not None:
            from shortlist.services import sessions

            session[sessions.SESSION_KEY] = token


@dataclass(frozen=True)
class Action:
    """A hot page or command: how it is used, and the bare SQL fetching the same rows."""

    key: str
    label: str
    run: Callable[[Flask, FlaskClient, Scenario], Any]
    bare: Callable[[Scenario], Any] | None


def _get(who: str, path: Callable[[Scenario], str]) -> Callable[[Flask, FlaskClient, Scenario], Any]:
    def run(app: Flask, client: FlaskClient, s: Scenario) -> Any:
        sign_in(client, *s.login(getattr(s, who)))
        response = client.get(path(s))
        assert response.status_code == 200, (path(s), response.status_code, response.get_data(as_text=True)[:500])
        return response
    return run


def submit_form(s: Scenario, reference: str) -> dict[str, str]:
    form = {f"score-{key}": "2" for key in s.criteria_keys}
    form.update({f"note-{key}": "" for key in s.criteria_keys})
    if reference in s.gap_references:
        form["gap-2022-01"] = "explore"
        form["gapnote-2022-01"] = "Ask what they did between jobs."
    form["submit"] = "Submit scores"
    return form


def _submit(app: Flask, client: FlaskClient, s: Scenario) -> Any:
    sign_in(client, *s.login(s.member))
    reference = s.next_open(with_gap=True)
    response = client.post(f"/vacancies/{s.reference}/scoring/{reference}", data=submit_form(s, reference))
    assert response.status_code == 302, (reference, response.status_code, response.get_data(as_text=True)[:2000])
    return response


@contextmanager
def counting_use_case(module: Any, name: str) -> Iterator[list[Counter]]:
    """Count the statements of each call of ``module.name`` (a service function) while
    active, inside whatever request makes it."""
    calls: list[Counter] = []
    real = getattr(module, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        with counting(keep=True) as c:
            try:
                return real(*args, **kwargs)
            finally:
                calls.append(c)

    setattr(module, name, counted)
    try:
        yield calls
    finally:
        setattr(module, name, real)


def _recommend(app: Flask, client: FlaskClient, s: Scenario) -> Any:
    with app.app_context():  # as `shortlist recommend` runs: its own app context and session
        result = app.test_cli_runner().invoke(args=["recommend", s.reference])
        db.session.remove()
    assert result.exit_code == 0, result.output
    return result


def _record_csv(app: Flask, client: FlaskClient, s: Scenario) -> Any:
    sign_in(client, *s.login(s.hr))
    response = client.get(f"/vacancies/{s.reference}/shortlisting-record.csv")
    assert response.status_code == 200, response.status_code
    return response


ACTIONS: list[Action] = [
    Action("moderation", "Moderation matrix (chair)",
           _get("chair", lambda s: f"/vacancies/{s.reference}/moderation"), bare.moderation),
    Action("moderate_one", "One candidate's moderation (chair)",
           _get("chair", lambda s: f"/vacancies/{s.reference}/moderation/{s.first_reference}"), bare.moderate_one),
    Action("decisions", "Decisions page (chair)",
           _get("chair", lambda s: f"/vacancies/{s.reference}/decisions"), bare.decisions),
    Action("scoring", "Scoring queue and progress (chair)",
           _get("chair", lambda s: f"/vacancies/{s.reference}/scoring"), bare.scoring_queue),
    Action("score", "Scoring page (member)",
           _get("member", lambda s: f"/vacancies/{s.reference}/scoring/{s.open_references[-1]}"), bare.score_page),
    Action("submit", "Submit one candidate's scores (member)", _submit, bare.submit),
    Action("candidates", "Candidates with recommendations (HR)",
           _get("hr", lambda s: f"/vacancies/{s.reference}/candidates"), bare.candidates),
    Action("recommend", "shortlist recommend REF", _recommend, bare.recommend),
]

RECORD_CSV = Action("record_csv", "Shortlisting record CSV (HR)", _record_csv, bare.record_csv)


def actions_for(app: Flask) -> list[Action]:
    """The hot paths this app has: the shortlisting record CSV once its view exists."""
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    return ACTIONS + ([RECORD_CSV] if "packs.record_csv" in endpoints else [])
