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


# --- batch 5's shapes -------------------------------------------------------------------

WEB_ROWS = """| AREA |
ESSENTIAL |
DESIRABLE |
HOW IDENTIFIED |
| Qualifications |
Level 3 playwork
qualification |
First aid certificate |
Application Form. |
| Experience |
Experience of running a
holiday club. |
Experience of outdoor play. |
Application Form;
Selection procedure;
References. |
| Ability to plan a
programme of activities. |
|
Selection procedure. |
|
Knowledge of the Playwork
Principles. |
Application Form;
Selection procedure. |
"""


def test_a_web_table_whose_rows_open_with_a_bar_and_whose_cells_run_over_lines():
    assert rows(import_text(WEB_ROWS)) == [
        ("Qualifications", "Level 3 playwork qualification", True, ("AF",)),
        ("Qualifications", "First aid certificate", False, ("AF",)),
        ("Experience", "Experience of running a holiday club.", True, ("AF", "I", "R")),
        ("Experience", "Experience of outdoor play.", False, ("AF", "I", "R")),
        ("Experience", "Ability to plan a programme of activities.", True, ("I",)),
        ("Experience", "Knowledge of the Playwork Principles.", False, ("AF", "I")),
    ]


def _padded(rows_of_cells):
    out = []
    for cells in rows_of_cells:
        out.append("| ")
        for index, cell in enumerate(cells):
            if index:
                out.append("            ")
            out += ["             " + cell + " ", "             | "]
        out += ["        ", "        "]
    return "\n".join(out) + "\n"


CATEGORY_MARKS = [
    ["Criteria", "Category", "Assessment Method"],
    ["Education and Qualifications"],
    ["SVQ 3 in Social Services and Healthcare or equivalent", "Essential", "Application and visual check"],
    ["Qualifications in leadership or management", "Desirable", "Application and visual check"],
    ["Experience"],
    ["Experience of working in a care home", "Essential", "Application, interview and references"],
]
CATEGORY_EXPECTED = [
    ("Education and Qualifications", "SVQ 3 in Social Services and Healthcare or equivalent", True, ("AF", "Q")),
    ("Education and Qualifications", "Qualifications in leadership or management", False, ("AF", "Q")),
    ("Experience", "Experience of working in a care home", True, ("AF", "I", "R")),
]


def test_a_padded_web_table_whose_category_column_holds_the_mark():
    assert rows(import_text(_padded(CATEGORY_MARKS))) == CATEGORY_EXPECTED


def test_a_word_table_whose_category_column_holds_the_mark():
    markup = "\n".join(
        ("|! " if index == 0 else "|= " if len(cells) == 1 else "| ") + " | ".join(cells) + " |"
        for index, cells in enumerate(CATEGORY_MARKS)
    )
    assert rows(import_spec(docx_from_markup(markup), "spec.docx")) == CATEGORY_EXPECTED


BENCHMARK = """PERSON SPECIFICATION

Criteria / Essential to basic performance of job / Required for fully competent performance of job /
Knowledge:
Technical or specialist / ·  Interest in libraries / ·  Knowledge of book classification
Literacy and numeracy / ·  Ability to read written instructions / ·  GCSE English and Maths
·  Basic numeracy skills
"""
BENCHMARK_EXPECTED = [
    ("Technical or specialist", "Interest in libraries", True, ("AF", "I")),
    ("Technical or specialist", "Knowledge of book classification", False, ("AF", "I")),
    ("Literacy and numeracy", "Ability to read written instructions", True, ("AF", "I")),
    ("Literacy and numeracy", "GCSE English and Maths", False, ("AF", "I")),
    ("Literacy and numeracy", "Basic numeracy skills", False, ("AF", "I")),
]


def test_benchmark_columns_essential_to_basic_and_required_for_full_competence():
    assert rows(import_text(BENCHMARK)) == BENCHMARK_EXPECTED


def test_benchmark_columns_in_a_ruled_pdf():
    markup = (
        "# PERSON SPECIFICATION\n"
        "|! Criteria | Essential to basic performance of job | Required for fully competent performance of job |\n"
        "|= Knowledge: |\n"
        "| Technical or specialist | • Interest in libraries | • Knowledge of book classification |\n"
        "| Literacy and numeracy | • Ability to read written instructions | • GCSE English and Maths // • Basic numeracy skills |\n"
    )
    assert rows(import_spec(pdf_from_markup(markup), "spec.pdf")) == BENCHMARK_EXPECTED


RUN_TOGETHER = [
    ("Personal Attributes", "Ability to work under pressure", True, ("AF", "I")),
    ("Personal Attributes", "Good communication skills", True, ("AF", "I")),
    ("Personal Attributes", "Honest and reliable", True, ("AF", "I")),
    ("Personal Attributes", "Commitment to high standards of care", True, ("AF", "I")),
    ("Key Competencies", "Flexible availability.", True, ("AF", "I")),
    ("Key Competencies", "To be able to attend all Service user’s calls.", True, ("AF", "I")),
    ("Key Competencies", "To be able to cope with emergencies.", True, ("AF", "I")),
    ("Key Competencies", "To keep accurate care records.", True, ("AF", "I")),
]


def test_criteria_run_together_in_a_pasted_cell_are_split_where_the_breaks_were_lost():
    text = (
        "Area | Criteria | Essential | Desirable |\n"
        "Personal Attributes | Ability to work under pressureGood communication skillsHonest and reliable"
        "Commitment to high standards of care | X | |\n"
        "Key Competencies | Flexible availability. To be able to attend all Service user’s calls."
        "To be able to cope with emergencies.To keep accurate care records. | ||\n"
    )
    proposal = import_text(text)
    assert rows(proposal) == RUN_TOGETHER
    assert any(d.code == "split_run_together" for d in proposal.criteria[1].doubts)


def test_a_word_cell_of_criteria_one_a_paragraph_beside_a_tick():
    markup = (
        "|! Area | Criteria | Essential | Desirable |\n"
        "| Personal Attributes | Ability to work under pressure // Good communication skills // Honest and reliable"
        " // Commitment to high standards of care | X | |\n"
        "| Key Competencies | Flexible availability. // To be able to attend all Service user’s calls."
        " // To be able to cope with emergencies. // To keep accurate care records. | | |\n"
    )
    assert rows(import_spec(docx_from_markup(markup), "spec.docx")) == RUN_TOGETHER


def test_bullets_on_lines_of_their_own_and_an_unmarked_heading_after_the_desirable_list():
    text = (
        "Person Specification\n-\nExcellent communicator\n-\nAbility to self-motivate\n"
        "Experience\n-\nExperience of cooking for children\n"
        "Essential:\n*\nGood communication skills.\nDesirable:\n*\nFirst aid qualification.\n"
        "Key Competencies\n*\nPatience, empathy and fairness.\n"
    )
    assert [(c.text, c.essential) for c in import_text(text).criteria] == [
        ("Excellent communicator", True),
        ("Ability to self-motivate", True),
        ("Experience of cooking for children", True),
        ("Good communication skills.", True),
        ("First aid qualification.", False),
        ("Patience, empathy and fairness.", True),
    ]


def test_a_header_and_the_first_factor_on_one_line_and_two_alternatives_joined_by_or():
    text = (
        "PERSON SPECIFICATION\nNOTES TO JOB APPLICANTS\n"
        "- You must clearly demonstrate on your application form how you meet the criteria.\n"
        "SECTION 1 – ESSENTIAL CRITERIA\n"
        "Factor Essential Criteria Method of Assessment Qualifications/ Experience\n"
        "Hold five GCSE passes including English Language and Mathematics\n"
        "OR\n"
        "Have three years’ experience in an administrative role\n"
        "Shortlisting by Application Form\n"
    )
    assert rows(import_text(text)) == [
        ("Qualifications/ Experience", "Hold five GCSE passes including English Language and Mathematics OR "
         "Have three years’ experience in an administrative role", True, ("AF",)),
    ]


def test_a_header_pasted_a_cell_a_line_is_no_essential_or_desirable_heading():
    text = (
        "Person specification\n\nCriteria\n\nEssential\n\nDesirable\n\nHow identified\n\n"
        "AP - application,  I - interview,  R - references\n\n"
        "Experience\n\n"
        "Experience of teaching undergraduates\nX\n\nAP, I\n"
        "Experience of supervising doctoral students\nX\n\nI, R\n"
    )
    assert [(c.text, c.essential, c.methods) for c in import_text(text).criteria] == [
        ("Experience of teaching undergraduates", True, ("AF", "I")),
        ("Experience of supervising doctoral students", True, ("I", "R")),
    ]


def test_two_criteria_run_together_in_a_pipe_cell_the_second_opening_hold():
    text = (
        "PERSON SPECIFICATION\nNOTES TO JOB APPLICANTS |\n"
        "- You must clearly demonstrate on your application form how you meet the criteria.\n|\n"
        "SECTION 1 ESSENTIAL CRITERIA |\n"
        "Factor | Essential Criteria | Method of Assessment |\n"
        "Qualifications | Hold a degree in nursing or an equivalent qualification "
        "Hold current registration with the Nursing and Midwifery Council | Shortlisting by Application Form |\n"
    )
    assert [c.text for c in import_text(text).criteria] == [
        "Hold a degree in nursing or an equivalent qualification",
        "Hold current registration with the Nursing and Midwifery Council",
    ]
