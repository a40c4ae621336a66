"""One test per common person-specification layout, from small documents written
for the test (as text, and where the layout lives in Word tables, as .docx)."""

from __future__ import annotations

import pytest

from shortlist.specimport import import_spec, import_text

from . import builders
from .builders import docx_bytes, pdf_from_paragraphs


def rows(proposal):
    return [(c.category, c.text, c.essential, c.methods, c.shortlisting) for c in proposal.criteria]


# --- essential / desirable ----------------------------------------------------

ED_TICKS = (
    "PERSON SPECIFICATION\n"
    "Criteria\tEssential\tDesirable\tMethod of assessment\n"
    "Experience\t\t\t\n"
    "Experience of managing a caseload\t✓\t\tAF/I\n"
    "Experience of working in local government\t\tYes\tAF\n"
    "Knowledge\t\t\t\n"
    "Knowledge of the Care Act 2014\tX\t\tI\n"
)


def test_essential_desirable_tick_columns_text():
    p = import_text(ED_TICKS)
    assert rows(p) == [
        ("Experience", "Experience of managing a caseload", True, ("AF", "I"), True),
        ("Experience", "Experience of working in local government", False, ("AF",), True),
        ("Knowledge", "Knowledge of the Care Act 2014", True, ("I",), False),
    ]


def test_essential_desirable_tick_columns_docx_table():
    table = [line.split("\t") for line in ED_TICKS.strip().split("\n")[1:]]
    data = docx_bytes(["Person Specification", table, "We are a Disability Confident employer."])
    p = import_spec(data, "spec.docx")
    assert rows(p) == rows(import_text(ED_TICKS))
    assert p.disability_confident is True


def test_essential_desirable_text_columns_docx_table():
    table = [
        ["Attribute", "Essential", "Desirable"],
        ["Qualifications", "Degree in social work\nSocial Work England registration", "Post-qualifying award"],
        ["Experience", "• Experience of child protection work\n• Experience of court work", ""],
    ]
    p = import_spec(docx_bytes(["Person specification", table]), "ps.docx")
    # each paragraph of an Essential or Desirable cell is a criterion of its own
    assert [(c.category, c.text, c.essential) for c in p.criteria] == [
        ("Qualifications", "Degree in social work", True),
        ("Qualifications", "Social Work England registration", True),
        ("Qualifications", "Post-qualifying award", False),
        ("Experience", "Experience of child protection work", True),
        ("Experience", "Experience of court work", True),
    ]


def test_e_d_suffixes():
    text = (
        "Person Specification\n\n"
        "SKILLS\n"
        "• Ability to communicate clearly in writing (E)\n"
        "• Ability to use Microsoft Excel (D)\n"
        "• Ability to drive – Desirable\n"
        "- Ability to work to deadlines [E]\n"
    )
    p = import_text(text)
    assert [(c.category, c.text, c.essential) for c in p.criteria] == [
        ("Skills", "Ability to communicate clearly in writing", True),
        ("Skills", "Ability to use Microsoft Excel", False),
        ("Skills", "Ability to drive", False),
        ("Skills", "Ability to work to deadlines", True),
    ]


def test_essential_and_desirable_headings():
    text = (
        "Person Specification: Finance Officer\n\n"
        "Essential criteria\n"
        "• Experience of preparing budget reports\n"
        "• AAT qualification or equivalent\n"
        "• Knowledge of VAT rules\n\n"
        "Desirable criteria\n"
        "• Experience of Oracle Financials\n"
        "• Ability to speak Welsh\n"
    )
    p = import_text(text)
    assert [(c.category, c.text, c.essential) for c in p.criteria] == [
        ("Experience", "Experience of preparing budget reports", True),
        ("Qualifications", "AAT qualification or equivalent", True),
        ("Knowledge", "Knowledge of VAT rules", True),
        ("Experience", "Experience of Oracle Financials", False),
        ("Skills", "Ability to speak Welsh", False),
    ]


def test_no_marks_means_all_essential():
    text = "PERSON SPECIFICATION\nKNOWLEDGE\nKnowledge of housing law.\n\nKnowledge of the Equality Act.\n"
    p = import_text(text)
    assert [c.essential for c in p.criteria] == [True, True]
    assert any("method" in w for w in p.warnings)


# --- methods --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "methods"),
    [
        ("AF/I/P", ("AF", "I", "P")),
        ("A.I", ("AF", "I")),
        ("A, I, R", ("AF", "I", "R")),
        ("Application form / Interview", ("AF", "I")),
        ("Application Form, Test and Interview", ("AF", "I", "T")),
        ("Q/AF", ("AF", "Q")),
    ],
)
def test_method_cell_spellings(cell, methods):
    text = f"PERSON SPECIFICATION\nEXPERIENCE\nExperience of running a team\tE\t{cell}\n"
    p = import_text(text)
    assert rows(p) == [("Experience", "Experience of running a team", True, methods, "AF" in methods or "Q" in methods)]


def test_method_tick_columns():
    text = (
        "Person Specification\n"
        "Criteria\tEssential\tDesirable\tApplication form\tInterview\tTest\n"
        "Ability to touch type at 40 wpm\t✓\t\t\t\t✓\n"
        "Experience of reception work\t\t✓\t✓\t✓\t\n"
    )
    p = import_text(text)
    assert rows(p) == [
        ("Skills", "Ability to touch type at 40 wpm", True, ("T",), False),
        ("Experience", "Experience of reception work", False, ("AF", "I"), True),
    ]


def test_legend_defines_codes():
    text = (
        "PERSON SPECIFICATION\n"
        "Key: A = Application, I = Interview, T = Test, C = Certificates\n\n"
        "QUALIFICATIONS\n"
        "NVQ level 3 in Health and Social Care\tE\tC\n"
        "SKILLS\n"
        "Ability to write accurate case notes\tE\tA/T\n"
    )
    p = import_text(text)
    assert rows(p) == [
        ("Qualifications", "NVQ level 3 in Health and Social Care", True, ("Q",), True),
        ("Skills", "Ability to write accurate case notes", True, ("AF", "T"), True),
    ]


def test_shortlisting_s_column_infers_methods():
    text = (
        "PERSON SPECIFICATION\n"
        "Those criteria marked S will be used for shortlisting.\n"
        "Experience\t\n"
        "Experience of youth work\tS\n"
        "Experience of outreach work\t\n"
    )
    p = import_text(text)
    assert rows(p) == [
        ("Experience", "Experience of youth work", True, ("AF", "I"), True),
        ("Experience", "Experience of outreach work", True, ("I",), False),
    ]
    assert any("S" in w and "inferred" in w for w in p.warnings)


def test_stacked_cells_one_per_line():
    """A Word table saved as text: every cell on its own line, rows closed by the method."""
    text = (
        "Person Specification\n\n"
        "Category\nCriteria\nHow assessed\n\n"
        "Knowledge\n"
        "Knowledge of the Children Act 1989 and of\n"
        "safeguarding procedures.\n"
        "AF/I\n\n"
        "Understanding of trauma-informed practice.\n"
        "I\n\n"
        "Skills (desirable)\n"
        "Able to speak a community language.\n"
        "AF\n"
    )
    p = import_text(text)
    assert rows(p) == [
        ("Knowledge", "Knowledge of the Children Act 1989 and of safeguarding procedures.", True, ("AF", "I"), True),
        ("Knowledge", "Understanding of trauma-informed practice.", True, ("I",), False),
        ("Skills", "Able to speak a community language.", False, ("AF",), True),
    ]


# --- text debris --------------------------------------------------------------------


def test_stray_tabs_and_bullet_characters():
    text = (
        "PERSON SPECIFICATION\n"
        "EXPERIENCE\n"
        "•\tExperience of working\twith families (E)\n"
        "·  Experience of running groups (E)\n"
        "* Experience of budget management (D)\n"
        "▪ Experience of supervising staff (E)\n"
        "1. Experience of audit (D)\n"
        "2) Experience of commissioning (E)\n"
    )
    p = import_text(text)
    assert [(c.text, c.essential) for c in p.criteria] == [
        ("Experience of working with families", True),
        ("Experience of running groups", True),
        ("Experience of budget management", False),
        ("Experience of supervising staff", True),
        ("Experience of audit", False),
        ("Experience of commissioning", True),
    ]


def test_page_break_debris():
    page = "Person Specification – Youth Worker\n"
    text = (
        page + "\nEXPERIENCE\n\nExperience of detached youth work.\n\nExperience of working with\n"
        "Page 1 of 3\n\f" + page + "\n"
        "young people at risk of exclusion.\n\n2\n\f" + page + "\nKNOWLEDGE\n\n"
        "Knowledge of safeguarding.\n"
        "Page 3 of 3\n"
    )
    p = import_text(text)
    assert rows(p) == [
        ("Experience", "Experience of detached youth work.", True, ("AF", "I"), True),
        ("Experience", "Experience of working with young people at risk of exclusion.", True, ("AF", "I"), True),
        ("Knowledge", "Knowledge of safeguarding.", True, ("AF", "I"), True),
    ]


def test_numbered_headings_and_colon_lists():
    text = (
        "PERSON SPECIFICATION\n\n"
        "1. Qualifications\n"
        "Registration with one of:\n"
        "• Social Work England\n"
        "• the HCPC\n\n"
        "2. Experience\n"
        "Experience of case management.\n"
    )
    p = import_text(text)
    assert [(c.category, c.text) for c in p.criteria] == [
        ("Qualifications", "Registration with one of: Social Work England; the HCPC"),
        ("Experience", "Experience of case management."),
    ]


def test_headings_and_paragraphs_from_pdf():
    paragraphs = [
        "Person Specification",
        "EXPERIENCE",
        "Experience of delivering training to groups of adults in a community setting.",
        "Experience of evaluating training.",
        "KNOWLEDGE",
        "Knowledge of adult learning theory.",
    ]
    p = import_spec(pdf_from_paragraphs(paragraphs), "spec.pdf")
    assert [(c.category, c.text) for c in p.criteria] == [
        ("Experience", "Experience of delivering training to groups of adults in a community setting."),
        ("Experience", "Experience of evaluating training."),
        ("Knowledge", "Knowledge of adult learning theory."),
    ]


def test_job_description_part_holds_no_criteria():
    text = (
        "JOB DESCRIPTION\nKEY RESPONSIBILITIES\n• To manage a caseload.\n• To write reports.\n\n"
        "PERSON SPECIFICATION\nEXPERIENCE\n• Experience of managing a caseload.\n"
    )
    p = import_text(text)
    assert [c.text for c in p.criteria] == ["Experience of managing a caseload."]


# --- vacancy facts ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "level", "barred"),
    [
        ("This post requires an enhanced DBS check with barred list (children).", "enhanced", ("children",)),
        ("This post requires an enhanced DBS check with barred lists (children and adults).", "enhanced",
         ("children", "adults")),
        ("An enhanced DBS check including the adults' barred list is required.", "enhanced", ("adults",)),
        ("Basic DBS", "basic", ()),
        ("The successful candidate will need a standard DBS check.", "standard", ()),
        ("No DBS check is required for this post.", "none", ()),
        ("The post is based in Lewisham.", "unknown", ()),
    ],
)
def test_dbs_from_sentences(sentence, level, barred):
    p = import_text(f"Senior Officer\n{sentence}\n\nPERSON SPECIFICATION\nEXPERIENCE\nExperience of X.\n")
    assert (p.dbs_level, p.barred_lists) == (level, barred)


def test_dbs_tick_grid_in_a_table_row():
    text = (
        "DBS check required\n"
        "\tChildren\tAdults\tChildren and Adults\n"
        "Basic\t\t\t\n"
        "Enhanced\t\t✓\t\n"
        "PERSON SPECIFICATION\nEXPERIENCE\nExperience of X.\n"
    )
    p = import_text(text)
    assert (p.dbs_level, p.barred_lists) == ("enhanced", ("adults",))


def test_dbs_tick_boxes_inline():
    text = "DBS level:\n☐ Basic\n☐ Standard\n☒ Enhanced\n\nPERSON SPECIFICATION\nSKILLS\nAbility to X.\n"
    p = import_text(text)
    assert p.dbs_level == "enhanced"
    assert not any("left blank" in w for w in p.warnings)


def test_dbs_blank_tick_list_warns():
    text = "PERSON SPECIFICATION\nSKILLS\nAbility to X.\n\nDBS Disclosure Required\n\nBasic\n\nStandard\n\nEnhanced\n"
    p = import_text(text)
    assert p.dbs_level == "unknown"
    assert any("left blank" in w for w in p.warnings)


@pytest.mark.parametrize(
    ("sentence", "confident", "waiver"),
    [
        ("We are a Disability Confident employer.", True, None),
        ("We operate a guaranteed interview scheme for disabled applicants.", True, None),
        ("Applicants with a disability who meet the essential criteria will be offered an interview.", True, None),
        ("If you are unable to meet some of the requirements because of your disability, tell us. "
         "If you meet all the other criteria you will be shortlisted.", True, True),
        ("Essential criteria cannot be waived.", None, False),
        ("We welcome applications from everyone.", None, None),
    ],
)
def test_disability_statements(sentence, confident, waiver):
    p = import_text(f"PERSON SPECIFICATION\n{sentence}\nEXPERIENCE\nExperience of X.\n")
    assert (p.disability_confident, p.waiver_policy) == (confident, waiver)


def test_criminal_record_criterion_is_flagged():
    p = import_text("PERSON SPECIFICATION\nOTHER\nWilling to undergo an enhanced DBS check.\n")
    assert p.dbs_level == "enhanced"
    assert any("pre-employment check" in w for w in p.warnings)


def test_category_criteria_ed_method_columns():
    text = (
        "Person Specification\n"
        "Category\tCriteria\tE/D\tMethod\n"
        "Experience\tExperience of housing casework\tE\tAF/I\n"
        "\tExperience of mediation\tD\tI\n"
        "Skills\tAbility to use Word and Excel\tE\tT\n"
    )
    assert rows(import_text(text)) == [
        ("Experience", "Experience of housing casework", True, ("AF", "I"), True),
        ("Experience", "Experience of mediation", False, ("I",), False),
        ("Skills", "Ability to use Word and Excel", True, ("T",), False),
    ]


def test_mixed_case_lines_under_capital_headings_are_criteria():
    text = "PERSON SPECIFICATION\nSKILLS\nCommunication Skills\nResilience\nKNOWLEDGE\nKnowledge of GDPR\n"
    assert [(c.category, c.text) for c in import_text(text).criteria] == [
        ("Skills", "Communication Skills"),
        ("Skills", "Resilience"),
        ("Knowledge", "Knowledge of GDPR"),
    ]


def test_plain_list_without_headings():
    text = "Experience of leading teams (E) (AF/I)\nExperience of budgets (D) (AF)\nAbility to drive (E)\n"
    assert rows(import_text(text)) == [
        ("Experience", "Experience of leading teams", True, ("AF", "I"), True),
        ("Experience", "Experience of budgets", False, ("AF",), True),
        ("Skills", "Ability to drive", True, ("AF", "I"), True),
    ]


def test_markdown_table_and_headings():
    text = (
        "# Person specification\n\n"
        "## Experience\n\n"
        "| Criteria | Essential | Desirable | Assessed by |\n"
        "|---|:---:|:---:|---|\n"
        "| Experience of running a library service | ✓ | | AF/I |\n"
        "| Experience of cataloguing | | ✓ | AF |\n\n"
        "## **Knowledge**\n\n"
        "- Knowledge of copyright law (E)\n"
    )
    p = import_spec(text.encode(), "spec.md")
    assert rows(p) == [
        ("Experience", "Experience of running a library service", True, ("AF", "I"), True),
        ("Experience", "Experience of cataloguing", False, ("AF",), True),
        ("Knowledge", "Knowledge of copyright law", True, ("AF", "I"), True),
    ]


# --- what surrounds the criteria ------------------------------------------------------

AFTER_TABLE = [
    "We are a Disability Confident employer.",
    "The Trust is committed to equality of opportunity and welcomes applications from all.",
    "This post is subject to an enhanced DBS check with barred list check for children.",
    "This post is exempt from the Rehabilitation of Offenders Act 1974.",
    "Please read the guidance notes before you apply.",
    "Closing date: 14 April 2025",
]


def test_statements_after_a_table_are_not_criteria():
    table = [
        ["Criteria", "Essential", "Desirable", "How assessed"],
        ["Experience of managing a caseload", "✓", "", "Application form / Interview"],
    ]
    p = import_spec(docx_bytes(["Person Specification", table, *AFTER_TABLE]), "spec.docx")
    assert rows(p) == [("Experience", "Experience of managing a caseload", True, ("AF", "I"), True)]
    assert (p.dbs_level, p.barred_lists, p.disability_confident) == ("enhanced", ("children",), True)


def test_statements_after_a_list_are_not_criteria():
    text = (
        "Person specification\n\nExperience\n• Experience of running a youth club\n\n"
        "Safeguarding\nWe are committed to safeguarding children and expect all staff to share this "
        "commitment.\n\nEquality, diversity and inclusion\nWe are a Disability Confident employer.\n\n"
        "How to apply\nPlease apply online.\n\nEmployer details\nEmployer name\nNorthshire Council\n"
        "Address\nTown Hall\nNT1 1AA\n"
    )
    assert [c.text for c in import_text(text).criteria] == ["Experience of running a youth club"]


def test_job_pack_sections_and_form_labels_hold_no_criteria():
    text = (
        "Teaching Assistant – Person Specification\nGrade: 4\nReports to: SENCo\n\nJob purpose\n"
        "To support pupils' learning in class and in small groups.\n\nSkills\n"
        "• Good literacy and numeracy skills\n"
    )
    assert rows(import_text(text)) == [("Skills", "Good literacy and numeracy skills", True, ("AF", "I"), True)]


def test_word_list_paragraphs_are_separate_criteria():
    """Word keeps a bullet in its numbering, not in the text."""
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("Person Specification")
    document.add_paragraph("Experience")
    for text in ("Diary management for a busy executive", "Taking minutes of formal meetings"):
        document.add_paragraph(text, style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    p = import_spec(out.getvalue(), "spec.docx")
    assert [c.text for c in p.criteria] == ["Diary management for a busy executive", "Taking minutes of formal meetings"]


def test_bilingual_headings_reversed_legend_and_codes_after_marks():
    table = [
        ["Meini prawf / Criteria", "Hanfodol / Essential", "Dymunol / Desirable", "Dull asesu / Method of assessment"],
        ["Profiad / Experience", "Experience of working with families", "", "A, C"],
    ]
    legend = "Evidence from: Application (A), Interview (C)"
    p = import_spec(docx_bytes([legend, table]), "spec.docx")
    assert rows(p) == [("Profiad / Experience", "Experience of working with families", True, ("AF", "I"), True)]
    text = "Person specification\nSKILLS\n• Advanced Excel skills (E) T\n• Ability to explain pay queries (D) AF/I\n"
    assert rows(import_text(text)) == [
        ("Skills", "Advanced Excel skills", True, ("T",), False),
        ("Skills", "Ability to explain pay queries", False, ("AF", "I"), True),
    ]


# --- tables that a PDF wrapped ----------------------------------------------------------

PDF_TABLE = """[footer] Page {page} of {pages}
[font] 13pt
# Person Specification
|! Area | Criteria | E/D | How assessed |
| Experience | Experience of working with families with complex needs in a statutory or voluntary setting, including child protection | E | Application form / Interview |
|  | Experience of delivering evidence-based parenting programmes such as Triple P or Incredible Years | D | Interview / Role play |
| Knowledge | Knowledge of child development and of the impact of adverse childhood experiences on children and their families | E | Interview |
""" + "".join(
    f"|  | Understanding of the duties of agency number {n} under Working Together to Safeguard Children 2023 and local procedures | E | Interview |\n"
    for n in range(1, 9)
) + "\nWe are a Disability Confident employer.\n"


def test_pdf_table_rows_wrapped_over_lines_and_pages():
    p = import_spec(builders.pdf_from_markup(PDF_TABLE), "spec.pdf")
    assert rows(p)[:3] == [
        ("Experience", "Experience of working with families with complex needs in a statutory or voluntary "
         "setting, including child protection", True, ("AF", "I"), True),
        ("Experience", "Experience of delivering evidence-based parenting programmes such as Triple P or "
         "Incredible Years", False, ("I", "E"), False),
        ("Knowledge", "Knowledge of child development and of the impact of adverse childhood experiences on "
         "children and their families", True, ("I",), False),
    ]
    assert [c.text for c in p.criteria[3:]] == [
        f"Understanding of the duties of agency number {n} under Working Together to Safeguard Children 2023 "
        "and local procedures" for n in range(1, 9)
    ]
    assert p.disability_confident is True


def test_pdf_tick_grid_keeps_its_columns():
    source = (
        "# Person Specification\n"
        "|! Criteria | Essential | Desirable | Application | Interview | Test |\n"
        "| Experience of dealing with customers | ✓ |  | ✓ | ✓ |  |\n"
        "| Accurate keyboard skills | ✓ |  |  |  | ✓ |\n"
        "| Experience of a contact centre |  | ✓ | ✓ |  |  |\n"
    )
    p = import_spec(builders.pdf_from_markup(source), "spec.pdf")
    assert [(c.text, c.essential, c.methods) for c in p.criteria] == [
        ("Experience of dealing with customers", True, ("AF", "I")),
        ("Accurate keyboard skills", True, ("T",)),
        ("Experience of a contact centre", False, ("AF",)),
    ]


def test_text_copied_from_a_pdf_with_tabs_and_page_breaks():
    text = (
        "PERSON SPECIFICATION\nCriteria\tEssential\tDesirable\tHow assessed\nEXPERIENCE\n"
        "Experience of working directly with families with complex\t✓\t\tApplication form /\n"
        "needs in a statutory or voluntary setting\t\t\tInterview\n"
        "Page 1 of 2\n\fCriteria\tEssential\tDesirable\tHow assessed\n"
        "Understanding of the role of partner agencies, including\n"
        "schools, health visitors and the police\t✓\t\tInterview\n"
    )
    assert rows(import_text(text)) == [
        ("Experience", "Experience of working directly with families with complex needs in a statutory or "
         "voluntary setting", True, ("AF", "I"), True),
        ("Experience", "Understanding of the role of partner agencies, including schools, health visitors and "
         "the police", True, ("I",), False),
    ]


# --- more facts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "level", "barred", "confident"),
    [
        ("This post is subject to an enhanced DBS check with barred list check for children.", "enhanced",
         ("children",), None),
        ("Enhanced DBS with barred list checks for children and adults.", "enhanced", ("children", "adults"), None),
        ("DBS: Not required", "none", (), None),
        ("We guarantee an interview to care leavers who meet the essential criteria.", "unknown", (), None),
        ("We guarantee to interview disabled applicants who meet the essential criteria.", "unknown", (), True),
    ],
)
def test_more_fact_sentences(sentence, level, barred, confident):
    p = import_text(f"PERSON SPECIFICATION\nEXPERIENCE\nExperience of X.\n\n{sentence}\n")
    assert (p.dbs_level, p.barred_lists, p.disability_confident) == (level, barred, confident)
