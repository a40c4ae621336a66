"""A person specification whose table gives, beside each skill, what it is for ("To do
what?"), how well or whether with training, and how important it is, with no Essential /
Desirable marks or methods (a council's generic schools person specification, batch 6 of the
real corpus), in small documents written for the test: as a Word table pasted with " / "
between cells and as a ruled PDF, each cell holding several items one a line."""

from __future__ import annotations

from shortlist.specimport import import_spec, import_text

from .builders import pdf_from_markup

EXPECTED = [
    ("Knowledge", "Experience of caring for young children"),
    ("Knowledge", "Awareness of food hygiene"),
    ("Communication", "Clear spoken English"),
    ("Physical demands", "Able to stand for long periods"),
    ("Responsibility for people", "Understanding of safeguarding procedures"),
    ("Responsibility for people", "Willingness to help children with personal care and hygiene"),
]


def rows(proposal):
    return [(c.category, c.text) for c in proposal.criteria]


def test_a_pasted_table_of_skills_beside_what_they_are_for_and_how_important_they_are():
    text = (
        "GENERIC PERSON SPECIFICATION\n"
        "\n"
        "POST: LUNCHTIME ASSISTANT – GRADE 2 /\n"
        "SKILLS/ ABILITY/ EXPERIENCE / TO DO WHAT? / HOW WELL?\n"
        "NOW OR WITH TRAINING? / HOW IMPORTANT AT THE TIME OF APPOINTMENT? /\n"
        "KNOWLEDGE\n"
        "Experience of caring for young children\n"
        "Awareness of food hygiene / To look after children at lunchtime\n"
        "To serve food safely / Now\n"
        "With training / 5\n"
        "3\n"
        "MENTAL SKILLS\n"
        "Limited\n"
        "COMMUNICATION\n"
        "Clear spoken English / To talk with children and staff / Now / 4\n"
        "PHYSICAL SKILLS\n"
        "N/A\n"
        "PHYSICAL DEMANDS\n"
        "Able to stand for long periods / To supervise the hall / Now / 3\n"
        "RESPONSIBILITY FOR PEOPLE\n"
        "Understanding of safeguarding procedures\n"
        "Willingness to help children with personal care and hygiene / To report concerns;\n"
        "To keep information about pupil / parent / staff matters confidential;\n"
        "To keep young children clean / Training given\n"
        "Now / 4\n"
        "5\n"
        "FINANCIAL RESPONSIBILITY\n"
        "N/A\n"
    )
    proposal = import_text(text)
    assert rows(proposal) == EXPECTED
    assert all(c.essential and c.methods == ("AF", "I") for c in proposal.criteria)


def test_a_ruled_pdf_of_the_same_table_a_row_cut_by_the_page_break():
    cell = ("Understanding of safeguarding procedures and of how to report a concern about a child to "
            "the designated safeguarding lead // Willingness to help children with personal care and hygiene")
    # sections enough to carry the last row over the page break, in the middle of its first item
    filler = "".join(f"|= SECTION {n} |\n| N/A | | | |\n" for n in "ABCDEFGHIJ")
    markup = f"""# GENERIC PERSON SPECIFICATION
POST: LUNCHTIME ASSISTANT – GRADE 2
|! SKILLS/ ABILITY/ EXPERIENCE | TO DO WHAT? | HOW WELL? // NOW OR WITH TRAINING? | HOW IMPORTANT AT THE TIME OF APPOINTMENT? |
|= KNOWLEDGE |
| Experience of caring for young children // Awareness of food hygiene | To look after children at lunchtime // To serve food safely | Now // With training | 5 // 3 |
|= MENTAL SKILLS |
| Limited | | | |
|= COMMUNICATION |
| Clear spoken English | To talk with children and staff | Now | 4 |
{filler}|= PHYSICAL DEMANDS |
| Able to stand for long periods | To supervise the hall | Now | 3 |
|= RESPONSIBILITY FOR PEOPLE |
| {cell} | To report concerns; // To keep information about pupil / parent / staff matters confidential; // To keep young children clean | Training given // Now | 4 // 5 |
"""
    proposal = import_spec(pdf_from_markup(markup), "spec.pdf")
    assert rows(proposal) == EXPECTED[:4] + [
        ("Responsibility for people", "Understanding of safeguarding procedures and of how to report a concern "
         "about a child to the designated safeguarding lead"),
        EXPECTED[5],
    ]
