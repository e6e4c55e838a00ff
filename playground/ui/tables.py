"""Small tables as Markdown, so that no page needs st.dataframe.

st.dataframe and st.table import pandas and pyarrow into the server (about 70 MB, once per
process) and make the browser fetch the data-grid bundle on a first visit; a dozen rows of text
need neither.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

_ALIGN = {"left": ":--", "right": "--:", "center": ":-:"}


# The marks that start something inside a table cell, backslash-escaped (CommonMark then shows the
# mark itself): cells carry file names and error texts, which Markdown would read as emphasis (* _),
# strikethrough (~), links and images ([), LaTeX ($), code (`), HTML and entities (< > &),
# Streamlit's colours and emoji (:red[…], :cat:), and a pipe would end the cell. Marks that act only
# at the start of a line (# - + . for headings and lists) cannot: a cell starts after "| ".
_ESCAPE = str.maketrans({c: "\\" + c for c in "\\`*_[]<>&|$~:"})


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return text.translate(_ESCAPE).replace("\r", " ").replace("\n", " ")  # a newline would end the row


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]],
                   align: Sequence[str] | None = None) -> str:
    """A GitHub-flavoured Markdown table; `align` is "left" / "right" / "center" per column."""
    n = len(header)
    if n == 0:
        raise ValueError("a table needs at least one column")
    align = list(align) if align is not None else ["left"] * n
    if len(align) != n or any(a not in _ALIGN for a in align):
        raise ValueError(f"align must be {n} of {sorted(_ALIGN)}, got {align!r}")
    for k, row in enumerate(rows):
        if len(row) != n:
            raise ValueError(f"row {k} has {len(row)} cells, the header {n}")
    lines = ["| " + " | ".join(_cell(h) for h in header) + " |",
             "| " + " | ".join(_ALIGN[a] for a in align) + " |"]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def parse_markdown_table(text: str) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of a table markdown_table wrote, its cells unescaped: what a reader sees."""
    def cells(line: str) -> list[str]:
        out, cell, escaped = [], "", False
        for ch in line.strip()[1:-1]:  # without the outer pipes
            if escaped:
                cell, escaped = cell + ch, False
            elif ch == "\\":
                escaped = True
            elif ch == "|":
                out, cell = out + [cell.strip()], ""
            else:
                cell += ch
        return out + [cell.strip()]

    lines = text.strip().splitlines()
    if len(lines) < 2 or not set(lines[1].replace("|", "").split()) <= set(_ALIGN.values()):
        raise ValueError("not a Markdown table: no alignment row under the header")
    return cells(lines[0]), [cells(line) for line in lines[2:]]


def table(header: Sequence[str], rows: Sequence[Sequence[object]], align: Sequence[str] | None = None) -> None:
    """Show `rows` under `header` on the page (see markdown_table)."""
    st.markdown(markdown_table(header, rows, align))
