"""Searching and browsing the library."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shortlist.library import load_library


@pytest.fixture(scope="module")
def lib():
    return load_library()


def words_of(statement) -> str:
    return " ".join(filter(None, (statement.text, statement.ref, statement.factor, statement.example))).lower()


def test_all_words_must_match(lib):
    results = lib.search("clinical supervision", limit=500)
    assert results
    for statement in results:
        assert "clinical" in words_of(statement) and "supervis" in words_of(statement)
    only_clinical = lib.search("clinical", limit=500)
    assert len(results) < len(only_clinical)


def test_search_is_case_insensitive_and_ignores_apostrophes(lib):
    assert [s.id for s in lib.search("DIGITAL")] == [s.id for s in lib.search("digital")]
    masters = lib.search("master's")
    assert masters and [s.id for s in masters] == [s.id for s in lib.search("Masters")]
    assert {s.kind for s in masters} == {"je_factor"}


def test_a_word_matches_the_start_of_a_longer_word(lib):
    assert lib.get("ccdf-assistant-ks-10") in lib.search("supervis", limit=500)


def test_ordered_by_relevance_then_id(lib):
    # Equal relevance: ids in natural order.
    assert [s.id for s in lib.search("resilience")] == [
        "ccdf-assistant-ks-11", "ccdf-enhanced-ks-18", "ccdf-proficient-ks-16", "ccdf-proficient-resp-18"]
    # The words side by side rank first.
    assert [s.id for s in lib.search("supervision theories")] == [
        "ccdf-enhanced-ks-8", "ccdf-consultant-ks-10", "ccdf-consultant-resp-17"]
    # A whole word in the text ranks above the start of a longer word.
    ranked = lib.search("supervision", limit=500)
    whole = [s for s in ranked if re.search(r"\bsupervision\b", s.text, re.I)]
    assert 0 < len(whole) < len(ranked)
    assert set(ranked[: len(whole)]) == set(whole)


def test_the_document_numbering_is_searchable(lib):
    results = lib.search("KS.3", level="proficient")
    assert results[0].id == "ccdf-proficient-ks-3"


@pytest.mark.parametrize(("level", "expected"), [
    ("proficient", 18), ("Proficient", 18), ("Proficient/Foundation Practitioner", 18),
    ("Assistant/Support Worker", 11), ("CONSULTANT", 17), ("band 6", 0), ("nonsense", 0),
])
def test_filter_by_level(lib, level, expected):
    assert len(lib.search(level=level, kind="knowledge_skill", limit=500)) == expected


@pytest.mark.parametrize(("band", "expected"), [
    ("6", 18), ("Band 6", 18), ("AfC band 7", 20), ("8a", 20), ("Band 8C", 40), ("8c-8d", 40),
    ("Band 8", 60), ("band 3", 0), ("P07", 0),
])
def test_filter_by_band(lib, band, expected):
    assert len(lib.search(band=band, limit=500)) == expected


def test_filter_by_kind(lib):
    assert len(lib.search(kind="knowledge_skill", limit=500)) == 82
    assert len(lib.search(kind="responsibility", limit=500)) == 110
    assert len(lib.search(kind="pillar aspect", limit=500)) == 95
    assert len(lib.search(kind="job_statement", limit=500)) == 18
    assert len(lib.search(kind="je_factor", limit=500)) == 80
    assert lib.search(kind="something else") == []


def test_filters_combine(lib):
    results = lib.search("research", band="Band 8C", kind="je_factor", limit=500)
    assert results and all(s.band == "8c-8d" and s.kind == "je_factor" for s in results)
    assert lib.search("research", level="assistant", band="6") == []


def test_limit(lib):
    assert len(lib.search("care")) == 50  # the default
    assert len(lib.search("care", limit=3)) == 3
    assert lib.search("care", limit=0) == []
    assert len(lib.search(limit=1000)) == len(lib.statements)


def test_no_results(lib):
    assert lib.search("xylophone") == []
    assert lib.search("clinical xylophone") == []


def test_an_empty_query_browses_in_document_order(lib):
    browse = lib.search("", level="enhanced", kind="knowledge_skill", limit=500)
    assert [s.ref for s in browse] == [f"KS.{n}" for n in range(1, 21)]
    assert lib.search("  ", limit=2) == list(lib.statements[:2])


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_query_is_safe(query):
    results = load_library().search(query, limit=10)
    assert len(results) <= 10
