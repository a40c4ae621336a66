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


def test_rows_flattened_to_a_line_with_their_mark_and_methods_at_the_end():
    text = (
        "Person Specification\n\nJob Title: Volunteer Coordinator\n\n"
        "E = ESSENTIAL, D = DESIRABLE\n\n"
        "Work experience At least 1 year's experience of recruiting volunteers. E Application form\n"
        "Experience of running training sessions D Application form/Interview\n"
        "Skills Ability to keep accurate records E Application form/Test\n"
        "Ability to speak to groups with confidence E Interview/Test\n"
    )
    assert rows(import_text(text)) == [
        ("Work experience", "At least 1 year's experience of recruiting volunteers.", True, ("AF",)),
        ("Work experience", "Experience of running training sessions", False, ("AF", "I")),
        ("Skills", "Ability to keep accurate records", True, ("AF", "T")),
        ("Skills", "Ability to speak to groups with confidence", True, ("I", "T")),
    ]


def test_a_stacked_list_with_dashes_and_both_for_application_and_interview():
    text = (
        "Person Specification Playworker\n"
        "Attributes\nCriteria\nRank\nEssential E\nDesirable D\nHow Identified\nInterview Application\nForm\nBoth\n"
        "Knowledge\n"
        "- Knowledge of child development\n- Knowledge of first aid\n"
        "- E\n- D\n"
        "- Interview\n- Both\n"
        "Skills\n"
        "- Ability to lead games\n- Good written English\n"
        "- E\n- E\n"
        "- Both\n- Application Form\n"
    )
    assert rows(import_text(text)) == [
        ("Knowledge", "Knowledge of child development", True, ("I",)),
        ("Knowledge", "Knowledge of first aid", False, ("AF", "I")),
        ("Skills", "Ability to lead games", True, ("AF", "I")),
        ("Skills", "Good written English", True, ("AF",)),
    ]


def test_a_mark_in_brackets_closes_its_criterion_and_a_note_about_your_qualifications_is_a_note():
    text = (
        "Person Specification\n\nNote: Items marked (E) are essential while those marked (D) are desirable.\n\n"
        "Qualifications\n\n"
        "A degree from a UK university or equivalent, passed at 2.2 or above (E)\n"
        "English and Maths GCSE grade 4 or above (E)\n"
        "If your qualifications were awarded abroad, you must send proof of equivalence.\n\n"
        "Knowledge\n\nAn understanding of the role of a teacher (D)\n"
    )
    assert [(c.category, c.text, c.essential) for c in import_text(text).criteria] == [
        ("Qualifications", "A degree from a UK university or equivalent, passed at 2.2 or above", True),
        ("Qualifications", "English and Maths GCSE grade 4 or above", True),
        ("Knowledge", "An understanding of the role of a teacher", False),
    ]


def test_essential_after_a_role_profile_heading_starts_the_criteria():
    text = (
        "University of Anytown\nRole Profile\nPart 2\nPart 2A: Essential and Desirable Criteria\n"
        "Essential\nQualifications and Professional Memberships:\n"
        "- Educated to GCSE level or equivalent\n- NVQ3 in administration or equivalent\n"
        "Knowledge and Experience:\n- Administration experience in a busy office\n"
        "Desirable\nKnowledge and Experience:\nExperience of working with test administration\n"
    )
    assert [(c.category, c.text, c.essential) for c in import_text(text).criteria] == [
        ("Qualifications and Professional Memberships", "Educated to GCSE level or equivalent", True),
        ("Qualifications and Professional Memberships", "NVQ3 in administration or equivalent", True),
        ("Knowledge and Experience", "Administration experience in a busy office", True),
        ("Knowledge and Experience", "Experience of working with test administration", False),
    ]


WEIGHTED = """Person Specification

Job title: Warden

Each requirement is weighted between 1 and 5. Those rated:

1.  are desirable, but not necessary

2.  are desirable and could be learnt in post

3.  are essential

Requirement / Weighting 1-5 / How we assess if candidate meets the requirement /
1. Qualifications
First aid certificate. / 3 / Evidence of qualifications
2. Competencies
Experience of supporting older residents. / 3 / Application form
Questions at interview
Clear written English. / 3 / Application form
Questions at interview
Test at interview
"""


def test_a_numbered_weighting_legend_is_no_criterion_and_methods_go_on_over_lines():
    assert rows(import_text(WEIGHTED)) == [
        ("Qualifications", "First aid certificate.", True, ("Q",)),
        ("Competencies", "Experience of supporting older residents.", True, ("AF", "I")),
        ("Competencies", "Clear written English.", True, ("AF", "I", "T")),
    ]


def test_a_weighted_word_table_with_methods_one_a_paragraph():
    markup = (
        "# Person Specification\n"
        "Each requirement is weighted between 1 and 5. Those rated:\n"
        "1.  are desirable, but not necessary\n"
        "2.  are desirable and could be learnt in post\n"
        "3.  are essential\n"
        "|! Requirement | Weighting 1-5 | How we assess if candidate meets the requirement |\n"
        "|= 1. Qualifications |\n"
        "| First aid certificate. | 3 | Evidence of qualifications |\n"
        "|= 2. Competencies |\n"
        "| Experience of supporting older residents. | 3 | Application form // Questions at interview |\n"
        "| Clear written English. | 3 | Application form // Questions at interview // Test at interview |\n"
    )
    assert rows(import_spec(docx_from_markup(markup), "spec.docx")) == [
        ("Qualifications", "First aid certificate.", True, ("Q",)),
        ("Competencies", "Experience of supporting older residents.", True, ("AF", "I")),
        ("Competencies", "Clear written English.", True, ("AF", "I", "T")),
    ]
