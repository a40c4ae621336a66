"""`shortlist import-spec`: the proposal as JSON or a table, and a clear refusal for unreadable files."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from shortlist.cli import import_spec_command

SEEDS = Path(__file__).resolve().parent / "specimport" / "seeds"
GOLDEN = Path(__file__).resolve().parent / "specimport" / "golden"


def test_json_matches_the_golden_proposal():
    seed = next(SEEDS.glob("003_*.txt"))
    result = CliRunner().invoke(import_spec_command, [str(seed), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    golden = json.loads((GOLDEN / "lewisham.json").read_text())
    assert [c["text"] for c in out["criteria"]] == [c["text"] for c in golden["criteria"]]
    assert out["dbs"] == {"level": "enhanced", "barred_lists": []}
    assert out["disability_confident"] is True and out["waiver_policy"] is True


def test_table_and_refusal(tmp_path):
    seed = next(SEEDS.glob("000_*.txt"))
    table = CliRunner().invoke(import_spec_command, [str(seed)])
    assert table.exit_code == 0 and "30 criteria proposed" in table.output and "DBS: enhanced" in table.output
    junk = tmp_path / "spec.docx"
    junk.write_bytes(b"not a zip at all")
    refused = CliRunner().invoke(import_spec_command, [str(junk)])
    assert refused.exit_code == 2
    assert "spec.docx: The file is not a Word document (.docx) we can read" in refused.output
