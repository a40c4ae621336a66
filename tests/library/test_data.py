"""The shipped data files: counts checked against the documents, ids, sources, regeneration.

The expected counts below were taken by reading the seed documents (copies in
seeds/), list by list, not from the parser's output.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

from shortlist.library import KINDS, load_library
from shortlist.library.build import BuildError, build, main, parse_ccdf
from shortlist.library.model import CCDF_FILE, NHS_FILE

HERE = Path(__file__).resolve().parent
SEEDS = HERE / "seeds"
CCDF_TEXT = SEEDS / "001_84377b3cfd93768f.txt"
NHS_TEXT = SEEDS / "004_3505c89321211aaa.txt"

LEVELS = ["assistant", "proficient", "enhanced", "advanced", "consultant"]
KS_PER_LEVEL = {"assistant": 11, "proficient": 18, "enhanced": 20, "advanced": 16, "consultant": 17}
# Enhanced lists "Designs and participates in audit ..." twice across a page break: once here.
RESPONSIBILITIES_PER_LEVEL = {"assistant": 14, "proficient": 25, "enhanced": 20, "advanced": 25, "consultant": 26}
PILLAR_ASPECTS = {  # Professional Practice, Facilitating Learning, Leadership & Management, Evidence/R&D
    "assistant": (6, 5, 7, 3),
    "proficient": (7, 4, 6, 6),
    "enhanced": (5, 3, 3, 4),
    "advanced": (5, 3, 4, 3),
    "consultant": (5, 5, 6, 5),
}
PILLARS = ["Professional Practice", "Facilitation of Learning (Education)", "Leadership & Management",
           "Evidence, Research and Development"]
PROFILES = [  # id, band, job statement items, JE score range as stated
    ("arts-therapist-entry-level", "6", 2, (438, 448)),
    ("arts-therapist", "7", 4, (475, 516)),
    ("arts-therapist-principal", "8a-8b", 4, (544, 595)),
    ("head-of-arts-therapies", "8c-8d", 3, (647, 689)),
    ("arts-therapies-consultant", "8c-8d", 5, (632, 704)),
]


def shipped(name: str) -> bytes:
    return resources.files("shortlist.library").joinpath("data", name).read_bytes()


@pytest.fixture(scope="module")
def lib():
    return load_library()


def test_the_data_files_load(lib):
    assert len(lib.statements) == 385
    assert load_library() is lib  # cached


def test_five_levels_in_order(lib):
    assert [lv.id for lv in lib.levels()] == LEVELS
    assert [lv.name for lv in lib.levels()] == [
        "Assistant/Support Worker", "Proficient/Foundation Practitioner", "Enhanced Practitioner",
        "Advanced Practitioner", "Consultant Practitioner"]
    assert [lv.stage for lv in lib.levels()] == ["Pre-registration"] + ["Post-registration"] * 4
    for level in lib.levels():
        assert level.description and level.themes


def test_four_pillars(lib):
    assert [p.name for p in lib.pillars] == PILLARS
    assert all(p.descriptor for p in lib.pillars)


@pytest.mark.parametrize("level", LEVELS)
def test_counts_per_level(lib, level):
    ks = [s for s in lib.statements if s.level == level and s.kind == "knowledge_skill"]
    assert len(ks) == KS_PER_LEVEL[level]
    assert [s.ref for s in ks] == [f"KS.{n}" for n in range(1, KS_PER_LEVEL[level] + 1)]
    responsibilities = [s for s in lib.statements if s.level == level and s.kind == "responsibility"]
    assert len(responsibilities) == RESPONSIBILITIES_PER_LEVEL[level]
    aspects = Counter(s.pillar for s in lib.statements if s.level == level and s.kind == "pillar_aspect")
    assert tuple(aspects[name] for name in PILLARS) == PILLAR_ASPECTS[level]


def test_every_ks_line_of_the_document_is_in_the_library(lib):
    lines = [line for line in CCDF_TEXT.read_text(encoding="utf-8").splitlines() if line.startswith("- KS.")]
    assert len(lines) == sum(KS_PER_LEVEL.values()) == 82
    assert sum(1 for s in lib.statements if s.kind == "knowledge_skill") == 82


@pytest.mark.parametrize(("pid", "band", "job_items", "je"), PROFILES)
def test_nhs_profiles(lib, pid, band, job_items, je):
    profile = next(p for p in lib.profiles if p.id == pid)
    assert profile.band == band
    assert len(profile.job_statement) == job_items
    assert [f.factor_number for f in profile.factors] == list(range(1, 17))
    assert (profile.je_min, profile.je_max) == je
    # The factor scores add up to the range the document states.
    assert (profile.je_total_min, profile.je_total_max) == je
    assert all(f.je_level and f.je_score and f.text for f in profile.factors)
    assert profile.training.masters_training


def test_profile_ranges_sit_inside_the_afc_band_ranges(lib):
    ranges = {r.band: r for r in lib.band_ranges}
    assert len(ranges) == 12 and ranges["6"].min == 396 and ranges["8d"].max == 720
    for profile in lib.profiles:
        low = min(ranges[b].min for b in profile.bands)
        high = max(ranges[b].max for b in profile.bands)
        assert low <= profile.je_min <= profile.je_max <= high, profile.id
    assert "R37" in lib.ranges_source.title


def test_bands(lib):
    assert lib.bands() == ("6", "7", "8a-8b", "8c-8d")
    assert [p.id for p in lib.profiles_for_band("Band 8D")] == ["head-of-arts-therapies", "arts-therapies-consultant"]
    assert lib.profiles_for_band("P07") == ()


def test_factor_cells_split_into_descriptor_and_example(lib):
    f9 = lib.get("nhs-arts-therapist-principal-f9")
    assert (f9.text, f9.example) == ("Day to day management; provides specialist training",
                                    "Manages art therapy/psychotherapy team, provides specialist training to other disciplines")
    f2 = lib.get("nhs-arts-therapist-entry-level-f2")
    assert f2.text == "Highly specialist knowledge across range of procedures, underpinned by theory."
    assert f2.example.endswith("training in arts therapy/psychotherapy to master's level equivalent")
    assert (f2.je_level, f2.je_score) == ("7", "196")
    # A factor whose example sits on a row of its own after a page break.
    f11 = lib.get("nhs-head-of-arts-therapies-f11")
    assert f11.text == "Undertakes R&D activities/ major job requirement/co-ordinates R&D"
    assert f11.example == "Undertakes e.g. complex audits/carries out research/ co-ordinates research projects"
    assert (f11.je_level, f11.je_score, f11.je_score_min, f11.je_score_max) == ("2(a)-3-4", "12-21-32", 12, 32)


def test_text_is_faithful_and_whitespace_normalised(lib):
    # A statement broken over two lines in the document, joined.
    assert lib.get("ccdf-assistant-ks-5").text == (
        "Understanding of how a practitioner's actions or inactions affect clients, other professionals "
        "and the effectiveness of clinical services")
    assert lib.get("ccdf-assistant-ks-6").ref == "KS.6"  # "KS.6 .Knowledge" in the document
    assert lib.get("ccdf-proficient-ks-11").text.endswith("clientss to inform valuesbased practice")  # as printed
    assert lib.get("ccdf-advanced-evidence-2").text.startswith("Actively engages in practice and service development")
    assert lib.get("nhs-arts-therapist-js-4").text == "May undertake research"
    for statement in lib.statements:
        assert statement.text == " ".join(statement.text.split())
        assert "<" not in statement.text and "**" not in statement.text


def test_every_statement_has_id_text_kind_category_methods_and_source(lib):
    for s in lib.statements:
        assert s.id and s.text and s.kind in KINDS
        assert s.category in {"Knowledge", "Skills", "Experience", "Qualifications", "Other"}
        assert s.methods and set(s.methods) <= {"AF", "Q", "I"}
        assert s.source.title and s.source.organisation and s.source.version and s.source.file
        assert (s.level is None) != (s.band is None)
    ccdf, nhs, rules = lib.sources()
    assert ccdf.file == CCDF_TEXT.name and nhs.file == NHS_TEXT.name
    assert ccdf.title == "Clinical Career Development Framework for Art, Drama, & Music Therapists"
    assert ccdf.organisation == "BAAT, BADth and BAMT"
    assert nhs.title == "National Profiles for Art, Dance Movement, Drama, and Music"
    assert nhs.version.startswith("August 2025")
    assert rules.file == "guides/uk-rules.md"


def test_ids_are_unique_and_follow_the_documents_numbering(lib):
    ids = [s.id for s in lib.statements]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9-]+", i) for i in ids)
    assert lib.get("ccdf-proficient-ks-3").text.startswith("Understanding of the theoretical principles")
    assert lib.get("nhs-arts-therapist-f2").ref == "Factor 2"
    assert lib.get("no-such-id") is None


def test_the_files_carry_a_source_block():
    for name in (CCDF_FILE, NHS_FILE):
        data = json.loads(shipped(name).decode("utf-8"))
        assert data["schema"] == 1
        assert data["source"]["title"] and data["source"]["file"]
    nhs = json.loads(shipped(NHS_FILE))
    assert nhs["band_je_ranges"]["source"]["file"] == "guides/uk-rules.md"


def test_suggested_criteria(lib):
    assert lib.get("ccdf-proficient-ks-3").as_criterion() == {
        "category": "Knowledge",
        "text": "Understanding of the theoretical principles underpinning the appropriate use of their artforms.",
        "essential": True,
        "methods": ["AF", "I"],
        "shortlisting": True,
    }
    assert lib.get("ccdf-consultant-ks-1").as_criterion()["methods"] == ["AF", "Q"]
    effort = lib.get("nhs-arts-therapist-f15").as_criterion()
    assert effort["category"] == "Other" and effort["methods"] == ["I"] and effort["shortlisting"] is False


def test_regenerating_from_the_seeds_gives_byte_identical_files(tmp_path):
    written = build(SEEDS, tmp_path)
    assert sorted(p.name for p in written) == sorted([CCDF_FILE, NHS_FILE])
    for name in (CCDF_FILE, NHS_FILE):
        assert (tmp_path / name).read_bytes() == shipped(name), f"{name} is stale: rerun the build"


def test_command_line(tmp_path, capsys):
    assert main([str(SEEDS), "--out", str(tmp_path)]) == 0
    assert CCDF_FILE in capsys.readouterr().out
    assert main([str(tmp_path / "missing"), "--out", str(tmp_path)]) == 2
    assert "build failed" in capsys.readouterr().err


def test_the_build_stops_on_a_document_it_does_not_recognise():
    text = CCDF_TEXT.read_text(encoding="utf-8").replace("- KS.4.Understanding of the diversity", "- KS.40 Understanding")
    with pytest.raises(BuildError, match="KS.40"):
        parse_ccdf(text, CCDF_TEXT.name)
