"""Benchmark: what building an interview pack costs on top of WeasyPrint.

    .venv/bin/python -m bench.packs [--candidates 10 40] [--repeat 3]

For each size, a synthetic vacancy (8 criteria, 6 assessed at interview with questions; a
panel of three; every candidate invited, scored, decided and given a slot through the
services, one in five with an employment gap to probe) is set up in a throwaway SQLite
database. Then, alternately and ``--repeat`` times:

- pack: what the app does for a PDF: build the pack from the database (recommendations,
  decisions, slots, probes), render the template, lay it out with WeasyPrint with the
  page-progress listener on, and count the pages (`shortlist.services.packs.generate`
  without its audit row);
- bare: WeasyPrint alone rendering the very same final HTML (same static-file fetcher).

It also times what the pack adds on its own (building the model and HTML, the progress
listener, counting the pages): short steps, so a busy machine disturbs them little, giving
the ratio "by parts", (bare + added) / bare. It prints the times, the ratio pack/bare (the target: building adds at most 25%, a ratio
of 1.25 or less) and pages per second, and writes bench/results/packs-<time>.json. The
machine is shared, so each side's fastest run is compared (the least disturbed), the order
of the two alternates, and the median ratio is shown beside it.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any


CHAIR = "bench.chair@example.org"
MEMBER = "bench.member@example.org"
CRITERIA = [
    ("QU1", "Qualifications", "A professional qualification in the field, registered with the regulator.", True, ["AF", "Q"]),
    ("EX1", "Experience", "Experience of direct work with children and families with complex needs.", True, ["AF", "I"]),
    ("EX2", "Experience", "Experience of multi-agency working and of writing reports for other professionals.", True, ["AF", "I"]),
    ("KN1", "Knowledge", "Knowledge of safeguarding legislation and statutory guidance.", True, ["AF", "I"]),
    ("SK1", "Skills", "Able to build trusting relationships with young people who mistrust services.", True, ["AF", "I", "P"]),
    ("SK2", "Skills", "Communicates clearly in spoken English with families and colleagues.", True, ["I"]),
    ("VA1", "Values", "Committed to equality, diversity and anti-oppressive practice.", True, ["I"]),
    ("DE1", "Experience", "Experience of supervising students.", False, ["AF"]),
]
QUESTIONS = {
    "EX1": ["Tell us about a family you worked with whose needs were complex. What did you do, and what changed?"],
    "KN1": ["Safeguarding: a 13-year-old tells you something worrying and asks you not to tell anyone. What do you do?",
            "What is the role of the LADO, and when would you contact them?"],
    "SK1": ["How would you begin work with a young person who has turned down two workers already?"],
    "SK2": ["Explain your role to us as you would to a new foster carer."],
    "VA1": ["Tell us about a time when power or difference affected your work with a family."],
}


def campaign(n: int) -> dict[str, Any]:
    apps = []
    for i in range(1, n + 1):
        history = [{"from": "2015-01", "to": "2019-06", "employer": f"Trust {i}", "role": "Practitioner"},
                   {"from": "2019-07" if i % 5 else "2020-03", "to": None, "employer": f"Council {i}",
                    "role": "Senior practitioner"}]
        apps.append({
            "reference": f"A{i:03d}", "name": f"Candidate Number {i}", "email": f"candidate{i}@example.net",
            "adjustments": "A quiet room and questions in writing 15 minutes before." if i % 4 == 0 else "",
            "evidence": {key: f"My evidence for {key}: a specific example with its outcome." for key, *_ in CRITERIA
                         if "AF" in _[-1] or "Q" in _[-1]},
            "employment_history": history,
        })
    return {
        "vacancy": {"reference": f"BENCH-{n}", "title": "Family Support Practitioner", "organisation": "Bench Council",
                    "department": "Children's Services", "grade": "P05", "closing_date": date(2026, 11, 1),
                    "recruiting_manager": CHAIR,
                    "dbs": {"level": "enhanced", "barred_lists": ["children"], "regulated_activity": True},
                    "safeguarding_role": True, "disability_confident": {"offer_interview": True}},
        "criteria": [{"key": k, "category": c, "text": t, "essential": e, "methods": m} for k, c, t, e, m in CRITERIA],
        "panel": [{"email": CHAIR, "name": "Bench Chair", "role": "chair", "safer_recruitment_trained_on": date(2025, 1, 6)},
                  {"email": MEMBER, "name": "Bench Member", "role": "member"},
                  {"email": "bench.adviser@example.org", "name": "Bench Adviser", "role": "hr_adviser"}],
        "applications": apps,
        "questions": QUESTIONS,
    }


def set_up(n: int) -> None:
    """Load the campaign and take it to interviews through the services."""
    from sqlalchemy import select

    from shortlist import campaign_format as cf
    from shortlist.extensions import db
    from shortlist.models import User, Vacancy
    from shortlist.services import audit, interviews, panel
    from shortlist.services.campaigns import load_campaign

    load_campaign(cf.parse(cf.dump(campaign(n))), audit.CLI, filename="bench.yaml")

    def vacancy() -> Vacancy:
        db.session.expire_all()
        return db.session.scalar(select(Vacancy).where(Vacancy.reference == f"BENCH-{n}"))

    def user(email: str) -> User:
        return db.session.scalar(select(User).where(User.email == email))

    for email in (CHAIR, MEMBER):
        panel.declare_conflicts(vacancy(), user(email), {
            a.token: ("no", "") for a in panel.applicants_for_declaration(vacancy(), user(email))})
        for i in range(1, n + 1):
            v = vacancy()
            application = panel.application_by_reference(v, f"A{i:03d}")
            marks = {g.gap_start: ("explore", "") for g in panel.gaps_for(v, application) if g.gap_start}
            values = {k: ("1" if k == "DE1" else "2" if i % 3 else "3") for k, *_ in CRITERIA}
            panel.save_sheet(v, application, user(email), "shortlisting", values, {}, marks, submit=True)
    for rec in panel.recommend_vacancy(vacancy(), "shortlisting"):
        v = vacancy()
        panel.decide(v, panel.application_by_reference(v, rec.reference), user(CHAIR), "invite",
                     panel.suggested_reason(rec))
    panel.finalise_shortlist(vacancy(), user(CHAIR))
    start = datetime(2026, 11, 16, 9, 0)
    for i in range(1, n + 1):
        when = start + timedelta(days=(i - 1) // 6, minutes=75 * ((i - 1) % 6))
        v = vacancy()
        interviews.arrange(v, panel.application_by_reference(v, f"A{i:03d}"), user(CHAIR), when.date().isoformat(),
                           when.strftime("%H:%M"), "60", "Room 1, Bench Civic Centre")


def measure(n: int, repeat: int) -> dict[str, Any]:
    from sqlalchemy import select
    from weasyprint import HTML

    from shortlist.extensions import db
    from shortlist.models import Vacancy
    from shortlist.packs import render
    from shortlist.pdf import BASE_URL, fetcher
    from shortlist.services import packs as service

    spec = service.DocumentSpec("pack")
    packs_t: list[float] = []
    bare_t: list[float] = []
    build_t: list[float] = []
    state = {"pages": 0, "html": ""}

    def run_pack() -> None:
        db.session.expire_all()
        vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == f"BENCH-{n}"))
        started = time.perf_counter()
        model = service.build(vacancy, spec)
        html = service.html(model)
        built = time.perf_counter()
        _pdf, state["pages"] = render.to_pdf(html, lambda _n: None)
        packs_t.append(time.perf_counter() - started)
        build_t.append(built - started)
        state["html"] = html

    def run_bare() -> None:
        started = time.perf_counter()
        HTML(string=state["html"], base_url=BASE_URL, url_fetcher=fetcher()).write_pdf()
        bare_t.append(time.perf_counter() - started)

    run_pack()  # warm up (imports, fonts, the first HTML) and make the HTML the bare runs render
    packs_t.clear()
    build_t.clear()
    for i in range(repeat):  # alternate the order, so neither side always runs second
        for step in ((run_pack, run_bare) if i % 2 == 0 else (run_bare, run_pack)):
            gc.collect()
            step()
    # What the pack adds to WeasyPrint, timed by itself (short, so little disturbed by a busy
    # machine): building the model and the HTML, the progress listener, counting the pages.
    from io import BytesIO

    from pypdf import PdfReader

    pdf = HTML(string=state["html"], base_url=BASE_URL, url_fetcher=fetcher()).write_pdf()
    extra_t = []
    for _ in range(repeat):
        db.session.expire_all()
        vacancy = db.session.scalar(select(Vacancy).where(Vacancy.reference == f"BENCH-{n}"))
        started = time.perf_counter()
        service.html(service.build(vacancy, spec))
        with render._pages_laid_out(lambda _n: None):
            for page in range(1, state["pages"] + 1):
                render._progress_logger.info(render._LAYOUT, page)
        len(PdfReader(BytesIO(pdf)).pages)
        extra_t.append(time.perf_counter() - started)
    # CPU-bound work on a shared machine: the fastest run is the least disturbed one
    pack, bare = min(packs_t), min(bare_t)
    extra = min(extra_t)
    pages, html = state["pages"], state["html"]
    return {"candidates": n, "pages": pages, "html_bytes": len(html), "repeat": repeat,
            "pack_seconds": round(pack, 3), "bare_weasyprint_seconds": round(bare, 3),
            "build_seconds": round(min(build_t), 3), "ratio": round(pack / bare, 3),
            "added_seconds": round(extra, 4), "ratio_by_parts": round((bare + extra) / bare, 4),
            "median_ratio": round(statistics.median(packs_t) / statistics.median(bare_t), 3),
            "pages_per_second": round(pages / pack, 2), "bare_pages_per_second": round(pages / bare, 2),
            "all_pack_seconds": [round(t, 3) for t in packs_t], "all_bare_seconds": [round(t, 3) for t in bare_t],
            "load_average": os.getloadavg()[0]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--candidates", type=int, nargs="+", default=[10, 40])
    parser.add_argument("--repeat", type=int, default=4)
    args = parser.parse_args(argv)

    results = []
    for n in args.candidates:
        with tempfile.TemporaryDirectory() as tmp:
            os.environ["SHORTLIST_INSTANCE_PATH"] = tmp
            from flask_migrate import upgrade

            from shortlist import create_app

            app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'bench.db'}", "SECRET_KEY": "bench"})
            with app.app_context():
                upgrade(directory=app.extensions["migrate"].directory)
                began = time.perf_counter()
                set_up(n)
                print(f"{n} candidates: set up through the services in {time.perf_counter() - began:.1f} s",
                      file=sys.stderr)
                results.append(measure(n, args.repeat))
                from shortlist.extensions import db

                db.session.remove()
                db.engine.dispose()

    print("ratio = pack / bare WeasyPrint (best runs; the median ratio beside it), target <= 1.25;")
    print("added = what the pack adds (model, HTML, progress, page count) timed alone; by parts = (bare + added) / bare")
    print(f"{'candidates':>10} {'pages':>6} {'pack s':>8} {'bare s':>8} {'added s':>8} {'ratio':>6} "
          f"{'median':>7} {'by parts':>9} {'pages/s':>8} {'target':>7}")
    for r in results:
        print(f"{r['candidates']:>10} {r['pages']:>6} {r['pack_seconds']:>8.2f} {r['bare_weasyprint_seconds']:>8.2f} "
              f"{r['added_seconds']:>8.3f} {r['ratio']:>6.2f} {r['median_ratio']:>7.2f} {r['ratio_by_parts']:>9.3f} "
              f"{r['pages_per_second']:>8.1f} {'met' if max(r['ratio'], r['ratio_by_parts']) <= 1.25 else 'MISSED':>7}")
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    path = out / f"packs-{datetime.now():%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps({"benchmark": "packs", "results": results}, indent=2))
    print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
