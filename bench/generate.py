"""Synthetic campaigns of N applications x C criteria x P panel members, as campaign files.

The benchmark (``python -m bench``) and the query-count tests build their data with
this module, as YAML that goes through the real campaign parser and loader. Every
campaign is deterministic for its arguments: the same sizes give the same file.

What a generated campaign holds:

- C criteria, all scored at shortlisting (application form and interview), the first
  60% essential; the default 0-3 scale (met at 2, moderation at a spread of 2).
- P panel members: the chair (who is also the recruiting manager and is trained in
  safer recruitment) and P - 1 members.
- N applications, each with evidence for every criterion, two or three jobs (every
  seventh, and every one still open to score, with a gap of more than three months),
  sealed
  equality and criminal-record answers, a declared disability on every tenth
  (opted in to the "offer an interview" scheme on every twentieth).
- Submitted scores from every panel member for every application, except that the
  last member has not yet scored the last ``open_sheets`` applications (so there is
  something left to score) and every fiftieth application (A00002, A00052...) has a declared conflict with
  that member (who does not score it). Scores agree mostly; where they diverge the
  chair has recorded an agreed score on every other such criterion.
"""

from __future__ import annotations

import random
from datetime import date
from typing import Any

import yaml

CATEGORIES = ("Qualifications", "Experience", "Knowledge", "Skills and abilities", "Values")
CHAIR = "bench.chair@example.org"
HR = "bench.hr@example.org"


def member_email(index: int) -> str:
    """The panel's e-mails: 0 is the chair, then bench.member1@..., bench.member2@..."""
    return CHAIR if index == 0 else f"bench.member{index}@example.org"


def reference_of(index: int) -> str:
    return f"A{index + 1:05d}"


def campaign_data(n: int, criteria: int = 25, panel: int = 3, *, reference: str | None = None,
                  open_sheets: int | None = None, seed: int = 9) -> dict[str, Any]:
    """The campaign as the dict a campaign file holds (see docs/campaign-format.md).

    ``open_sheets``: how many of the last applications the last member has still to
    score (default: one in fifty, at least one)."""
    if n < 1 or criteria < 1 or panel < 2:
        raise ValueError("a campaign needs at least 1 application, 1 criterion and 2 panel members")
    ref = reference or f"BENCH-{n}-{criteria}-{panel}"
    open_count = min(n, max(1, n // 50) if open_sheets is None else open_sheets)
    keys = [f"C{i + 1:02d}" for i in range(criteria)]
    essential_count = max(1, round(criteria * 0.6))
    crit = [
        {"key": key, "category": CATEGORIES[i * len(CATEGORIES) // criteria],
         "text": f"Criterion {key}: evidence of {_topic(i)} in a social care or council setting.",
         "essential": i < essential_count, "methods": ["AF", "I"], "shortlisting": True}
        for i, key in enumerate(keys)
    ]
    members = [member_email(i) for i in range(panel)]
    last = members[-1]
    data: dict[str, Any] = {
        "vacancy": {
            "reference": ref,
            "title": "Care Worker",
            "organisation": "Example Borough Council",
            "department": "Adult Social Care",
            "grade": "SCP 5-8",
            "posts": 20,
            "closing_date": date(2026, 11, 30),
            "status": "shortlisting",
            "recruiting_manager": CHAIR,
            "dbs": {"level": "enhanced", "barred_lists": ["adults"], "regulated_activity": True},
            "safeguarding_role": True,
            "disability_confident": {"offer_interview": True, "waiver_policy": False},
        },
        "criteria": crit,
        "panel": [
            {"email": email, "name": "Bench Chair" if i == 0 else f"Bench Member {i}",
             "role": "chair" if i == 0 else "member",
             "safer_recruitment_trained_on": date(2025, 6, 1) if i == 0 else None}
            for i, email in enumerate(members)
        ],
        "questions": {keys[0]: ["Tell us about a time you kept someone safe."]},
        "applications": [],
    }
    for a in range(n):
        # each application's scores depend on its position only: A00001 is the same at any N
        rng = random.Random(f"{seed}-{a}-{criteria}-{panel}")
        conflicted = a % 50 == 1
        still_open = a >= n - open_count
        scorers = [m for m in members if not (m == last and (conflicted or still_open))]
        base = rng.choice((1, 2, 2, 2, 3))
        scores: dict[str, dict[str, int]] = {m: {} for m in scorers}
        agreed: dict[str, dict[str, Any]] = {}
        for j, key in enumerate(keys):
            values = []
            for i, m in enumerate(scorers):
                v = min(3, max(0, base + rng.choice((0, 0, 0, 0, 1, -1))))
                if a == 0 and j == 0:  # A00001's first criterion always needs (and has) an agreed score
                    v = 1 if i == 0 else 3
                scores[m][key] = v
                values.append(v)
            if values and (max(values) - min(values) >= 2 or min(values) < 2 <= max(values)) and j % 2 == 0:
                agreed[key] = {"score": round(sum(values) / len(values)),
                               "rationale": "Agreed at the moderation meeting."}
        application: dict[str, Any] = {
            "reference": reference_of(a),
            "name": f"Applicant {a + 1}",
            "email": f"applicant{a + 1}@example.net",
            "phone": f"07700 9{a % 100000:05d}",
            "disability_declared": a % 10 == 3,
            "offer_interview_opt_in": a % 20 == 3,
            "adjustments": "Step-free access to the interview room." if a % 10 == 3 else "",
            "employment_history": _history(a, gap=still_open or a % 7 == 0),
            "gap_explanations": {"2022-01": "Caring for a relative."} if a % 14 == 0 and not still_open else {},
            "qualifications": ["NVQ Level 2 Health and Social Care"],
            "evidence": {key: f"In my role as a support worker I showed {_topic(j)} every day; "
                              f"for example, applicant {a + 1} on {key}." for j, key in enumerate(keys)},
            "conflicts": [last] if conflicted else [],
            "scores": {"shortlisting": scores} if scores else {},
            "agreed": {"shortlisting": agreed} if agreed else {},
            "equality_monitoring": {"age_band": ("25-34", "35-44", "45-54")[a % 3],
                                    "sex": ("Female", "Male")[a % 2]},
            "criminal_record_declaration": {"unspent_convictions": False, "details": ""},
        }
        data["applications"].append(application)
    return data


def _topic(i: int) -> str:
    topics = ("safeguarding adults", "person-centred care", "record keeping", "team working",
              "medication support", "communication with families", "moving and handling", "dignity",
              "infection control", "lone working")
    return topics[i % len(topics)]


def _history(a: int, gap: bool) -> list[dict[str, Any]]:
    if gap:  # from 2022-01 to 2022-09
        return [{"from": "2018-03", "to": "2021-12", "employer": "Example Care Ltd", "role": "Care Assistant"},
                {"from": "2022-10", "to": None, "employer": "Example Homecare", "role": "Support Worker"}]
    return [{"from": "2017-09", "to": "2020-02", "employer": "Example Care Ltd", "role": "Care Assistant"},
            {"from": "2020-03", "to": None, "employer": "Example Homecare", "role": "Support Worker"}]


def to_yaml(data: dict[str, Any]) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True, width=120)


def campaign_yaml(n: int, criteria: int = 25, panel: int = 3, **kwargs: Any) -> str:
    """The campaign file's text."""
    return to_yaml(campaign_data(n, criteria, panel, **kwargs))


def open_references(data: dict[str, Any]) -> list[str]:
    """Applications the last panel member can still score (no sheet, no conflict)."""
    last = data["panel"][-1]["email"]
    return [a["reference"] for a in data["applications"]
            if last not in a["conflicts"] and last not in a["scores"].get("shortlisting", {})]
