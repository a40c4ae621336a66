"""`shortlist load` + `shortlist recommend --json`: the path unseen campaigns are judged by,
on the 0-3, 1-5 and Civil Service 1-7 scales."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.factories import to_yaml

A, B, C = "a@example.org", "b@example.org", "c@example.org"

SCALES = {
    "0-3": {"min": 0, "max": 3, "met": 2, "divergence_gap": 2,
            "descriptors": {0: "No evidence", 1: "Limited", 2: "Meets", 3: "Exceeds"}},
    "1-5": {"min": 1, "max": 5, "met": 3, "divergence_gap": 2,
            "descriptors": {1: "No evidence", 2: "Weak", 3: "Moderate", 4: "Strong", 5: "Outstanding"}},
    "1-7": {"min": 1, "max": 7, "met": 4, "divergence_gap": 3,
            "descriptors": {1: "Not demonstrated", 2: "Minimal", 3: "Moderate", 4: "Acceptable", 5: "Good",
                            6: "Strong", 7: "Outstanding"}},
}


def points(scale: dict[str, Any]) -> dict[str, int]:
    """Named points on a scale: below met, at met, top, bottom."""
    return {"low": scale["met"] - 1, "met": scale["met"], "top": scale["max"], "bottom": scale["min"]}


def campaign(scale_name: str, applications: list[dict[str, Any]], **dc: bool) -> dict[str, Any]:
    scale = SCALES[scale_name]
    return {
        "vacancy": {
            "reference": f"SC-{scale_name}", "title": "Contact Centre Adviser", "organisation": "Example Council",
            "closing_date": "2026-12-20", "status": "shortlisting", "scale": scale,
            "disability_confident": {"offer_interview": True, "waiver_policy": False, **dc},
        },
        "criteria": [
            {"key": "E1", "category": "Experience", "text": "Experience of customer service.", "essential": True, "methods": ["AF", "I"]},
            {"key": "E2", "category": "Skills", "text": "Accurate record keeping.", "essential": True, "methods": ["AF"]},
            {"key": "DL", "category": "Requirements", "text": "Full driving licence.", "essential": True, "methods": ["AF"]},
            {"key": "REG", "category": "Qualifications", "text": "Current professional registration.", "essential": True,
             "methods": ["AF", "Q"], "non_waivable": True},
            {"key": "COMM", "category": "Communication", "text": "Communicates clearly.", "essential": True, "methods": ["I"]},
            {"key": "D1", "category": "Experience", "text": "Experience of a CRM system.", "essential": False, "methods": ["AF"]},
        ],
        "panel": [{"email": A, "name": "A", "role": "chair"}, {"email": B, "name": "B", "role": "member"},
                  {"email": C, "name": "C", "role": "member"}],
        "applications": applications,
    }


def app(ref: str, a: dict[str, int], b: dict[str, int] | None = None, **extra: Any) -> dict[str, Any]:
    scores = {A: a}
    if b is not None:
        scores[B] = b
    return {"reference": ref, "name": f"Applicant {ref}", "scores": {"shortlisting": scores}, **extra}


def all_met(p: dict[str, int], **changes: int) -> dict[str, int]:
    sheet = {"E1": p["met"], "E2": p["top"], "DL": p["met"], "REG": p["met"], "D1": p["bottom"]}
    sheet.update(changes)
    return sheet


def run(runner, tmp_path: Path, data: dict[str, Any]) -> dict[str, dict[str, Any]]:  # noqa: ANN001
    path = tmp_path / "c.yaml"
    path.write_text(to_yaml(data))
    loaded = runner.invoke(args=["load", str(path)])
    assert loaded.exit_code == 0, loaded.output
    result = runner.invoke(args=["recommend", data["vacancy"]["reference"], "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["vacancy"] == data["vacancy"]["reference"] and out["stage"] == "shortlisting"
    return {c["reference"]: c for c in out["candidates"]}


def codes(candidate: dict[str, Any]) -> set[tuple[str, str | None]]:
    return {(r["code"], r["criterion"]) for r in candidate["reasons"]}


@pytest.mark.parametrize("scale_name", list(SCALES))
def test_scenarios_through_the_cli(runner, tmp_path, scale_name):
    p = points(SCALES[scale_name])
    scheme = {"disability_declared": True, "offer_interview_opt_in": True}
    apps = [
        # 1. scheme, meets every E+S criterion, desirable at the bottom -> guaranteed
        app("GIS-MEETS", all_met(p), all_met(p), **scheme),
        # 2. scheme, misses E2 -> does not meet, naming E2
        app("GIS-MISSES", all_met(p, E2=p["low"]), all_met(p, E2=p["low"]), **scheme),
        # 5. declared, not opted in (scheme needs opt-in here) -> meets essentials only
        app("DECLARED", all_met(p), all_met(p), disability_declared=True),
        # 8. waiver claim with the policy off -> HR review, never rejected
        app("WAIVER-OFF", all_met(p, DL=p["low"]), all_met(p, DL=p["low"]), unmet_due_to_disability=["DL"], **scheme),
        # 9. claim against a non-waivable registration -> stays not met
        app("NON-WAIVABLE", all_met(p, REG=p["low"]), all_met(p, REG=p["low"]), unmet_due_to_disability=["REG"], **scheme),
        # 18. a single scorer -> incomplete, insufficient scorers
        app("ONE-SCORER", all_met(p)),
        # 20. divergence on both sides of met -> moderation required
        app("DIVERGE", all_met(p, E1=p["bottom"]), all_met(p, E1=p["top"])),
        # 20. the same divergence with an agreed score -> decided by the agreed score
        app("AGREED", all_met(p, E1=p["bottom"]), all_met(p, E1=p["top"]),
            agreed={"shortlisting": {"E1": {"score": p["met"], "rationale": "Evidence of two years on a helpdesk."}}}),
        # 21. a conflicted member's scores do not count: only A and C score
        {"reference": "CONFLICT", "name": "X", "conflicts": [B],
         "scores": {"shortlisting": {A: all_met(p), C: all_met(p)}}},
        # desirable never gates
        app("DESIRABLE-LOW", all_met(p, D1=p["bottom"]), all_met(p, D1=p["bottom"])),
        # 19. employment gap -> a probe, never a score
        app("GAP", all_met(p), all_met(p), employment_history=[
            {"from": "2015-01", "to": "2019-03", "employer": "Council", "role": "Adviser"},
            {"from": "2019-11", "to": None, "employer": "Trust", "role": "Adviser"}]),
    ]
    out = run(runner, tmp_path, campaign(scale_name, apps))
    assert out["GIS-MEETS"]["outcome"] == "guaranteed_interview"
    assert out["GIS-MISSES"]["outcome"] == "does_not_meet"
    assert ("essential_not_met", "E2") in codes(out["GIS-MISSES"])
    assert out["DECLARED"]["outcome"] == "meets_essentials"
    assert out["WAIVER-OFF"]["outcome"] == "hr_review"
    assert ("adjustment_review", "DL") in codes(out["WAIVER-OFF"])
    assert out["NON-WAIVABLE"]["outcome"] == "does_not_meet"
    assert {("essential_not_met", "REG"), ("waiver_not_allowed", "REG")} <= codes(out["NON-WAIVABLE"])
    assert out["ONE-SCORER"]["outcome"] == "incomplete"
    assert ("insufficient_scorers", "E1") in codes(out["ONE-SCORER"])
    assert out["DIVERGE"]["outcome"] == "incomplete"
    assert ("moderation_required", "E1") in codes(out["DIVERGE"])
    assert out["AGREED"]["outcome"] == "meets_essentials"
    assert out["CONFLICT"]["outcome"] == "meets_essentials"
    assert out["DESIRABLE-LOW"]["outcome"] == "meets_essentials"
    assert out["GAP"]["outcome"] == "meets_essentials"
    assert [p_["code"] for p_ in out["GAP"]["probes"]] == ["employment_gap"]
    assert "2019-03" in out["GAP"]["probes"][0]["message"] or "2019-04" in out["GAP"]["probes"][0]["message"]
    for candidate in out.values():  # every reason is machine-readable
        for reason in candidate["reasons"] + candidate["probes"]:
            assert set(reason) >= {"code", "criterion", "message"} and reason["message"]


@pytest.mark.parametrize("scale_name", list(SCALES))
def test_waiver_policy_on_guarantees_and_declaration_can_trigger_the_scheme(runner, tmp_path, scale_name):
    p = points(SCALES[scale_name])
    apps = [
        app("WAIVER-ON", all_met(p, DL=p["low"]), all_met(p, DL=p["low"]), disability_declared=True,
            unmet_due_to_disability=["DL"]),
        app("DECLARED", all_met(p), all_met(p), disability_declared=True),
    ]
    out = run(runner, tmp_path, campaign(scale_name, apps, waiver_policy=True, declaration_triggers_scheme=True))
    assert out["WAIVER-ON"]["outcome"] == "guaranteed_interview"
    assert ("waiver_applied", "DL") in codes(out["WAIVER-ON"])
    assert out["DECLARED"]["outcome"] == "guaranteed_interview"


def test_table_output_and_unknown_reference(runner, tmp_path):
    p = points(SCALES["0-3"])
    run(runner, tmp_path, campaign("0-3", [app("X1", all_met(p, E2=0), all_met(p, E2=0))]))
    table = runner.invoke(args=["recommend", "SC-0-3"])
    assert table.exit_code == 0
    assert "X1" in table.output and "Does not meet" in table.output and "[E2]" in table.output
    assert "a named person confirms every decision" in table.output
    missing = runner.invoke(args=["recommend", "NOPE"])
    assert missing.exit_code == 2
