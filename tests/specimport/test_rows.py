"""Table rows read against their header (rows.py): pure functions, checked directly here
and, through the importer, by the corpus, the real batches and the golden seeds."""

from __future__ import annotations

from shortlist.specimport import rows

LEGEND = rows.Legend()
CODES = LEGEND.codes


def test_a_header_names_its_columns_and_the_category_over_the_criteria():
    found = rows.header(["Qualifications", "Essential or desirable", "How assessed"], CODES)
    assert found == rows.Header(["lead", "ed", "method"], "Qualifications")
    assert rows.header(["Experience of casework", "E", "AF/I"], CODES) is None  # a row, not a header
    assert rows.header(["Criteria", "E", "D", "AF", "I"], CODES) == rows.Header(
        ["lead", "essential", "desirable", "m:AF", "m:I"], None)


def test_a_row_gives_its_criteria_marks_and_methods():
    reading = rows.read_row(["category", "lead", "essential", "desirable", "method"],
                            ["Experience", "Experience of casework", "", "✓", "AF/I"], LEGEND)
    assert reading.category == ("Experience", "")
    assert reading.items == [("Experience of casework", False)]
    assert (reading.methods, reading.by_column, reading.both_ticked) == ({"AF", "I"}, False, False)


def test_essential_and_desirable_columns_of_text_list_a_criterion_a_paragraph():
    reading = rows.read_row(["category", "essential", "desirable"],
                            ["Qualifications", "Degree in social work\u2028Registered with SWE", "Masters"], LEGEND)
    assert reading.by_column
    assert reading.items == [("Degree in social work", True), ("Registered with SWE", True), ("Masters", False)]


def test_a_row_that_does_not_fit_its_header_is_left_to_the_paragraph_reader():
    # the ticks were lost and the codes moved left under the Essential column
    assert rows.read_row(["lead", "essential", "desirable"], ["Degree", "A", "R"], LEGEND) is None


def test_a_row_of_methods_only_belongs_to_the_criterion_above():
    reading = rows.read_row(["lead", "ed", "method"], ["", "", "Interview"], LEGEND)
    assert reading.methods_for_previous and reading.methods == {"I"} and not reading.items


def test_cells_hold_their_bullets_as_criteria():
    cell = "Knowledge of:\u2028• the Care Act\u2028• the Mental Capacity Act"
    assert rows.cell_items(cell) == ["Knowledge of: the Care Act; the Mental Capacity Act"]
    assert rows.cell_items("• Ability to drive\u2028• Ability to swim") == ["Ability to drive", "Ability to swim"]


def test_a_legend_that_makes_e_a_method_changes_what_e_means():
    assert rows.classify_cell("E", LEGEND) == ("ed", True)
    exercise = rows.Legend({**CODES, "E": "E"}, {}, frozenset({"E"}))
    assert rows.classify_cell("E", exercise) == ("methods", {"E"})
