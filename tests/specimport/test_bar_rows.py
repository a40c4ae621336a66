"""A web table pasted as "| a | b | c |" rows, some of which lost their opening bar or broke
over two lines, with headings across the table between its sections (a Northern Ireland
school's person specification, batch 6 of the real corpus), in a small document written for
the test."""

from __future__ import annotations

from shortlist.specimport import import_text


def test_bar_rows_missing_their_opening_bar_or_broken_over_lines():
    text = (
        "| NOTES TO JOB APPLICANTS |\n"
        "|\n"
        "| SECTION 1 - ESSENTIAL CRITERIA |\n"
        "The following areessentialcriteria which will be measured at the shortlisting stage.\n"
        "| Factor | Essential Criteria | Method of Assessment |\n"
        "| Qualifications | Five GCSEs including English and Mathematics. | Shortlisting by Application Form |\n"
        "Experience | Two years' experience of office work. | Shortlisting by Application Form |\n"
        "| Knowledge | Demonstrable knowledge of data protection\n"
        "| Shortlisting by Application Form |\n"
        "| SECTION 2 - ESSENTIAL CRITERIA |\n"
        "| Factor | Essential Criteria | Method of Assessment |\n"
        "| Skills | Ability to prioritise work to meet deadlines | Interview |\n"
        "Values | Evidence of how your approach to work reflects the school's values. | Interview |\n"
        "| SECTION 3 - DESIRABLE CRITERIA |\n"
        "Some or all of the desirable criteria may be applied by the Selection Panel in order to "
        "determine a manageable pool of candidates.\n"
    )
    proposal = import_text(text)
    assert [(c.category, c.text, c.essential, c.methods) for c in proposal.criteria] == [
        ("Qualifications", "Five GCSEs including English and Mathematics.", True, ("AF",)),
        ("Experience", "Two years' experience of office work.", True, ("AF",)),
        ("Knowledge", "Demonstrable knowledge of data protection", True, ("AF",)),
        ("Skills", "Ability to prioritise work to meet deadlines", True, ("I",)),
        ("Values", "Evidence of how your approach to work reflects the school's values.", True, ("I",)),
    ]
