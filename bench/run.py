"""Run the benchmark: ``.venv/bin/python -m bench [--postgres] [--sizes 10,200,2000]``.

One database holds every campaign at once (as a council's would): the campaigns for
all sizes are loaded first, then each hot page and command is measured at each size.
For each it prints the SQL statements sent, the median wall time, the median time of
the bare SQL fetching the same rows (``bench/bare.py``), and their ratio.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_shortlist"
RESULTS = Path(__file__).resolve().parent / "results"


@dataclass
class Row:
    database: str
    action: str
    label: str
    n: int
    statements: int
    commits: int
    ms: float
    bare_ms: float | None
    kb: float | None
    gather_ms: float = 0.0
    rules_ms: float = 0.0
    render_ms: float = 0.0
    ratio: float | None = None  # page ÷ bare SQL: the median of the side-by-side pairs
    use_case_statements: int | None = None  # submit: the statements of the service's own transaction


def _database_url(args: argparse.Namespace, tmp: Path) -> str:
    url = args.database_url or os.environ.get("BENCH_DATABASE_URL")
    if args.postgres and not url:
        url = POSTGRES_URL
    if not url:
        return f"sqlite:///{tmp / 'bench.db'}"
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def _ensure_postgres_database(url: str) -> None:
    """Create the benchmark's own database when it does not exist yet."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                  {"n": target.database}).scalar()
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    finally:
        admin.dispose()


def _fresh_schema(app: Any) -> None:
    from flask_migrate import upgrade
    from sqlalchemy import text

    from shortlist.extensions import db

    with app.app_context():
        engine = db.engine
        with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
            else:
                db.drop_all()
                conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
        upgrade(directory=app.extensions["migrate"].directory)
        logging.getLogger("alembic").setLevel(logging.WARNING)


def _seconds(fn: Any) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def measure(app: Any, scenarios: dict[int, Any], repeat: int, echo: Any = print) -> list[Row]:
    """Each page or command, then its bare SQL, in turn, ``repeat`` times: a page and its
    bare fetch run side by side, so a busy machine slows both alike. The ratio is the
    median of the pairs' ratios."""
    from bench import harness
    from shortlist.extensions import db

    with app.app_context():
        engine = db.engine
        database = engine.dialect.name
    client = app.test_client()
    rows: list[Row] = []
    for n, s in scenarios.items():
        rows.append(Row(database, "load", "shortlist load FILE (parse, check, write)", n, s.load_statements, 1,
                        s.load_seconds * 1000, None, None))
        for action in harness.actions_for(app):
            with harness.counting(engine) as counted:  # the first run also warms the caches
                result = action.run(app, client, s)
            kb = len(result.get_data()) / 1024 if hasattr(result, "get_data") else len(result.output) / 1024
            page: list[float] = []
            bare: list[float] = []
            fewest = counted
            for _ in range(repeat):
                # counted every time: the sign-in session's last-seen time is written at most
                # once a minute, so one run in a while sends one statement more
                with harness.counting(engine) as again:
                    page.append(_seconds(lambda: action.run(app, client, s)))  # noqa: B023
                fewest = min(fewest, again, key=lambda c: c.statements)
                if action.bare is not None:
                    with app.app_context():  # the bare fetch needs one; the pages make their own
                        if not bare:
                            action.bare(s)  # warm
                        bare.append(_seconds(lambda: action.bare(s)))  # noqa: B023
            with harness.phases() as spent:  # one more run, to see where its time goes
                action.run(app, client, s)
            use_case = None
            if action.key == "submit":  # and one to count the use case's own transaction
                from shortlist.services import panel

                with harness.counting_use_case(panel, "save_sheet") as calls:
                    action.run(app, client, s)
                use_case = calls[0].statements
            row = Row(database, action.key, action.label, n, fewest.statements, fewest.commits,
                      statistics.median(page) * 1000, statistics.median(bare) * 1000 if bare else None, kb,
                      spent["gather"] * 1000, spent["rules"] * 1000, spent["render"] * 1000,
                      statistics.median(p / b for p, b in zip(page, bare, strict=True)) if bare else None,
                      use_case)
            rows.append(row)
            echo(f"  {database} N={n:<5} {action.key:<13} {row.statements:>3} statements "
                 f"{row.ms:9.1f} ms  bare {row.bare_ms or 0:8.1f} ms  x{row.ratio or 0:5.2f}", file=sys.stderr)
    return rows


def table(rows: list[Row]) -> str:
    sizes = sorted({r.n for r in rows})
    head = ["page or command"] + [f"N={n}: SQL / ms / bare ms / x" for n in sizes]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    by: dict[str, dict[int, Row]] = {}
    labels: dict[str, str] = {}
    for r in rows:
        by.setdefault(r.action, {})[r.n] = r
        labels[r.action] = r.label
    for action, per_n in by.items():
        cells = [labels[action]]
        for n in sizes:
            r = per_n.get(n)
            if r is None:
                cells.append("")
            elif r.bare_ms is None:
                cells.append(f"{r.statements} / {r.ms:,.0f} / – / –")
            else:
                cells.append(f"{r.statements} / {r.ms:,.1f} / {r.bare_ms:,.1f} / {r.ratio:.2f}")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def breakdown(rows: list[Row], n: int) -> str:
    """Where each page's time goes at one size (from a separate run, so the parts need
    not add up to the median exactly)."""
    lines = [f"| at N={n} | page ms | bare SQL ms | gather: SQL + records ms | rules engine ms "
             "| templates ms | response KB |", "|---|---|---|---|---|---|---|"]
    for r in rows:
        if r.n != n or r.bare_ms is None:
            continue
        lines.append(f"| {r.label} | {r.ms:,.0f} | {r.bare_ms:,.0f} | {r.gather_ms:,.0f} | {r.rules_ms:,.0f} "
                     f"| {r.render_ms:,.0f} | {r.kb:,.0f} |")
    return "\n".join(lines)



def targets(rows: list[Row]) -> str:
    """Issue 9's targets, each with the measurement that says whether it is met."""
    out = []
    by: dict[str, dict[int, Row]] = {}
    for r in rows:
        by.setdefault(r.action, {})[r.n] = r
    sizes = sorted({r.n for r in rows})
    top = sizes[-1]
    growing = {a: {n: r.statements for n, r in per.items()} for a, per in by.items()
               if a != "load" and len(set(r.statements for r in per.values())) > 1}
    out.append("- SQL statements independent of N: " + (
        f"met (same count at N = {', '.join(map(str, sizes))} for every page and command)" if not growing
        else f"NOT met: {growing}"))
    submit = by.get("submit", {}).get(top)
    if submit is not None and submit.use_case_statements is not None:
        out.append(f"- Submitting one candidate's scores: {submit.use_case_statements} statements in the service's "
                   f"transaction ({submit.statements} in the whole request, {submit.commits} commit): "
                   + ("met" if submit.use_case_statements <= 8 and submit.commits == 1 else "NOT met"))
    for action in ("moderation", "decisions", "candidates", "scoring", "score", "moderate_one", "submit",
                   "record_csv"):
        r = by.get(action, {}).get(top)
        if r is not None and r.ratio is not None:
            out.append(f"- {r.label} within 2x of its bare SQL at N={top}: x{r.ratio:.2f}, "
                       + ("met" if r.ratio <= 2 else f"not met ({r.ms:,.0f} ms against {r.bare_ms:,.0f} ms)"))
    r = by.get("recommend", {}).get(top)
    if r is not None and r.ratio is not None:
        out.append(f"- `recommend` for {top} applications within 2x of loading the rows: x{r.ratio:.2f} of the bare "
                   f"SQL, x{r.ms / r.gather_ms if r.gather_ms else 0:.2f} of the app's own reading of them (gather), "
                   + ("met" if r.ratio <= 2 else "not met"))
    load = by.get("load", {}).get(top)
    if load is not None:
        verdict = ("met" if load.ms < 30_000 else "NOT met") if load.database == "sqlite" else "(the target is SQLite's)"
        out.append(f"- Loading a {top}-application campaign file: {load.ms / 1000:.1f} s {verdict}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", action="store_true",
                        help=f"run on PostgreSQL ({POSTGRES_URL}, created when missing); "
                             "or set BENCH_DATABASE_URL")
    parser.add_argument("--database-url", help="any SQLAlchemy URL (its data is replaced)")
    parser.add_argument("--sizes", default="10,200,2000", help="applications per campaign (default 10,200,2000)")
    parser.add_argument("--criteria", type=int, default=25)
    parser.add_argument("--panel", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per measurement (the median is shown)")
    parser.add_argument("--json", type=Path,
                        help="where to write the rows as JSON (default bench/results/hotpaths-<database>-<time>.json)")
    parser.add_argument("--default-gc", action="store_true",
                        help="keep Python's garbage-collector thresholds (wsgi.py tunes them: shortlist/runtime.py)")
    args = parser.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",") if x.strip()]

    with tempfile.TemporaryDirectory(prefix="shortlist-bench-") as tmp_dir:
        tmp = Path(tmp_dir)
        os.environ.setdefault("SHORTLIST_INSTANCE_PATH", str(tmp / "instance"))
        url = _database_url(args, tmp)
        if url.startswith("postgresql"):
            _ensure_postgres_database(url)

        from bench import harness
        from shortlist import create_app

        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-only-not-a-secret",
                          "TESTING": True, "WTF_CSRF_ENABLED": False})
        _fresh_schema(app)
        if not args.default_gc:
            from shortlist.runtime import tune_gc

            tune_gc()  # as wsgi.py does in production
        scenarios = {}
        with app.app_context():
            for n in sizes:
                started = time.perf_counter()
                # more open sheets than the submits measured: each submit takes a new one
                scenarios[n] = harness.prepare(n, args.criteria, args.panel, open_sheets=3 * (args.repeat + 2) + 7)
                print(f"loaded N={n} in {time.perf_counter() - started:.1f} s "
                      f"(load_file {scenarios[n].load_seconds:.1f} s)", file=sys.stderr)
        rows = measure(app, scenarios, args.repeat)
        with app.app_context():
            from shortlist.extensions import db

            database = f"{db.engine.dialect.name} {db.engine.dialect.server_version_info or ''}".strip()
        gc_note = "default GC" if args.default_gc else "GC tuned as in wsgi.py"
        print(f"\n{database}, C={args.criteria}, P={args.panel}, median of {args.repeat} runs (pages and bare SQL "
              f"side by side), {gc_note}; "
              f"Python {platform.python_version()}, {os.cpu_count()} CPUs\n")
        print("Each cell: SQL statements / page ms / bare SQL ms / page ÷ bare.\n")
        print(table(rows))
        print()
        print(breakdown(rows, max(sizes)))
        print()
        print(targets(rows))
        out = args.json or (RESULTS / f"hotpaths-{rows[0].database}-{time.strftime('%Y%m%d-%H%M%S')}.json")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps({"database": database, "criteria": args.criteria, "panel": args.panel,
                                   "repeat": args.repeat, "gc": gc_note, "rows": [asdict(r) for r in rows]},
                                  indent=2))
        print(f"\nWrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
