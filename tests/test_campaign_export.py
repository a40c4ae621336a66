"""`shortlist export` writes the campaign format back; loading an export gives the same campaign."""

from __future__ import annotations

import yaml

from shortlist import campaign_format as cf
from tests.factories import campaign_dict, load


def test_export_then_load_gives_the_same_campaign(runner, tmp_path):
    load(campaign_dict())
    first = runner.invoke(args=["export", "TST-01"])
    assert first.exit_code == 0, first.output
    exported = yaml.safe_load(first.output)
    assert cf.parse(first.output)  # an export is a valid campaign file
    path = tmp_path / "export.yaml"
    path.write_text(first.output)
    assert runner.invoke(args=["load", "--replace", str(path)]).exit_code == 0
    second = runner.invoke(args=["export", "TST-01"])
    assert yaml.safe_load(second.output) == exported
    # parsed specs are equal too: nothing is lost or defaulted differently
    assert cf.parse(first.output) == cf.parse(second.output)


def test_export_holds_what_was_loaded(runner):
    data = campaign_dict()
    load(data)
    exported = yaml.safe_load(runner.invoke(args=["export", "TST-01"]).output)
    # the file named its organisation by name (as files did before codes); the export names it by code
    assert exported["vacancy"]["organisation"] == "EC"
    data["vacancy"]["organisation"] = "EC"
    assert cf.parse(cf.dump(exported)) == cf.parse(cf.dump(data))


def test_export_without_sealed_data(runner):
    load(campaign_dict())
    out = runner.invoke(args=["export", "--no-sealed", "TST-01"]).output
    assert "equality_monitoring" not in out and "criminal_record_declaration" not in out
    assert "Applicant One" in out


def test_export_of_unknown_reference_exits_2(runner):
    result = runner.invoke(args=["export", "NOPE"])
    assert result.exit_code == 2
    assert "No vacancy with reference 'NOPE'" in result.output
