"""docs/reason-codes.md lists exactly the codes the engine defines."""

from __future__ import annotations

import re
from pathlib import Path

from shortlist.rules import CriterionStatus, Outcome, codes

DOC = Path(__file__).resolve().parents[2] / "docs" / "reason-codes.md"
ROW = re.compile(r"^\| `([a-z_]+)` \|", re.MULTILINE)


def test_doc_lists_every_code_exactly_once() -> None:
    listed = ROW.findall(DOC.read_text(encoding="utf-8"))
    values = {o.value for o in Outcome} | {s.value for s in CriterionStatus}
    code_rows = [c for c in listed if c not in values]
    # no_trained_panel_member is both a refusal and a finding: listed in both tables
    assert sorted(set(code_rows)) == sorted(codes.ALL_CODES)
    assert len(code_rows) == len(set(code_rows)) + 1
    assert set(listed) >= values


def test_code_constants_are_unique_and_complete() -> None:
    constants = {v for k, v in vars(codes).items() if k.isupper() and isinstance(v, str)}
    assert constants == set(codes.ALL_CODES)
    assert not codes.REASON_CODES & codes.REFUSAL_CODES
    assert codes.REFUSAL_CODES & codes.FINDING_CODES == {codes.NO_TRAINED_PANEL_MEMBER}
