"""Reading a campaign file builds its data in one pass over the YAML and looks a field's
line up only when a problem names it (issue 19: loading 20,000 applications). What the
user sees is unchanged: the same data, every problem with its path and line."""

from __future__ import annotations

from datetime import date

import pytest

from shortlist import campaign_format as cf
from tests.factories import CHAIR, campaign_dict, to_yaml


def _problems(text: str) -> list[cf.Problem]:
    with pytest.raises(cf.CampaignError) as refused:
        cf.parse(text)
    return refused.value.problems


def _line_of(text: str, needle: str, after: int = 0) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if i > after and needle in line)


def test_a_problem_deep_in_an_application_names_its_line():
    data = campaign_dict()
    second = {**data["applications"][0], "reference": "A002",
              "employment_history": [{"from": "2019-13", "to": None, "employer": "A Trust", "role": "Therapist"}]}
    data["applications"].append(second)
    text = to_yaml(data)
    [problem] = [p for p in _problems(text) if "employment_history" in p.path]
    assert problem.path == "applications[1].employment_history[0].from"
    assert problem.line == _line_of(text, "from: 2019-13", after=_line_of(text, "reference: A002"))


def test_a_duplicate_key_inside_an_application_names_its_path_and_line():
    text = to_yaml(campaign_dict()).replace("- reference: A001\n", "- reference: A001\n  reference: A009\n", 1)
    [problem] = _problems(text)
    assert (problem.path, problem.message) == ("applications[0].reference", "duplicate key")
    assert problem.line == _line_of(text, "reference: A009")


def test_numbers_dates_and_booleans_are_read_as_yaml_reads_them():
    data = campaign_dict()
    text = to_yaml(data)
    parsed = cf.parse(text)
    assert parsed.vacancy.closing_date == data["vacancy"]["closing_date"]
    assert isinstance(parsed.vacancy.closing_date, date)
    assert parsed.applications[0].scores["shortlisting"][CHAIR] == data["applications"][0]["scores"]["shortlisting"][CHAIR]
    assert parsed.vacancy.safeguarding_role is data["vacancy"]["safeguarding_role"]


def test_a_merge_key_is_still_read_by_the_safe_loader():
    """A ``<<`` merge (no anchor needed for an inline mapping) is the safe constructor's."""
    text = to_yaml(campaign_dict()).replace("  title: Family Therapist\n",
                                             "  <<: {title: Family Therapist}\n", 1)
    assert cf.parse(text).vacancy.title == "Family Therapist"


def test_a_problem_outside_the_document_names_no_line():
    lines = cf._Lines(None)
    assert lines.get(("vacancy", "title")) is None
