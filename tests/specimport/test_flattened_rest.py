"""A five-column table (requirements, essential, how identified, desirable, how identified)
flattened into one paragraph whose labels come once, for its first row only (Hull City
Council's social worker, batch 6 of the real corpus), and a list's items run together on one
line opening "To have ...", "An understanding ...", "Inspire ..." (Melbourne Infant School's):
small documents written for the test."""

from __future__ import annotations

from shortlist.specimport import import_text


def test_the_rows_after_a_flattened_tables_labelled_first_row():
    text = (
        "PERSON SPECIFICATION JOB TITLE: Family Worker GRADE: 6 REQUIREMENTS RELEVANT EXPERIENCE "
        "ESSENTIAL Experience of working with families under stress. HOW IDENTIFIED Application "
        "form/ Interview/ References DESIRABLE Experience of group work. HOW IDENTIFIED Application "
        "form/ Interview QUALIFICATIONS NVQ Level 3 in care or equivalent. Application form/ "
        "Certificates SKILLS Good written English. Ability to keep accurate records. Application "
        "form/ Written Exercise/ Interview KNOWLEDGE An understanding of child development. "
        "Application form/ Interview"
    )
    proposal = import_text(text)
    assert [(c.category, c.text, c.methods) for c in proposal.criteria] == [
        ("Relevant experience", "Experience of working with families under stress.", ("AF", "I", "R")),
        ("Relevant experience", "Experience of group work.", ("AF", "I")),
        ("Qualifications", "NVQ Level 3 in care or equivalent.", ("AF", "Q")),
        ("Skills", "Good written English.", ("AF", "I", "E")),
        ("Skills", "Ability to keep accurate records.", ("AF", "I", "E")),
        ("Knowledge", "An understanding of child development.", ("AF", "I")),
    ]
    assert [c.essential for c in proposal.criteria][:2] == [True, False]
    # read from a flattened table: said to be doubtful
    assert any("low confidence" in w for w in proposal.warnings)


def test_list_items_run_together_opening_with_to_an_or_a_verb():
    text = (
        "Skills\n"
        "Be ready to attend training courses To have worked with children in a school "
        "An understanding of safeguarding procedures Inspire confidence in children and staff "
        "Encourage good behaviour at lunchtime\n"
    )
    assert [c.text for c in import_text(text).criteria] == [
        "Be ready to attend training courses",
        "To have worked with children in a school",
        "An understanding of safeguarding procedures",
        "Inspire confidence in children and staff",
        "Encourage good behaviour at lunchtime",
    ]


def test_essential_and_desirable_side_by_side_in_plain_lines_is_said_to_be_doubtful():
    """Text copied out of a two-column table (The Slade Day Nursery's, batch 6): each line may
    hold a piece of each column, so every criterion read under such a heading is doubted and
    the document says first that it was read with low confidence."""
    text = (
        "Person Specification – Nursery Assistant\n"
        "\n"
        "Relevant Experience Essential Desirable\n"
        "\n"
        "Experience of caring for babies Experience of planning activities for toddlers\n"
        "\n"
        "Knowledge Essential Desirable\n"
        "\n"
        "Knowledge of child development Knowledge of the Early Years Foundation Stage\n"
    )
    proposal = import_text(text)
    assert sorted({c.category for c in proposal.criteria}) == ["Knowledge", "Relevant Experience"]
    assert all(any(d.reading for d in c.doubts) for c in proposal.criteria)
    assert "side_by_side" in [d.code for d in proposal.criteria[0].doubts]
    assert "low confidence" in proposal.warnings[0]
