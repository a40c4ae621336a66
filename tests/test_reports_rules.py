"""The report computations and charts, as pure functions: no app, no database."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from shortlist import charts
from shortlist.rules import reports as calc

ROOT = Path(__file__).resolve().parent.parent

# --------------------------------------------------------------------------- Disability Confident


def test_compliance_row_counts_and_lists_those_met_but_not_invited():
    row = calc.compliance_row("V1", "Therapist", True, [
        calc.SchemeApplicant("A1", met_minimum=True, decision="invite"),
        calc.SchemeApplicant("A3", met_minimum=True, decision="reject", reason="  Withdrew by email  ",
                             override_reason="withdrew"),
        calc.SchemeApplicant("A2", met_minimum=True, decision=None),
        calc.SchemeApplicant("A4", met_minimum=False, decision="reject", reason="Essential EX7 not met"),
        calc.SchemeApplicant("A5", met_minimum=False, decision="invite", reason="HR override"),
    ])
    assert (row.in_scheme, row.met_minimum, row.invited, row.met_invited) == (5, 3, 2, 1)
    assert [(n.reference, n.decision_label, n.reason, n.override_reason) for n in row.not_invited] == [
        ("A2", "No decision recorded yet", "", None),
        ("A3", "Not shortlisted", "Withdrew by email", "withdrew"),
    ]
    assert row.met_not_invited == 2 and not row.compliant


def test_compliance_total_adds_rows_and_keeps_every_listed_applicant():
    a = calc.compliance_row("V1", "One", True, [calc.SchemeApplicant("A1", True, "reserve", "Ranked lower")])
    b = calc.compliance_row("V2", "Two", False, [calc.SchemeApplicant("A9", True, "invite")])
    total = calc.compliance_total([a, b])
    assert (total.in_scheme, total.met_minimum, total.invited, total.met_invited) == (2, 2, 1, 1)
    assert [(n.vacancy, n.reference) for n in total.not_invited] == [("V1", "A1")]
    assert calc.compliance_total([b]).compliant


# --------------------------------------------------------------------------- adverse impact


def _people(spec: dict[str, list[tuple[int, set[str]]]], key: str = "sex") -> list[calc.Person]:
    """group -> [(how many, stages reached)]"""
    people = []
    for group, parts in spec.items():
        for count, stages in parts:
            answers = {key: group} if group else {}
            people += [calc.Person(answers, frozenset(stages)) for _ in range(count)]
    return people


def test_stage_counts_count_everyone_as_applied_and_unanswered_as_not_answered():
    people = _people({"Female": [(2, {"shortlisted"}), (1, set())], "": [(1, {"shortlisted", "interviewed"})]})
    counts = calc.stage_counts(people, ["sex", "ethnicity"])
    assert counts["sex"]["Female"] == {"applied": 3, "shortlisted": 2, "interviewed": 0, "appointed": 0}
    assert counts["sex"]["Not answered"]["interviewed"] == 1
    assert counts["ethnicity"] == {"Not answered": {"applied": 4, "shortlisted": 3, "interviewed": 1,
                                                    "appointed": 0}}


def test_four_fifths_ratio_is_flagged_below_point_eight():
    # women: 10 applied, 6 shortlisted (60%); men: 10 applied, 4 shortlisted (40%) -> 0.67
    counts = calc.stage_counts(_people({"Female": [(6, {"shortlisted"}), (4, set())],
                                        "Male": [(4, {"shortlisted"}), (6, set())]}), ["sex"])["sex"]
    table = calc.adverse_impact("sex", counts)
    step = table.steps[0]
    assert (step.stage, step.previous, step.highest_rate) == ("shortlisted", "applied", 0.6)
    rows = {g.group: g for g in step.groups}
    assert rows["Female"].rate == 0.6 and rows["Female"].ratio == 1.0 and rows["Female"].reference
    assert rows["Male"].rate == 0.4 and rows["Male"].ratio == pytest.approx(2 / 3) and rows["Male"].flagged
    assert not rows["Female"].flagged
    assert table.flags == 1


def test_exactly_four_fifths_is_not_flagged():
    counts = {"A": {"applied": 10, "shortlisted": 5}, "B": {"applied": 10, "shortlisted": 4}}
    rows = {g.group: g for g in calc.adverse_impact("sex", counts).steps[0].groups}
    assert rows["B"].ratio == pytest.approx(0.8)
    assert not rows["B"].flagged


def test_groups_smaller_than_five_are_suppressed_and_never_the_reference():
    counts = {
        "Large": {"applied": 20, "shortlisted": 5},
        "Small": {"applied": 4, "shortlisted": 4},  # 100%, but only 4 people
    }
    table = calc.adverse_impact("ethnicity", counts)
    assert dict(table.applied) == {"Large": 20, "Small": None}
    rows = {g.group: g for g in table.steps[0].groups}
    small = rows["Small"]
    assert small.suppressed and small.pool is None and small.selected is None and small.rate is None
    assert small.ratio is None and not small.flagged
    assert rows["Large"].ratio == 1.0  # compared with itself, not with the suppressed 100%
    # the later step's pool is 5 shortlisted "Large": shown; "Small" still suppressed
    later = {g.group: g for g in table.steps[1].groups}
    assert not later["Large"].suppressed and later["Small"].suppressed


def test_prefer_not_to_say_and_not_answered_are_shown_but_not_compared():
    counts = {
        "Female": {"applied": 10, "shortlisted": 2},
        "Male": {"applied": 10, "shortlisted": 3},
        "Prefer not to say": {"applied": 10, "shortlisted": 9},
        "Not answered": {"applied": 6, "shortlisted": 0},
    }
    rows = {g.group: g for g in calc.adverse_impact("sex", counts).steps[0].groups}
    assert rows["Male"].reference and rows["Male"].ratio == 1.0  # not "Prefer not to say" at 90%
    assert rows["Prefer not to say"].rate == 0.9 and rows["Prefer not to say"].ratio is None
    assert not rows["Not answered"].compared and not rows["Not answered"].flagged
    order = [g.group for g in calc.adverse_impact("sex", counts).steps[0].groups]
    assert order[-2:] == ["Not answered", "Prefer not to say"]


def test_nobody_selected_gives_no_ratios_and_no_flags():
    counts = {"A": {"applied": 8}, "B": {"applied": 9}}
    step = calc.adverse_impact("sex", counts).steps[0]
    assert step.highest_rate == 0.0
    assert all(g.rate == 0.0 and g.ratio is None and not g.flagged for g in step.groups)


def test_merge_counts_adds_live_and_snapshot_counts():
    merged = calc.merge_counts({"sex": {"Female": {"applied": 3, "shortlisted": 1}}},
                               {"sex": {"Female": {"applied": 4}, "Male": {"applied": 2}}})
    assert merged["sex"]["Female"] == {"applied": 7, "shortlisted": 1, "interviewed": 0, "appointed": 0}
    assert merged["sex"]["Male"]["applied"] == 2


# --------------------------------------------------------------------------- calibration


def _scores() -> list[calc.MemberScore]:
    return [
        calc.MemberScore("a@x", "1", "K1", 3), calc.MemberScore("a@x", "1", "K2", 2),
        calc.MemberScore("a@x", "2", "K1", 1),
        calc.MemberScore("b@x", "1", "K1", 2), calc.MemberScore("b@x", "1", "K2", 0),
        calc.MemberScore("b@x", "2", "K1", 1),
    ]


def test_score_distribution_counts_every_point_of_the_scale():
    dist = {d.criterion: d for d in calc.score_distribution(_scores(), ["K1", "K2", "K3"], range(0, 4))}
    assert dist["K1"].counts == ((0, 0), (1, 2), (2, 1), (3, 1))
    assert dist["K1"].total == 4 and dist["K1"].mean == pytest.approx(7 / 4)
    assert dist["K2"].counts == ((0, 1), (1, 0), (2, 1), (3, 0))
    assert dist["K3"].total == 0 and dist["K3"].mean is None


def test_member_distance_from_the_agreed_scores():
    agreed = {("1", "K1"): 2, ("1", "K2"): 1}  # nothing agreed for application 2
    by = {d.member: d for d in calc.member_distances(_scores(), agreed)}
    a, b = by["a@x"], by["b@x"]
    assert (a.scores, a.compared, a.exact) == (3, 2, 0)
    assert a.mean_distance == 1.0 and a.mean_difference == 1.0  # +1, +1: more generous
    assert (b.compared, b.exact) == (2, 1)
    assert b.mean_distance == 0.5 and b.mean_difference == -0.5  # 0, -1
    assert calc.member_distances([calc.MemberScore("c@x", "9", "K1", 2)], agreed)[0].mean_distance is None


def test_reports_module_is_pure():
    tree = ast.parse((ROOT / "shortlist" / "rules" / "reports.py").read_text())
    imported = {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    imported |= {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert not imported & {"flask", "sqlalchemy", "shortlist"}


# --------------------------------------------------------------------------- charts


def test_bar_chart_is_labelled_and_escapes_text():
    svg = charts.bar_chart("c1", "Title <b>", "Description & more", ["<script>", "B"],
                           [charts.Series("One", [2, None]), charts.Series("Two", [1, 4])], missing_label="suppressed")
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Title &lt;b&gt;</title>' in svg
    assert "Description &amp; more" in svg and "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.count("<rect") == 1 + 3 + 2  # background, three bars, two legend keys
    assert "suppressed" in svg
    assert "style=" not in svg  # the Content-Security-Policy forbids inline styles


def test_bar_lengths_are_proportional():
    svg = charts.bar_chart("c2", "t", "d", ["a", "b"], [charts.Series("s", [1, 2])], maximum=4)
    widths = [float(part.split('width="')[1].split('"')[0]) for part in svg.split("<rect")[2:]]
    assert widths[1] == pytest.approx(2 * widths[0])


def test_stacked_chart_splits_each_bar_by_share():
    svg = charts.stacked_chart("c3", "t", "d", ["K1"], [charts.Series("0", [1]), charts.Series("1", [3])])
    bars = [p for p in svg.split("<rect")[1:] if 'stroke="#ffffff"' in p]
    widths = [float(p.split('width="')[1].split('"')[0]) for p in bars]
    assert len(widths) == 2 and widths[1] == pytest.approx(3 * widths[0])
