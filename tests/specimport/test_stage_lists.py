"""Shapes batch 6 of the real corpus showed read wrong (issue 20), in small documents written
for the test: criteria listed under the assessment stage that tests them ("What's assessed from
your job application", "What's assessed at interview"), their Essential/Desirable ticks lost."""

from __future__ import annotations

import pytest

from shortlist.specimport import import_spec, import_text

from .builders import docx_from_markup


def rows(proposal):
    return [(c.category, c.text, c.essential, c.methods) for c in proposal.criteria]


STAGE_TEXT = (
    "Employee Specification\n"
    "\n"
    "  Application form tip: Try using examples to show how you meet each criteria.\n"
    "\n"
    "What's assessed from your job application  Criteria\n"
    "Essential Desirable\n"
    "Full driving licence held for two years    \n"
    "Willing to undertake training for the role.  \n"
    "Can use email and a mobile phone.  \n"
    "\n"
    "What's assessed at interview Criteria\n"
    "Essential Desirable\n"
    "Good communication skills with the public  \n"
    "Willing to undertake training for the role  \n"
    "First Aid Certificate    \n"
    "Can build rapport with customers.  \n"
)

APPLICATION = "What's assessed from your job application"
INTERVIEW = "What's assessed at interview"
STAGE_EXPECTED = [
    (APPLICATION, "Full driving licence held for two years", True, ("AF",)),
    (APPLICATION, "Willing to undertake training for the role.", True, ("AF", "I")),
    (APPLICATION, "Can use email and a mobile phone.", True, ("AF",)),
    (INTERVIEW, "Good communication skills with the public", True, ("I",)),
    (INTERVIEW, "First Aid Certificate", True, ("I",)),
    (INTERVIEW, "Can build rapport with customers.", True, ("I",)),
]


def test_criteria_listed_under_the_stage_that_assesses_them():
    proposal = import_text(STAGE_TEXT)
    assert rows(proposal) == STAGE_EXPECTED
    # the one listed at both stages is proposed once, assessed at both, and said so
    assert any("more than once" in w for w in proposal.warnings)
    assert [c.shortlisting for c in proposal.criteria] == [True, True, True, False, False, False]


def test_stage_tables_in_word_with_their_tick_columns_empty():
    markup = """# Employee Specification
|! What's assessed from your job application | Criteria | |
|! | Essential | Desirable |
| Full driving licence held for two years | | |
| Willing to undertake training for the role. | | |
| Can use email and a mobile phone. | | |

|! What's assessed at interview | Criteria | |
|! | Essential | Desirable |
| Good communication skills with the public | | |
| Willing to undertake training for the role | | |
| First Aid Certificate | | |
| Can build rapport with customers. | | |
"""
    assert rows(import_spec(docx_from_markup(markup), "spec.docx")) == STAGE_EXPECTED


@pytest.mark.parametrize("heading", ["Experience", "KEY SKILLS"])
def test_a_category_heading_under_a_stage_is_still_a_heading(heading):
    text = (
        "What's assessed at interview\n"
        f"{heading}\n"
        "Ability to plan a route and keep to a timetable.\n"
    )
    proposal = import_text(text)
    assert [(c.category.lower(), c.text, c.methods) for c in proposal.criteria] == [
        (heading.lower(), "Ability to plan a route and keep to a timetable.", ("I",))
    ]


def _word(text, x0, top, size=10.0):
    return {"text": text, "x0": x0, "x1": x0 + 5.0 * len(text), "top": top, "bottom": top + size}


def test_short_paragraphs_in_a_pdf_cell_are_criteria_of_their_own():
    """A cell's paragraphs are set further apart than the lines of one paragraph (Melbourne's
    "NVQ Level 2 vocational qualifications" over "First Aid"): a line too full for the next
    word, then a short line, is two paragraphs when the gap between them is wider than the
    table's line pitch; a criterion wrapped onto a line opening with a capital stays whole."""
    from shortlist.specimport.pdfread import _cell_paragraphs, _line_pitch

    # a cell from x 0 to 200: lines of one paragraph 11.6 apart, paragraphs 13.1 apart
    wrapped = [_word("To have worked as a Senior", 4, 0.0), _word("Supervisor or Midday", 4, 11.6),
               _word("Experience of ordering", 4, 24.7)]
    full = [_word("NVQ Level 2 qualifications", 4, 50.0), _word("First Aid", 4, 63.1)]
    pitch = _line_pitch([wrapped, full])
    assert pitch == pytest.approx(11.6)
    assert _cell_paragraphs(wrapped, 0, 140, pitch) == [
        "To have worked as a Senior Supervisor or Midday", "Experience of ordering"]
    assert _cell_paragraphs(full, 0, 140, pitch) == ["NVQ Level 2 qualifications", "First Aid"]
    # without a pitch to go by (no cell wraps), a full line still carries on
    assert _cell_paragraphs(full, 0, 140) == ["NVQ Level 2 qualifications First Aid"]
