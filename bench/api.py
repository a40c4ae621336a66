"""Applications through the API against `shortlist load` (issue 18):
``.venv/bin/python -m bench.api [--postgres] [--n 2000] [--batch 200]``.

The same applications (bench/generate.py's, without the panel's work: an integration sends
applications, the panel scores in Shortlist) go in twice per round, into two vacancies of one
database: once as a campaign file through `shortlist load`'s own function (parse, the engine's
vacancy checks, write), once through the API as an integration would send them (the vacancy by
PUT, then the applications in batches by POST, each call authenticated, rate-counted, validated
by the campaign reader and audited), through the Flask test client. The ratio (API time over load
time) is taken in each round and the median reported, so a busy machine slows both alike.
Target: under 2x.
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

from bench import generate
from bench.run import RESULTS, _database_url, _ensure_postgres_database, _fresh_schema

PANEL_WORK = ("scores", "notes", "agreed", "conflicts", "gap_marks")


def campaign(n: int, criteria: int, reference: str) -> dict[str, Any]:
    data = generate.campaign_data(n, criteria, 3, reference=reference)
    data["vacancy"]["status"] = "open"
    data["vacancy"].pop("applications_closed", None)
    for application in data["applications"]:
        for key in PANEL_WORK:
            application.pop(key, None)
    return data


def by_load(data: dict[str, Any]) -> float:
    from shortlist import campaign_format as cf
    from shortlist.services import audit
    from shortlist.services.campaigns import load_campaign

    text = generate.to_yaml(data) if hasattr(generate, "to_yaml") else cf.dump(data)
    start = time.perf_counter()
    load_campaign(cf.parse(text), audit.CLI, filename="bench.yaml")
    return time.perf_counter() - start


def by_api(client: Any, token: str, data: dict[str, Any], batch: int) -> tuple[float, int]:
    body = json.loads(json.dumps(data, default=str))
    applications = body.pop("applications")
    for i, item in enumerate(applications):
        item["external_id"] = f"ATS-{i:06d}"
    headers = {"Authorization": f"Bearer {token}"}
    reference = body["vacancy"]["reference"]
    start = time.perf_counter()
    answer = client.put(f"/api/v1/vacancies/{reference}", json=body, headers=headers)
    assert answer.status_code == 201, answer.get_json()
    calls = 1
    for first in range(0, len(applications), batch):
        answer = client.post(f"/api/v1/vacancies/{reference}/applications",
                             json={"applications": applications[first:first + batch]}, headers=headers)
        assert answer.status_code == 200, answer.get_json()
        calls += 1
    return time.perf_counter() - start, calls


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.api", description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--database-url")
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--criteria", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="shortlist-bench-api-") as tmp_dir:
        tmp = Path(tmp_dir)
        os.environ.setdefault("SHORTLIST_INSTANCE_PATH", str(tmp / "instance"))
        url = _database_url(args, tmp)
        if url.startswith("postgresql"):
            _ensure_postgres_database(url)
        from shortlist import create_app
        from shortlist.runtime import tune_gc

        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-only-not-a-secret",
                          "TESTING": True, "API_RATE_LIMIT": 1_000_000})
        _fresh_schema(app)
        tune_gc()
        rounds = []
        with app.app_context():
            from shortlist.extensions import db
            from shortlist.models import Role
            from shortlist.services import api_tokens, audit, organisations, users
            from shortlist.services.transactions import transaction

            database = f"{db.engine.dialect.name} {db.engine.dialect.server_version_info or ''}".strip()
            data = campaign(args.n, args.criteria, "X")
            with transaction():  # the campaign's organisation, its HR making the token
                employer = organisations.for_campaign(data["vacancy"]["organisation"], audit.CLI)
            hr = users.upsert_user(generate.HR, "Bench HR", Role.HR_ADMIN, None, audit.CLI, [employer])
            _row, token = api_tokens.create(hr, "Bench ATS", employer, ["vacancies:write", "applications:write"])
            client = app.test_client()
            for r in range(args.rounds):
                data["vacancy"]["reference"] = f"LOAD-{r}"
                loaded = by_load(data)
                db.session.remove()
                data["vacancy"]["reference"] = f"API-{r}"
                through_api, calls = by_api(client, token, data, args.batch)
                db.session.remove()
                rounds.append({"load_s": round(loaded, 3), "api_s": round(through_api, 3), "calls": calls,
                               "ratio": round(through_api / loaded, 2)})
                print(f"round {r + 1}: load {loaded:.2f} s, API {through_api:.2f} s in {calls} calls, "
                      f"ratio {through_api / loaded:.2f}", file=sys.stderr)
        ratio = statistics.median(r["ratio"] for r in rounds)
        results = {"database": database, "n": args.n, "batch": args.batch, "criteria": args.criteria,
                   "rounds": rounds, "median_ratio": ratio, "target": 2.0, "met": ratio < 2.0,
                   "load_average": os.getloadavg()}
        print(f"{args.n} applications x {args.criteria} criteria on {database}: API in batches of {args.batch} "
              f"over shortlist load, median of {args.rounds} rounds: {ratio:.2f}x "
              f"({'met' if ratio < 2 else 'not met'}: target under 2x)")
        RESULTS.mkdir(parents=True, exist_ok=True)
        out = RESULTS / f"api-{database.split()[0]}-{time.strftime('%Y%m%d-%H%M%S')}.json"
        out.write_text(json.dumps(results, indent=2))
        print(f"Wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
