import pytest

from playground.ui.tables import markdown_table


def test_a_table_has_a_header_an_alignment_row_and_one_line_a_row():
    text = markdown_table(["α", "cost"], [["0.005", "0.1356"], ["0.01", "0.0954"]], align=["left", "right"])
    assert text.splitlines() == [
        "| α | cost |",
        "| :-- | --: |",
        "| 0.005 | 0.1356 |",
        "| 0.01 | 0.0954 |",
    ]


def test_pipes_and_newlines_inside_a_cell_cannot_break_the_table():
    text = markdown_table(["note"], [["a | b\nc"], [None]])
    assert text.splitlines()[2:] == ["| a \\| b c |", "|  |"]


def test_a_row_of_the_wrong_length_or_a_bad_alignment_is_refused():
    with pytest.raises(ValueError, match="row 1 has 1 cells, the header 2"):
        markdown_table(["a", "b"], [["1", "2"], ["3"]])
    with pytest.raises(ValueError, match="align"):
        markdown_table(["a"], [["1"]], align=["middle"])
    with pytest.raises(ValueError, match="at least one column"):
        markdown_table([], [])
