"""Large campaigns with a sift pool (issue 19): ``.venv/bin/python -m bench.sift [--postgres]``.

A generated campaign of N applications x C criteria (default 20,000 x 12) with a sift pool
of S sifters (default 40) on the panel, loaded through ``shortlist load``'s own function;
then, each timed:

- allocating every application to two sifters (``sift.allocate``, the seed audited);
- every allocated sifter's scores submitted (written in bulk, as the bench's other
  campaigns hold them: not timed), but for the last 5% of applications;
- one sifter leaving the panel: reallocating what they had not scored (``remove_member``,
  the whole use case in one transaction);
- each paged page through the Flask test client as a signed-in user, with the SQL
  statements sent and the median of ``--repeat`` runs, beside the bare SQL fetching the
  rows it shows (Core selects on one connection: the page's application ids, then those
  applications' details, spells, conflicts, submitted scores, agreed scores and reviews);
- ``shortlist recommend REF`` for every application against the bare fetch of its rows;
- the same pages at N = 10 for the statement counts.

Prints the tables that bench/README.md holds and writes them to bench/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from bench import generate, harness
from bench.run import RESULTS, _database_url, _ensure_postgres_database, _fresh_schema

SIFTER = "bench.sifter{}@example.org"


def campaign(n: int, criteria: int, sifters: int, reference: str) -> dict[str, Any]:
    """The generator's campaign with no panel work in it, a panel of the chair and S sifters,
    and the sifters as the vacancy's sift pool."""
    data = generate.campaign_data(n, criteria, 2, reference=reference, open_sheets=0)
    for application in data["applications"]:
        for key in ("scores", "agreed", "conflicts", "gap_marks", "notes"):
            application.pop(key, None)
    data["panel"] = data["panel"][:1] + [
        {"email": SIFTER.format(i), "name": f"Bench Sifter {i}", "role": "member", "safer_recruitment_trained_on": None}
        for i in range(1, sifters + 1)]
    data["vacancy"]["sift_pool"] = {"members": [{"email": SIFTER.format(i)} for i in range(1, sifters + 1)]}
    return data


def _timed(fn: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    out = fn()
    return time.perf_counter() - started, out


def prepare(n: int, criteria: int, sifters: int, reference: str) -> dict[str, Any]:
    """Load, allocate, score, and one sifter leaves: what each took."""
    from shortlist.cli import load_file
    from shortlist.extensions import db
    from shortlist.models import Application, AuditEvent, Role, Score, ScoreSheet, SiftAssignment, User, Vacancy
    from shortlist.models.base import utcnow
    from shortlist.services import audit, panel_changes, sift, users

    text = generate.to_yaml(campaign(n, criteria, sifters, reference))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "campaign.yaml"
        path.write_text(text, encoding="utf-8")
        load_s, _ = _timed(lambda: load_file(path))
    db.session.remove()
    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == reference))
    users.upsert_user(generate.HR, "Bench HR", Role.HR_ADMIN, None, audit.CLI, [vacancy.org])
    hr = db.session.scalar(select(User).where(User.email == generate.HR))
    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == reference))
    allocate_s, outcome = _timed(lambda: sift.allocate(vacancy, hr))
    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == reference))
    # the sifters' scores, in bulk, for all but the last 5% of applications
    criteria_ids = [c.id for c in vacancy.criteria]
    pairs = db.session.execute(
        select(SiftAssignment.application_id, SiftAssignment.user_id, Application.reference)
        .join(Application, Application.id == SiftAssignment.application_id)
        .where(SiftAssignment.vacancy_id == vacancy.id).order_by(Application.reference)).all()
    cut = generate.reference_of(int(n * 0.95))
    now = utcnow()
    scored = [(a, u) for a, u, ref in pairs if ref < cut]
    for start in range(0, len(scored), 5000):
        chunk = scored[start:start + 5000]
        db.session.execute(insert(ScoreSheet), [
            {"application_id": a, "user_id": u, "stage": "shortlisting", "submitted_at": now, "updated_at": now}
            for a, u in chunk])
        sheet_ids = dict(((a, u), i) for i, a, u in db.session.execute(
            select(ScoreSheet.id, ScoreSheet.application_id, ScoreSheet.user_id)
            .where(ScoreSheet.application_id.in_({a for a, _u in chunk}))))
        db.session.execute(insert(Score), [
            {"sheet_id": sheet_ids[a, u], "criterion_id": cid, "value": 1 + (a * 7 + u * 3 + k) % 3, "note": ""}
            for a, u in chunk for k, cid in enumerate(criteria_ids)])
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        from shortlist.services.campaigns import refresh_statistics

        refresh_statistics()
    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == reference))
    # the first sifter declares (no conflicts) and reads their queue; the one leaving has
    # scored (the first application's other sifter): their scores stay and count
    from shortlist.services import panel as panel_service

    first = db.session.scalar(select(User).where(User.email == SIFTER.format(1)))
    panel_service.declare_conflicts(vacancy, first, {a.token: ("no", "") for a in
                                                     panel_service.applicants_for_declaration(vacancy, first)})
    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == reference))
    first_app = min(pairs, key=lambda p: p[2])[0]
    leaving = next(u for a, u, _ref in pairs if a == first_app and u != first.id)
    leaver = next(m for m in vacancy.panel if m.user_id == leaving)
    realloc: list[float] = []
    inner = sift.reallocate

    def timed_reallocate(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            realloc.append(time.perf_counter() - started)

    sift.reallocate = timed_reallocate  # type: ignore[assignment]
    try:
        leave_s, _ = _timed(lambda: panel_changes.remove_member(vacancy, hr, leaver, "Left the organisation"))
    finally:
        sift.reallocate = inner  # type: ignore[assignment]
    # the first sifter declares about what came to them from the leaver
    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == reference))
    first = db.session.scalar(select(User).where(User.email == SIFTER.format(1)))
    panel_service.declare_conflicts(vacancy, first, {a.token: ("no", "") for a in
                                                     panel_service.applicants_for_declaration(vacancy, first)})
    moved = db.session.scalar(select(AuditEvent.data).where(AuditEvent.action == "sift.allocated")
                              .order_by(AuditEvent.seq.desc()).limit(1))
    return {"n": n, "load_s": load_s, "allocate_s": allocate_s, "leave_s": leave_s,
            "reallocate_s": sum(realloc), "moved": moved.get("added") if moved else None, "seed": outcome.seed,
            "assignments": 2 * n, "scored_sheets": len(scored)}


# --------------------------------------------------------------------------- pages and their bare SQL


def _bare_page(reference: str, size: int = 50, q: str = "", where: Any = None) -> None:
    """The rows a paged list shows: the page's ids, then everything the engine reads about them."""
    from shortlist.extensions import db
    from shortlist.models import (
        AdjustmentReview,
        AgreedScore,
        ApplicantDetails,
        Application,
        ConflictDeclaration,
        EmploymentSpell,
        Score,
        ScoreSheet,
        Vacancy,
    )

    with db.engine.connect() as conn:
        vacancy_id = conn.execute(select(Vacancy.id).where(Vacancy.reference == reference)).scalar_one()
        query = select(Application.id).where(Application.vacancy_id == vacancy_id)
        if q:
            query = query.where(func.upper(Application.reference).like(q.upper() + "%"))
        if where is not None:
            query = query.where(where)
        conn.execute(select(func.count()).select_from(query.subquery())).scalar()
        ids = list(conn.execute(query.order_by(Application.reference).limit(size)).scalars())
        conn.execute(select(Application.id, Application.reference, Application.gap_explanations,
                            ApplicantDetails.disability_declared, ApplicantDetails.offer_interview_opt_in,
                            ApplicantDetails.unmet_due_to_disability)
                     .join(ApplicantDetails, ApplicantDetails.application_id == Application.id)
                     .where(Application.id.in_(ids))).all()
        conn.execute(select(EmploymentSpell.application_id, EmploymentSpell.start, EmploymentSpell.end)
                     .where(EmploymentSpell.application_id.in_(ids))).all()
        conn.execute(select(ConflictDeclaration.application_id, ConflictDeclaration.user_id)
                     .where(ConflictDeclaration.application_id.in_(ids), ConflictDeclaration.conflict.is_(True))).all()
        conn.execute(select(ScoreSheet.application_id, ScoreSheet.user_id, Score.criterion_id, Score.value)
                     .join(Score, Score.sheet_id == ScoreSheet.id)
                     .where(ScoreSheet.application_id.in_(ids), ScoreSheet.submitted_at.is_not(None))).all()
        conn.execute(select(AgreedScore.application_id, AgreedScore.criterion_id, AgreedScore.value)
                     .where(AgreedScore.application_id.in_(ids))).all()
        conn.execute(select(AdjustmentReview.application_id, AdjustmentReview.outcome)
                     .where(AdjustmentReview.application_id.in_(ids))).all()


def _bare_queue(reference: str, email: str) -> None:
    from shortlist.extensions import db
    from shortlist.models import Application, ScoreSheet, SiftAssignment, User, Vacancy

    with db.engine.connect() as conn:
        vacancy_id = conn.execute(select(Vacancy.id).where(Vacancy.reference == reference)).scalar_one()
        user_id = conn.execute(select(User.id).where(User.email == email)).scalar_one()
        mine = select(SiftAssignment.application_id).where(SiftAssignment.vacancy_id == vacancy_id,
                                                           SiftAssignment.user_id == user_id)
        conn.execute(select(func.count()).select_from(Application).where(Application.id.in_(mine))).scalar()
        conn.execute(select(Application.reference, ScoreSheet.submitted_at).select_from(Application)
                     .outerjoin(ScoreSheet, (ScoreSheet.application_id == Application.id)
                                & (ScoreSheet.user_id == user_id))
                     .where(Application.id.in_(mine)).order_by(Application.reference).limit(50)).all()


def _bare_audit() -> None:
    from shortlist.extensions import db
    from shortlist.models import AuditEvent

    with db.engine.connect() as conn:
        conn.execute(select(func.count()).select_from(AuditEvent)).scalar()
        conn.execute(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(51)).all()


def _bare_all(reference: str) -> None:
    """Every application's rows (the bare fetch ``recommend`` is compared with)."""
    _bare_page(reference, size=10**9)


def pages(reference: str, sifter: str) -> list[tuple[str, str, str, Any]]:
    """(key, label, who, path or command), with its bare SQL."""
    r = reference
    return [
        ("candidates", "Candidates, page 1 (HR)", "hr", f"/vacancies/{r}/candidates", lambda: _bare_page(r)),
        ("candidates_last", "Candidates, last page (HR)", "hr", f"/vacancies/{r}/candidates?page=400",
         lambda: _bare_page(r)),
        ("candidates_search", "Candidates, search by reference (HR)", "hr", f"/vacancies/{r}/candidates?q=A0000",
         lambda: _bare_page(r, q="A0000")),
        ("moderation", "Moderation matrix, page 1 (chair)", "chair", f"/vacancies/{r}/moderation",
         lambda: _bare_page(r)),
        ("queue", "Scoring queue, page 1 (sifter)", "sifter", f"/vacancies/{r}/scoring", lambda: _bare_queue(r, sifter)),
        ("audit", "Audit log, newest page (HR)", "hr", "/audit/", _bare_audit),
        ("moderation_needs", "Moderation matrix, needs an agreed score (chair; every candidate)", "chair",
         f"/vacancies/{r}/moderation?show=needs", lambda: _bare_all(r)),
        ("decisions", "Decisions page (chair; finalise checks over every candidate)", "chair",
         f"/vacancies/{r}/decisions", lambda: _bare_all(r)),
        ("wide_csv", "Wide record CSV, streamed (HR)", "hr", f"/vacancies/{r}/shortlisting-record-wide.csv",
         lambda: _bare_all(r)),
        ("recommend", "shortlist recommend REF", "cli", f"recommend {r}", lambda: _bare_all(r)),
    ]


def measure(app: Any, reference: str, sifter: str, repeat: int, big: bool,
            only: set[str] | None = None) -> list[dict[str, Any]]:
    from shortlist.extensions import db
    from shortlist.models import User
    from shortlist.services import sessions

    rows = []
    with app.app_context():
        people = {who: db.session.scalar(select(User).where(User.email == email)) for who, email in
                  (("hr", generate.HR), ("chair", generate.CHAIR), ("sifter", sifter))}
        tokens = {who: sessions.start(user) for who, user in people.items()}
        ids = {who: user.id for who, user in people.items()}
        engine = db.engine
        db.session.commit()
        db.session.remove()
    client = app.test_client()
    runner = app.test_cli_runner()
    for key, label, who, path, bare in pages(reference, sifter):
        if only is not None and key not in only:
            continue
        def run(who: str = who, path: str = path) -> int:
            with app.app_context():
                if who == "cli":
                    result = runner.invoke(args=path.split())
                    assert result.exit_code == 0, result.output[-500:]
                    return len(result.output)
                harness.sign_in(client, ids[who], tokens[who])
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
                return len(response.get_data())

        def bare_run(bare: Any = bare) -> None:
            with app.app_context():
                bare()

        run()  # warm: the session's last-seen write, caches
        with harness.counting(engine) as counted:
            size = run()
        times, bares, ratios = [], [], []
        for _ in range(repeat):
            page_s, _ = _timed(run)
            bare_s, _ = _timed(bare_run)
            times.append(page_s)
            bares.append(bare_s)
            ratios.append(page_s / bare_s if bare_s else 0)
        rows.append({"key": key, "label": label, "statements": counted.statements,
                     "ms": 1000 * statistics.median(times), "bare_ms": 1000 * statistics.median(bares),
                     "ratio": statistics.median(ratios), "kb": size / 1024})
        print(f"  {label}: {rows[-1]['statements']} statements, {rows[-1]['ms']:.1f} ms, "
              f"bare {rows[-1]['bare_ms']:.1f} ms, x{rows[-1]['ratio']:.2f}", file=sys.stderr)
    return rows


_MEMORY_SCRIPT = """
import os, sys
from shortlist import create_app
app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "SECRET_KEY": "bench-only-not-a-secret", "TESTING": True})
from shortlist.runtime import tune_gc
tune_gc()
with app.app_context():
    from sqlalchemy import select
    from shortlist.extensions import db
    from shortlist.models import User
    from shortlist.services import sessions
    user = db.session.scalar(select(User).where(User.email == sys.argv[3]))
    token = sessions.start(user); uid = user.id; db.session.commit(); db.session.remove()
def hwm():  # this process's own peak resident memory, KB (ru_maxrss keeps the forking parent's across exec)
    return int(next(line for line in open("/proc/self/status") if line.startswith("VmHWM")).split()[1])
before = hwm()
client = app.test_client()
with client.session_transaction() as s:
    s["_user_id"] = str(uid); s["_fresh"] = True; s[sessions.SESSION_KEY] = token
response = client.get(sys.argv[2])
assert response.status_code == 200, response.status_code
size = len(response.get_data())
print(before, hwm(), size)
"""


def peak_memory(url: str, path: str, email: str) -> dict[str, float]:
    """A fresh process (as a worker is) serving one page: its peak resident memory before and after, MB."""
    import subprocess

    out = subprocess.run([sys.executable, "-c", _MEMORY_SCRIPT, url, path, email], capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)})
    before, after, size = (int(x) for x in out.stdout.split()[-3:])
    return {"path": path, "before_mb": before / 1024, "peak_mb": after / 1024, "kb": size / 1024}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.sift", description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--database-url")
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--criteria", type=int, default=12)
    parser.add_argument("--sifters", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reuse", action="store_true",
                        help="keep the database's campaigns from an earlier run (with --database-url); their "
                             "preparation figures come from that run's bench/results/sift-prepared-*.json")
    parser.add_argument("--only", help="measure only these pages (keys, comma-separated: moderation,queue,...)")
    parser.add_argument("--no-memory", action="store_true", help="skip the peak-memory measures")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="shortlist-bench-sift-") as tmp_dir:
        tmp = Path(tmp_dir)
        os.environ.setdefault("SHORTLIST_INSTANCE_PATH", str(tmp / "instance"))
        url = _database_url(args, tmp)
        if url.startswith("postgresql"):
            _ensure_postgres_database(url)
        from shortlist import create_app
        from shortlist.runtime import tune_gc

        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-only-not-a-secret",
                          "TESTING": True, "WTF_CSRF_ENABLED": False})
        prepared = RESULTS / f"sift-prepared-{url.rsplit('/', 1)[-1].replace('.', '_')}-{args.n}.json"
        if not args.reuse:
            _fresh_schema(app)
        tune_gc()
        results: dict[str, Any] = {"n": args.n, "criteria": args.criteria, "sifters": args.sifters}
        with app.app_context():
            from shortlist.extensions import db

            results["database"] = f"{db.engine.dialect.name} {db.engine.dialect.server_version_info or ''}".strip()
            if args.reuse:
                small, big = json.loads(prepared.read_text()) if prepared.exists() else ({}, {})
            else:
                small = prepare(10, args.criteria, args.sifters, "SIFT-10")
                print(f"N=10 prepared: {small}", file=sys.stderr)
                big = prepare(args.n, args.criteria, args.sifters, f"SIFT-{args.n}")
                print(f"N={args.n} prepared: {big}", file=sys.stderr)
                RESULTS.mkdir(parents=True, exist_ok=True)
                prepared.write_text(json.dumps([small, big]))
        results["prepare"] = {"10": small, str(args.n): big}
        sifter = SIFTER.format(1)
        only = set(args.only.split(",")) if args.only else None
        results["pages"] = {"10": measure(app, "SIFT-10", sifter, args.repeat, False, only),
                            str(args.n): measure(app, f"SIFT-{args.n}", sifter, args.repeat, True, only)}
        results["memory"] = [] if args.no_memory else [peak_memory(url, p, generate.CHAIR) for p in (
            f"/vacancies/SIFT-{args.n}/decisions", f"/vacancies/SIFT-{args.n}/moderation?show=needs")]
        results["load_average"] = os.getloadavg()
        print(report(results))
        RESULTS.mkdir(parents=True, exist_ok=True)
        out = RESULTS / f"sift-{results['database'].split()[0]}-{time.strftime('%Y%m%d-%H%M%S')}.json"
        out.write_text(json.dumps(results, indent=2))
        print(f"\nWrote {out}", file=sys.stderr)
    return 0


def report(results: dict[str, Any]) -> str:
    n = str(results["n"])
    small = {r["key"]: r for r in results["pages"]["10"]}
    big = results["pages"][n]
    p = results["prepare"][n]
    lines = [f"**{results['database']}**, N = {n} x {results['criteria']} criteria, a pool of "
             f"{results['sifters']} sifters, two an application; load average at the end "
             f"{', '.join(f'{x:.1f}' for x in results.get('load_average', ()))} on {os.cpu_count()} CPUs", "",
             f"| page or command | SQL at N=10 | SQL at N={n} | ms | bare SQL ms | page ÷ bare | KB |",
             "|---|---|---|---|---|---|---|"]
    for r in big:
        lines.append(f"| {r['label']} | {small[r['key']]['statements']} | {r['statements']} | {r['ms']:,.1f} | "
                     f"{r['bare_ms']:,.1f} | {r['ratio']:.2f} | {r['kb']:,.0f} |")
    if p:
        lines += ["", f"- loading the campaign file (parse, check, write): {p['load_s']:.1f} s",
                  f"- allocating {n} applications to two of {results['sifters']} sifters: {p['allocate_s']:.2f} s",
                  f"- one sifter leaving the panel, the whole use case in one transaction: {p['leave_s']:.2f} s, "
                  f"of which reallocating their unscored applications ({p['moved']} moved) {p['reallocate_s']:.2f} s"]
    for m in results.get("memory", []):
        lines.append(f"- peak memory of a fresh worker process serving {m['path']} ({m['kb']:,.0f} KB): "
                     f"{m['peak_mb']:.0f} MB ({m['before_mb']:.0f} MB before the request)")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
