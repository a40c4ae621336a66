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

    @property
    def ratio(self) -> float | None:
        return self.ms / self.bare_ms if self.bare_ms else None


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


def _time(fn: Any, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def measure(app: Any, scenarios: dict[int, Any], repeat: int, echo: Any = print) -> list[Row]:
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
            times = _time(lambda: action.run(app, client, s), repeat)  # noqa: B023
            bare_ms = None
            if action.bare is not None:
                with app.app_context():
                    action.bare(s)
                    bare_times = _time(lambda: action.bare(s), repeat)  # noqa: B023
                bare_ms = statistics.median(bare_times) * 1000
            with harness.phases() as spent:  # one more run, to see where its time goes
                action.run(app, client, s)
            row = Row(database, action.key, action.label, n, counted.statements, counted.commits,
                      statistics.median(times) * 1000, bare_ms, kb,
                      spent["gather"] * 1000, spent["rules"] * 1000, spent["render"] * 1000)
            rows.append(row)
            echo(f"  {database} N={n:<5} {action.key:<13} {row.statements:>3} statements "
                 f"{row.ms:9.1f} ms  bare {bare_ms or 0:8.1f} ms  x{row.ratio or 0:5.2f}", file=sys.stderr)
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
    parser.add_argument("--json", type=Path, help="also write the rows as JSON to this file")
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
        print(f"\n{database}, C={args.criteria}, P={args.panel}, median of {args.repeat} runs, {gc_note}; "
              f"Python {platform.python_version()}, {os.cpu_count()} CPUs\n")
        print("Each cell: SQL statements / page ms / bare SQL ms / page ÷ bare.\n")
        print(table(rows))
        print()
        print(breakdown(rows, max(sizes)))
        if args.json:
            args.json.write_text(json.dumps([asdict(r) | {"ratio": r.ratio} for r in rows], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
