import pytest

from playground.ui.tables import markdown_table, parse_markdown_table


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


def test_a_file_name_is_shown_as_it_is_not_as_markdown():
    # Emphasis, LaTeX, a link, code, HTML, Streamlit's colours and emoji: all escaped, numbers left alone.
    [row] = markdown_table(["file"], [["*b* $x^2$ [l](u) `c` <b> :red[a] :cat: -0.5e-3"]]).splitlines()[2:]
    assert row == r"| \*b\* \$x^2\$ \[l\](u) \`c\` \<b\> \:red\[a\] \:cat\: -0.5e-3 |"


def test_a_row_of_the_wrong_length_or_a_bad_alignment_is_refused():
    with pytest.raises(ValueError, match="row 1 has 1 cells, the header 2"):
        markdown_table(["a", "b"], [["1", "2"], ["3"]])
    with pytest.raises(ValueError, match="align"):
        markdown_table(["a"], [["1"]], align=["middle"])
    with pytest.raises(ValueError, match="at least one column"):
        markdown_table([], [])


def test_reading_a_table_back_gives_the_cells_as_written():
    header, rows = ["file", "P | note"], [["*b* $x$ [l](u) a\\b", "0.5"], ["", "-1e-05"]]
    assert parse_markdown_table(markdown_table(header, rows)) == (header, rows)
    with pytest.raises(ValueError, match="not a Markdown table"):
        parse_markdown_table("just text")
