"""The composed person specifications in corpus/: each one, read as the Word file,
PDF or text file it is, gives exactly the proposal written for it by hand.

The documents are in the styles UK public-sector employers publish (NHS Jobs and
Trac tables, KSF-style sections, school and council specifications, children's
trusts, Welsh-bilingual headings), with the prose, page furniture and statements
that surround real ones. ``python -m tests.specimport.accuracy`` prints the same
comparison as a table of precision, recall and field accuracy."""

from __future__ import annotations

import pytest

from shortlist.specimport import Proposal

from . import accuracy

DOCUMENTS = accuracy.discover(accuracy.CORPUS)


def test_the_corpus_is_varied():
    kinds = {d.kind for d in DOCUMENTS}
    assert len(DOCUMENTS) >= 12 and kinds == {"txt", "docx", "pdf"}


def _rows(criteria):
    return [
        (c["category"], " ".join(c["text"].split()), c["essential"], sorted(c["methods"]), c["shortlisting"])
        for c in criteria
    ]


@pytest.mark.parametrize("document", DOCUMENTS, ids=[d.name for d in DOCUMENTS])
def test_document_gives_its_expected_proposal(document):
    proposal = accuracy.propose(document)
    got = proposal.to_json()
    want = document.expected
    assert _rows(got["criteria"]) == _rows(want["criteria"])
    assert got["dbs"] == {"level": want["dbs"]["level"], "barred_lists": want["dbs"]["barred_lists"]}
    assert (got["disability_confident"], got["waiver_policy"]) == (
        want["disability_confident"],
        want["waiver_policy"],
    )
    score = accuracy.score(document, proposal)
    assert (score.precision, score.recall, score.strict) == (1.0, 1.0, len(want["criteria"]))


def _proposal(criteria, **facts) -> Proposal:
    from shortlist.specimport import ProposedCriterion

    return Proposal(
        criteria=tuple(
            ProposedCriterion(c["category"], c["text"], c["essential"], tuple(c["methods"]), c["shortlisting"])
            for c in criteria
        ),
        **facts,
    )


def test_the_scorer_counts_missed_extra_and_wrong_fields():
    expected = {
        "criteria": [
            {"category": "Experience", "text": "Experience of casework.", "essential": True, "methods": ["AF", "I"],
             "shortlisting": True},
            {"category": "Skills", "text": "Ability to drive", "essential": True, "methods": ["AF"],
             "shortlisting": True},
            {"category": "Skills", "text": "Ability to speak Welsh", "essential": False, "methods": ["I"],
             "shortlisting": False},
        ],
        "dbs": {"level": "enhanced", "barred_lists": ["children"]},
        "disability_confident": True,
        "waiver_policy": None,
    }
    document = accuracy.Document("sample", "txt", lambda: b"", expected)
    proposal = _proposal(
        [
            # the same criterion, spelt a little differently, with the wrong mark
            {"category": "Experience", "text": "Experience of case work", "essential": False,
             "methods": ["I", "AF"], "shortlisting": True},
            {"category": "General", "text": "Ability to drive", "essential": True, "methods": ["AF"],
             "shortlisting": True},
            {"category": "General", "text": "We are a Disability Confident employer.", "essential": True,
             "methods": ["AF"], "shortlisting": True},
        ],
        dbs_level="enhanced",
        barred_lists=(),
        disability_confident=True,
    )
    s = accuracy.score(document, proposal)
    assert (s.expected, s.predicted, s.matched) == (3, 3, 2)
    assert s.right == {"category": 1, "text": 1, "essential": 1, "methods": 2, "shortlisting": 2}
    assert s.strict == 0
    assert s.facts == {"dbs_level": True, "barred_lists": False, "disability_confident": True,
                       "waiver_policy": True}
    assert any("missed" in n and "Welsh" in n for n in s.notes)
    assert any("extra" in n and "Disability Confident" in n for n in s.notes)
    table = accuracy.table([s])
    assert "sample" in table and " 66.7 " in table  # precision and recall 2 of 3
