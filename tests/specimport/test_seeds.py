"""The three seed person specifications, read as text, Word and PDF.

The expected proposals in golden/ were checked by hand, criterion by criterion,
against the documents in seeds/ (copies of the project's source documents)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from shortlist.specimport import Proposal, import_spec

from . import builders

GOLDEN = Path(__file__).resolve().parent / "golden"
SEEDS = {
    "birmingham": builders.BIRMINGHAM,
    "kent": builders.KENT,
    "lewisham": builders.LEWISHAM,
}
REQUIRED = ("category", "text", "essential", "methods", "shortlisting")


def golden(name: str) -> dict:
    return json.loads((GOLDEN / f"{name}.json").read_text(encoding="utf-8"))


def comparable(data: dict) -> dict:
    return {
        "criteria": [{k: c[k] for k in REQUIRED} for c in data["criteria"]],
        "dbs": data["dbs"],
        "disability_confident": data["disability_confident"],
        "waiver_policy": data["waiver_policy"],
        "warnings": data["warnings"],
    }


def squashed(proposal: Proposal) -> list[tuple]:
    return [
        (c.category, re.sub(r"\s+", " ", c.text).strip(), c.essential, c.methods, c.shortlisting)
        for c in proposal.criteria
    ]


_CACHE: dict[tuple[str, str], Proposal] = {}


def read(name: str, kind: str) -> Proposal:
    key = (name, kind)
    if key not in _CACHE:
        path = SEEDS[name]
        text = path.read_text(encoding="utf-8")
        if kind == "txt":
            _CACHE[key] = import_spec(path.read_bytes(), path.name)
        elif kind == "docx":
            data = builders.birmingham_docx() if name == "birmingham" else builders.docx_from_text(text)
            _CACHE[key] = import_spec(data, f"{name}.docx")
        else:
            _CACHE[key] = import_spec(builders.pdf_from_text(text), f"{name}.pdf")
    return _CACHE[key]


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_text_matches_golden(name):
    assert comparable(read(name, "txt").to_json()) == comparable(golden(name))


@pytest.mark.parametrize("kind", ["docx", "pdf"])
@pytest.mark.parametrize("name", sorted(SEEDS))
def test_word_and_pdf_give_the_same_criteria(name, kind):
    expected = [
        (c["category"], c["text"], c["essential"], tuple(c["methods"]), c["shortlisting"])
        for c in golden(name)["criteria"]
    ]
    proposal = read(name, kind)
    assert squashed(proposal) == expected
    want = golden(name)
    assert proposal.dbs_level == want["dbs"]["level"]
    assert list(proposal.barred_lists) == want["dbs"]["barred_lists"]
    assert proposal.disability_confident == want["disability_confident"]
    assert proposal.waiver_policy == want["waiver_policy"]


def test_birmingham_docx_is_a_real_table():
    import io
    import zipfile

    xml = zipfile.ZipFile(io.BytesIO(builders.birmingham_docx())).read("word/document.xml").decode()
    assert xml.count("<w:tbl>") == 2
    assert "<w:tc>" in xml


# --- the readings the brief spells out, stated directly ------------------------------


def by_text(proposal: Proposal, start: str):
    found = [c for c in proposal.criteria if c.text.startswith(start)]
    assert len(found) == 1, (start, [c.text for c in found])
    return found[0]


def test_birmingham_readings():
    p = read("birmingham", "txt")
    assert len(p.criteria) == 30
    court = by_text(p, "Experience of writing court")
    assert court.text == "Experience of writing court or similarly formal reports."
    assert court.methods == ("AF", "I", "P")
    assert by_text(p, "Registered with the Health").text.endswith(
        "Art Psychotherapist. Eligible for full membership of the British Association of Art Therapists (BAAT)."
    )
    assert by_text(p, "Experience of maintaining clinical").text.endswith(
        "managing risk appropriately. Strong understanding of attachment theory, trauma-informed practice "
        "and child development."
    )
    desirable = by_text(p, "Experience supervising students")
    assert (desirable.category, desirable.essential) == ("Experience", False)
    assert by_text(p, "Prepared to apply").category == "Safeguarding Children"
    assert by_text(p, "Understanding of disadvantage").category == "Valuing diversity"
    assert by_text(p, "MA or MSc").methods == ("AF", "Q")
    assert not any("Deliver individual" in c.text for c in p.criteria)  # job description
    assert (p.dbs_level, p.barred_lists) == ("enhanced", ("children",))


def test_kent_readings():
    p = read("kent", "txt")
    assert [c for c in dict.fromkeys(c.category for c in p.criteria)] == [
        "Qualifications", "Experience", "Knowledge", "Skills and abilities", "Behaviours", "Kent values",
    ]
    assert by_text(p, "Therapeutic qualification").text == (
        "Therapeutic qualification providing registration with one of the following registering bodies: "
        "United Kingdom Council for Psychotherapy (UKCP); Health & Care Professions Council (HCPC) \u2013 as a "
        "practitioner psychologist; Equivalent"
    )
    assert "including developmental trauma, loss, attachment disruption" in by_text(p, "Excellent knowledge").text
    assert by_text(p, "Ability to interpret").text.endswith("(professionals, children, families).")
    by_text(p, "Ability to evaluate and make decisions")
    assert sum(c.category == "Behaviours" for c in p.criteria) == 5
    assert all(c.essential for c in p.criteria)
    assert by_text(p, "Relevant professional development").methods == ("AF", "Q")
    assert by_text(p, "Knowledge of confidentiality").methods == ("AF",)
    values = [c for c in p.criteria if c.category == "Kent values"]
    assert len(values) == 5 and all(c.methods == ("I",) and not c.shortlisting for c in values)
    assert not any(c.text.startswith(("Flexible", "Curious", "Empowering")) for c in p.criteria)
    assert p.disability_confident is True and p.waiver_policy is None
    assert any("inferred" in w for w in p.warnings)
    assert any("Kent values" in w for w in p.warnings)


def test_lewisham_readings():
    p = read("lewisham", "txt")
    assert list(dict.fromkeys(c.category for c in p.criteria)) == [
        "Equality & Diversity", "Knowledge", "Aptitude", "Skills", "Experience", "General Education",
        "Personal Qualities", "Circumstances",
    ]
    assert len(p.criteria) == 34 and all(c.essential for c in p.criteria)
    assert sum(c.shortlisting for c in p.criteria) == 19
    monitoring = by_text(p, "Experience of systematically")
    assert monitoring.shortlisting and not monitoring.text.endswith("(S)")
    assert by_text(p, "Competence in delivering").methods == ("AF", "T")
    assert by_text(p, "Ability to analyze").methods == ("I",)
    assert by_text(p, "In-depth knowledge").methods == ("AF", "I")
    degree = by_text(p, "Educated to degree")
    assert (degree.text, degree.category) == ("Educated to degree standard or equivalent", "General Education")
    assert not any(c.text.startswith(("Skills can only", "Generally candidates")) for c in p.criteria)
    assert (p.dbs_level, p.barred_lists) == ("enhanced", ())
    assert (p.disability_confident, p.waiver_policy) == (True, True)
    joined = " ".join(p.warnings)
    assert "pre-employment check" in joined
    assert "left blank" in joined
    assert "Physical" in joined
    assert "inferred from the \u2018S\u2019" in joined
