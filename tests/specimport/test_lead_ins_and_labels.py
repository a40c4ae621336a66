"""Shapes first met in batch 7 of the real corpus (a council's selection criteria under lead-in
lines, a training officer's "Essential ... / Desirable ... / Mitigation ..." rows, a web page of
"Details | Assessed by" tables, "Pre-Employment checks"), in small documents written for the
tests."""

from __future__ import annotations

from shortlist.specimport import import_text
from tests.specimport.builders import docx_bytes


def _read(proposal):
    return [(c.text, c.essential, c.methods) for c in proposal.criteria]


def test_each_item_under_a_lead_in_line_is_a_criterion_and_the_stated_methods_apply():
    text = (
        "Selection Criteria\n"
        "Skills and competencies\n"
        "The Independent Person(s) will demonstrate:\n"
        "- a keen interest in standards in public life;\n"
        "- sound decision-making skills. The Independent Person(s) will:\n"
        "- understand and comply with confidentiality requirements;\n"
        "- be a good communicator. Desirable additional criteria are:\n"
        "- knowledge and understanding of complaints processes.\n"
        "Please demonstrate in your application how you meet the above criteria.\n"
        "Means of assessment will be by CV/personal statement and interview.\n"
        "Eligibility for Appointment\n"
        "A person cannot be appointed if they are or were within 5 years:\n"
        "- a Member, Co-Opted Member or Officer of the Authority.\n"
    )
    proposal = import_text(text)
    assert _read(proposal) == [
        ("a keen interest in standards in public life", True, ("AF", "I")),
        ("sound decision-making skills.", True, ("AF", "I")),
        ("understand and comply with confidentiality requirements", True, ("AF", "I")),
        ("be a good communicator.", True, ("AF", "I")),
        ("knowledge and understanding of complaints processes.", False, ("AF", "I")),
    ]
    assert not any(d.code == "methods_inferred" for c in proposal.criteria for d in c.doubts)


def test_rows_labelled_essential_desirable_and_mitigation_in_their_first_word():
    text = (
        "Qualifications\n\n"
        "Essential Master’s level qualification or equivalent\n"
        "Desirable Formal training qualification\n"
        "Mitigation If there is no suitable qualified individual, this will be reviewed case by case.\n\n"
        "Registration\n\n"
        "Essential Appropriate registration\n"
        "Desirable Registered Clinical Scientist\n"
        "Mitigation n/a\n"
    )
    proposal = import_text(text)
    assert [(c.category, c.text, c.essential) for c in proposal.criteria] == [
        ("Qualifications", "Master’s level qualification or equivalent", True),
        ("Qualifications", "Formal training qualification", False),
        ("Registration", "Appropriate registration", True),
        ("Registration", "Registered Clinical Scientist", False),
    ]


def test_a_web_table_whose_method_closes_the_criterion_line():
    text = (
        "Filed under\nSTP Recruitment\n\n"
        "Scientific skills\n\n"
        "Details Assessed by\n"
        "A committed interest in scientific practice. Application and interview\n"
        "Understanding of quality control in a science context. Interview\n"
        "Applicants must hold registration with the General Dental Council.\n"
        "In-service applicants may apply where they do not hold the above.\n"
    )
    proposal = import_text(text)
    assert [(c.category, c.text, c.methods) for c in proposal.criteria] == [
        ("Scientific skills", "A committed interest in scientific practice.", ("AF", "I")),
        ("Scientific skills", "Understanding of quality control in a science context.", ("I",)),
        ("Scientific skills", "Applicants must hold registration with the General Dental Council.", ("AF", "I")),
    ]


def test_pre_employment_checks_are_qualifications_seen():
    data = docx_bytes([
        "PERSON SPECIFICATION",
        [["Factors", "Essential", "Desirable", "Means of Assessment"],
         ["Education", "GMC Full Registration", "Diploma in medical Education",
          "Application & Pre-Employment checks"]],
    ])
    from shortlist.specimport import import_spec

    proposal = import_spec(data, "spec.docx")
    assert _read(proposal) == [
        ("GMC Full Registration", True, ("AF", "Q")),
        ("Diploma in medical Education", False, ("AF", "Q")),
    ]


def test_text_laid_out_in_fixed_width_columns_with_wrapped_items():
    text = (
        "PERSON SPECIFICATION\n\n"
        " AREA                 ESSENTIAL                              DESIRABLE\n\n"
        "EXPERIENCE       Two years experience of working in a     Experience of supporting\n"
        "                 residential setting.                     Adults with autism.\n"
        "                 Experience of keeping care records\n\n"
        "TRAINING         NVQ Level 3 in Health and Social         First Aid at Work\n"
        "                 Care                                     certificate\n"
        "                 Food Hygiene Certificate\n"
    )
    proposal = import_text(text)
    assert [(c.category, c.text, c.essential) for c in proposal.criteria] == [
        ("Experience", "Two years experience of working in a residential setting.", True),
        ("Experience", "Experience of keeping care records", True),
        ("Experience", "Experience of supporting Adults with autism.", False),
        ("Training", "NVQ Level 3 in Health and Social Care", True),
        ("Training", "Food Hygiene Certificate", True),
        ("Training", "First Aid at Work certificate", False),
    ]


def test_a_four_column_table_flattened_into_one_paragraph():
    text = (
        "PERSON SPECIFICATION Essential Criteria – attributes without which a candidate could not do "
        "the job. Desirable Criteria – attributes which would be useful. Factors Essential Desirable "
        "Means of Assessment Education and Professional Qualifications NMC Registration Hold a degree "
        "in nursing BSc or equivalent Diploma in district nursing Application & Pre-Employment checks "
        "Experience/Training (including research if appropriate) Experience of leading a team Experience "
        "of audit Application & Interview"
    )
    proposal = import_text(text)
    assert [(c.category, c.text, c.methods) for c in proposal.criteria] == [
        ("Education and Professional Qualifications", "NMC Registration", ("AF", "Q")),
        ("Education and Professional Qualifications", "Hold a degree in nursing", ("AF", "Q")),
        ("Education and Professional Qualifications", "BSc or equivalent", ("AF", "Q")),
        ("Education and Professional Qualifications", "Diploma in district nursing", ("AF", "Q")),
        ("Experience/Training", "Experience of leading a team", ("AF", "I")),
        ("Experience/Training", "Experience of audit", ("AF", "I")),
    ]
    # the Essential and Desirable columns cannot be told apart: every one says so
    assert proposal.low_confidence
    assert all(any(d.reading for d in c.doubts) for c in proposal.criteria)


def test_a_short_line_above_a_tables_header_names_its_section():
    data = docx_bytes([
        "Core person specification",
        [["Details", "Assessed by"],
         ["A degree in a science subject.\nResearch experience is considered desirable.\n"
          "Registration with the HCPC.", ""]],
        "Scientific skills",
        [["Details", "Assessed by"],
         ["Ability to design experiments.", "Application and interview"]],
    ])
    from shortlist.specimport import import_spec

    proposal = import_spec(data, "spec.docx")
    assert [(c.category, c.text, c.essential) for c in proposal.criteria][1:] == [
        ("General", "Research experience is considered desirable.", False),
        ("Qualifications", "Registration with the HCPC.", True),
        ("Scientific skills", "Ability to design experiments.", True),
    ]
