"""Each proposed criterion carries a confidence and the reasons for doubt; a document read
with low confidence says so first (issue 20, "Confidence")."""

from __future__ import annotations

import json

from click.testing import CliRunner

from shortlist.cli import import_spec_command
from shortlist.specimport import import_spec, import_text

from . import builders

TABLE = (
    "# Person specification\n"
    "|! Area | Criteria | E/D | How assessed |\n"
    "| Experience | Experience of child protection work | E | AF/I |\n"
    "| Knowledge | Knowledge of the Children Act 1989 | D | I |\n"
)


def test_a_clean_table_is_read_with_full_confidence():
    proposal = import_spec(builders.docx_from_markup(TABLE), "spec.docx")
    assert [(c.confidence, c.doubts) for c in proposal.criteria] == [(1.0, ()), (1.0, ())]
    assert not proposal.low_confidence
    assert proposal.criteria[0].source == "Experience | Experience of child protection work | E | AF/I"


def test_items_run_together_are_split_and_doubted_with_the_join_shown():
    proposal = import_text(
        "SKILLS\n"
        "Evidence of an ability to work flexibly Highly effective interpersonal skills Proven team "
        "working skills (E) AF/I\n"
    )
    first, second, third = proposal.criteria
    assert [c.text for c in proposal.criteria] == [
        "Evidence of an ability to work flexibly", "Highly effective interpersonal skills",
        "Proven team working skills",
    ]
    assert all((c.essential, c.methods) == (True, ("AF", "I")) for c in proposal.criteria)
    assert not first.doubts
    for criterion, join in ((second, "flexibly Highly effective"), (third, "skills Proven team")):
        assert criterion.doubtful and criterion.confidence < 0.75
        (doubt,) = [d for d in criterion.doubts if d.code == "split_run_together"]
        assert join in doubt.message


def test_a_join_too_short_to_split_is_doubted_not_split():
    proposal = import_text("SKILLS\nKnowledge of safeguarding procedures Good judgement (E) AF/I\n")
    (criterion,) = proposal.criteria
    assert criterion.text == "Knowledge of safeguarding procedures Good judgement"
    (doubt,) = [d for d in criterion.doubts if d.code == "run_together"]
    assert "procedures Good judgement" in doubt.message


def test_policy_defaults_are_doubts_but_not_a_reading_failure():
    proposal = import_text("EXPERIENCE\nExperience of casework\nExperience of court work\n")
    codes = {d.code for c in proposal.criteria for d in c.doubts}
    assert codes == {"methods_inferred", "essential_assumed"}
    assert not proposal.low_confidence
    assert not proposal.warnings[0].startswith("This document was read with low confidence")


def test_a_document_read_with_low_confidence_says_so_first():
    text = (
        "EXPERIENCE\n"
        "Experience of casework Ability to drive Knowledge of the law (E) AF\n"
        "Experience of court work (E) AF\n"
    )
    proposal = import_text(text)
    assert len(proposal.criteria) == 4  # the first line held three, run together
    assert proposal.low_confidence
    assert proposal.warnings[0].startswith("This document was read with low confidence: 2 of the 4")


def test_the_json_and_the_command_carry_confidence_doubts_and_source(tmp_path):
    path = tmp_path / "spec.txt"
    path.write_text("EXPERIENCE\nExperience of casework\n", encoding="utf-8")
    result = CliRunner().invoke(import_spec_command, [str(path), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    (criterion,) = out["criteria"]
    assert criterion["confidence"] == 0.7 and criterion["source"] == "Experience of casework"
    assert [d["code"] for d in criterion["doubts"]] == ["essential_assumed", "methods_inferred"]
    assert out["low_confidence"] is False
    table = CliRunner().invoke(import_spec_command, [str(path)])
    assert "check: The document does not mark it Essential or Desirable" in table.output
