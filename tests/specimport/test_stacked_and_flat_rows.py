"""Table shapes batch 4 of the real corpus showed read wrong (issue 20): a cell holding
several criteria with their marks and methods stacked item by item in the next cells (in
Word and PDF tables and in text pasted out of them), rows flattened to one line with the
mark and methods at the end, one-word method cells, merged category rows and a numbered
weighting legend.

The documents are small ones written for the test in those shapes."""

from __future__ import annotations

import pytest

from shortlist.specimport import import_spec, import_text

from .builders import docx_from_markup, pdf_from_markup


def rows(proposal):
    return [(c.category, c.text, c.essential, c.methods) for c in proposal.criteria]


STACKED_MARKUP = """# PERSON SPECIFICATION
|! AREA | CRITERIA | Essential / Desirable | HOW ASSESSED |
| EXPERIENCE | • Experience of leading a youth club // • Experience of budgets // • Experience of working with schools | E // D // E | A, I // A // I, R |
| QUALIFICATIONS | • Youth work qualification at level 3 // • Full driving licence | E // D | C // C |
"""

STACKED_EXPECTED = [
    ("Experience", "Experience of leading a youth club", True, ("AF", "I")),
    ("Experience", "Experience of budgets", False, ("AF",)),
    ("Experience", "Experience of working with schools", True, ("I", "R")),
    ("Qualifications", "Youth work qualification at level 3", True, ("Q",)),
    ("Qualifications", "Full driving licence", False, ("Q",)),
]


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_a_cell_of_several_criteria_with_their_marks_and_methods_stacked_beside_them(kind):
    build = docx_from_markup if kind == "docx" else pdf_from_markup
    proposal = import_spec(build(STACKED_MARKUP), f"spec.{kind}")
    assert rows(proposal) == STACKED_EXPECTED


def test_stacked_cells_pasted_as_text_with_slashes():
    text = (
        "PERSON SPECIFICATION\n"
        "AREA / CRITERIA / Essential /Desirable / HOW ASSESSED\n"
        "EXPERIENCE / · Experience of leading a youth club\n"
        "· Experience of budgets\n"
        "· Experience of working with schools / E\n"
        "D\n"
        "E / A, I\n"
        "A\n"
        "I, R\n"
        "QUALIFICATIONS / · Youth work qualification at level 3\n"
        "· Full driving licence / E\n"
        "D / C\n"
        "C\n"
    )
    assert rows(import_text(text)) == STACKED_EXPECTED


SECTION_HEADERS = """PERSON SPECIFICATION
Qualifications / Essential/Desirable / How is it assessed?
Relevant degree / Essential / Certificates
Coaching qualification / Desirable / Application form and certificates
Skills and experience needed / Essential/Desirable / How is it assessed?
Proven ability to plan sessions / Essential / References
Works well in a team / Essential / Interview
"""

SECTION_EXPECTED = [
    ("Qualifications", "Relevant degree", True, ("Q",)),
    ("Qualifications", "Coaching qualification", False, ("AF", "Q")),
    ("Skills and experience needed", "Proven ability to plan sessions", True, ("R",)),
    ("Skills and experience needed", "Works well in a team", True, ("I",)),
]


def test_a_header_repeated_per_section_names_it_and_one_word_methods_are_methods():
    assert rows(import_text(SECTION_HEADERS)) == SECTION_EXPECTED


def test_a_ruled_table_per_section_named_in_the_header_with_one_word_methods():
    # one table per section, each with its own header
    markup = "# PERSON SPECIFICATION\n" + "\n".join(
        "\n|! " + line.replace(" / ", " | ") + " |" if "How is it" in line else "| " + line.replace(" / ", " | ") + " |"
        for line in SECTION_HEADERS.splitlines()[1:]
    )
    assert rows(import_spec(pdf_from_markup(markup), "spec.pdf")) == SECTION_EXPECTED


def test_essential_and_desirable_sub_lists_belong_to_their_category_only():
    text = (
        "Person Specification\n\n"
        "Qualifications\n\nESSENTIAL\n\n• A degree or equivalent\n\n"
        "DESIRABLE\n\n• A coaching award\n\n"
        "Personal Skills\n\n"
        "• Clear spoken English, including a confident voice and good\n  presentation skills\n\n"
        "• Excellent organisational skills\n"
    )
    assert rows(import_text(text)) == [
        ("Qualifications", "A degree or equivalent", True, ("AF", "I")),
        ("Qualifications", "A coaching award", False, ("AF", "I")),
        ("Personal Skills", "Clear spoken English, including a confident voice and good presentation skills",
         True, ("AF", "I")),
        ("Personal Skills", "Excellent organisational skills", True, ("AF", "I")),
    ]


MERGED_ROWS = """# PERSON SPECIFICATION
|! Key Areas | Method of Assessment // Interview, Application Form, References |
|= (i) Professional experience |
| • Qualified Teacher Status | Application Form |
| • Experience of teaching in Key Stage 2 | Application Form, References |
|= (ii) Working with others in the school and promoting its values |
| • Works well within a team | Interview, References |
"""

MERGED_EXPECTED = [
    ("Professional experience", "Qualified Teacher Status", True, ("AF",)),
    ("Professional experience", "Experience of teaching in Key Stage 2", True, ("AF", "R")),
    ("Working with others in the school and promoting its values", "Works well within a team", True, ("I", "R")),
]


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_a_category_row_merged_across_the_table_is_the_category(kind):
    build = docx_from_markup if kind == "docx" else pdf_from_markup
    assert rows(import_spec(build(MERGED_ROWS), f"spec.{kind}")) == MERGED_EXPECTED


def test_a_two_column_table_pasted_a_cell_a_line_with_merged_category_rows():
    text = (
        "PERSON SPECIFICATION\n\nKey Areas\n\n/ Method of Assessment\n"
        "Interview, Application Form, References\n"
        "(i) Professional experience\n"
        "  • Qualified Teacher Status\n/ Application Form\n"
        "  • Experience of teaching in Key Stage 2\n/ Application Form, References\n"
        "(ii) Working with others in the school and promoting its values\n"
        "  • Works well within a team\n/ Interview, References\n"
    )
    assert rows(import_text(text)) == MERGED_EXPECTED
